package io.lambdaform.kinds.queue;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.SortedMap;

/**
 * An SQS queue as the manifests declare it, so that a trigger can read from a queue the stack makes:
 *
 * <pre>{@code
 * kind: Queue
 * name: orders
 * spec:
 *   visibilityTimeout: 5m     # at least the timeout of the function that reads it
 *   messageRetention: 4d
 *   tags: {team: orders}
 * }</pre>
 *
 * A name ending in {@code .fifo} is a FIFO queue ({@link #fifo}).
 */
public record Queue(
        String name, int visibilityTimeoutSeconds, int messageRetentionSeconds, SortedMap<String, String> tags)
        implements Resource {
    /** SQS's default VisibilityTimeout: 30 seconds. */
    public static final int DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
    /** SQS's default MessageRetentionPeriod: 4 days. */
    public static final int DEFAULT_MESSAGE_RETENTION_SECONDS = 345_600;
    /** SQS's limits: a visibility timeout of 0 s to 12 h, a retention of 60 s to 14 days. */
    public static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

    public static final int MIN_MESSAGE_RETENTION_SECONDS = 60;
    public static final int MAX_MESSAGE_RETENTION_SECONDS = 1_209_600;

    public Queue {
        requireNonNull(name, "name is null");
        if (visibilityTimeoutSeconds < 0 || visibilityTimeoutSeconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("visibility timeout out of SQS's range: " + visibilityTimeoutSeconds);
        }
        if (messageRetentionSeconds < MIN_MESSAGE_RETENTION_SECONDS
                || messageRetentionSeconds > MAX_MESSAGE_RETENTION_SECONDS) {
            throw new IllegalArgumentException("message retention out of SQS's range: " + messageRetentionSeconds);
        }
        tags = Collections2.sortedCopy(tags);
    }

    /** Whether it is a FIFO queue: its name ends in {@code .fifo}, as SQS requires of one. */
    public boolean fifo() {
        return fifo(name);
    }

    public static boolean fifo(String name) {
        return name.endsWith(".fifo");
    }
}
