package io.lambdaform.kinds.queue;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import java.util.SortedMap;

/**
 * The port for SQS queues: created with their attributes and tags, their attributes changed, deleted. Every mutation
 * returns once SQS has accepted it (SQS may take up to a minute to show a new attribute everywhere, and refuses a
 * queue of a name deleted less than a minute before).
 */
public interface Queues extends Port<Queues.State> {
    /**
     * A queue as the target reports it.
     *
     * @param arn {@code arn:<partition>:sqs:<region>:<account>:<name>}
     * @param url where SQS serves it (its QueueUrl)
     */
    record State(
            String name,
            String arn,
            String url,
            int visibilityTimeoutSeconds,
            int messageRetentionSeconds,
            SortedMap<String, String> tags)
            implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(arn, "arn is null");
            requireNonNull(url, "url is null");
            tags = Collections2.sortedCopy(tags);
        }
    }

    /** Creates the queue with its attributes and tags (a FIFO queue when its name ends in {@code .fifo}). */
    State createQueue(
            String name, int visibilityTimeoutSeconds, int messageRetentionSeconds, SortedMap<String, String> tags);

    /** Sets the queue's visibility timeout and message retention. */
    void updateQueue(String name, int visibilityTimeoutSeconds, int messageRetentionSeconds);

    /** Deletes the queue and the messages it holds; one that is already gone is done. */
    void deleteQueue(String name);
}
