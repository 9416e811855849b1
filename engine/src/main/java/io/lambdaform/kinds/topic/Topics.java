package io.lambdaform.kinds.topic;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import java.util.SortedMap;

/** The port for SNS topics: created with their tags, tagged, deleted. Every mutation returns once SNS has made it. */
public interface Topics extends Port<Topics.State> {
    /**
     * A topic as the target reports it.
     *
     * @param arn {@code arn:<partition>:sns:<region>:<account>:<name>}
     */
    record State(String name, String arn, SortedMap<String, String> tags) implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(arn, "arn is null");
            tags = Collections2.sortedCopy(tags);
        }
    }

    /** Creates the topic with its tags (a FIFO topic when its name ends in {@code .fifo}). */
    State createTopic(String name, SortedMap<String, String> tags);

    /** Deletes the topic and its subscriptions; one that is already gone is done. */
    void deleteTopic(String name);
}
