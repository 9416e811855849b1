package io.lambdaform.kinds.topic;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.SortedMap;

/**
 * An SNS topic as the manifests declare it, so that a trigger can subscribe a function to a topic the stack makes:
 *
 * <pre>{@code
 * kind: Topic
 * name: order-events
 * spec:
 *   tags: {team: orders}
 * }</pre>
 *
 * A name ending in {@code .fifo} is a FIFO topic ({@link #fifo}).
 */
public record Topic(String name, SortedMap<String, String> tags) implements Resource {
    public Topic {
        requireNonNull(name, "name is null");
        tags = Collections2.sortedCopy(tags);
    }

    /** Whether it is a FIFO topic: its name ends in {@code .fifo}, as SNS requires of one. */
    public boolean fifo() {
        return fifo(name);
    }

    public static boolean fifo(String name) {
        return name.endsWith(".fifo");
    }
}
