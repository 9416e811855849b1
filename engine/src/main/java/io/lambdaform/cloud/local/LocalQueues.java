package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.queue.Queue;
import io.lambdaform.kinds.queue.Queues;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The {@link Queues} port in the local cloud: queues kept in the state's "queues" section, without messages. As SQS
 * does, a create of a queue that exists with the same attributes returns it, and one with other attributes is refused;
 * attributes outside SQS's limits are refused, and so is changing a queue that does not exist.
 */
public final class LocalQueues implements Queues {
    static final LocalState.Section<State> SECTION = new LocalState.Section<>("queues", "queue", State.class);

    private final LocalCloud cloud;
    private final LocalRecords<State> records;

    @Inject
    public LocalQueues(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.records = new LocalRecords<>(
                cloud,
                SECTION,
                name -> LocalCloud.refused("QueueDoesNotExist", "The specified queue does not exist: " + name));
    }

    @Override
    public Optional<State> find(String name) {
        return records.find(name);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return records.inventory(stackName, except);
    }

    @Override
    public State createQueue(
            String name, int visibilityTimeoutSeconds, int messageRetentionSeconds, SortedMap<String, String> tags) {
        requireLimits(visibilityTimeoutSeconds, messageRetentionSeconds);
        State[] created = new State[1];
        cloud.store().update(state -> {
            Optional<State> existing = state.get(SECTION, name);
            if (existing.isPresent()) {
                State live = existing.get();
                if (live.visibilityTimeoutSeconds() != visibilityTimeoutSeconds
                        || live.messageRetentionSeconds() != messageRetentionSeconds) {
                    throw LocalCloud.refused(
                            "QueueNameExists",
                            "A queue already exists with the same name and a different value for attribute(s): "
                                    + name);
                }
                created[0] = live;
                return state;
            }
            created[0] = new State(
                    name,
                    cloud.describe().arn("sqs", name),
                    "https://sqs." + cloud.describe().region() + ".amazonaws.com/" + LocalCloud.ACCOUNT_ID + "/" + name,
                    visibilityTimeoutSeconds,
                    messageRetentionSeconds,
                    tags);
            state.put(SECTION, name, created[0]);
            return state;
        });
        return created[0];
    }

    @Override
    public void updateQueue(String name, int visibilityTimeoutSeconds, int messageRetentionSeconds) {
        requireLimits(visibilityTimeoutSeconds, messageRetentionSeconds);
        records.change(
                name,
                queue -> new State(
                        queue.name(),
                        queue.arn(),
                        queue.url(),
                        visibilityTimeoutSeconds,
                        messageRetentionSeconds,
                        queue.tags()));
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        records.change(name, queue -> withTags(queue, Tags.merge(queue.tags(), tags)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        records.change(name, queue -> withTags(queue, Tags.without(queue.tags(), tagKeys)));
    }

    /** A queue that is already gone is done. */
    @Override
    public void deleteQueue(String name) {
        records.delete(name);
    }

    private static State withTags(State queue, SortedMap<String, String> tags) {
        return new State(
                queue.name(),
                queue.arn(),
                queue.url(),
                queue.visibilityTimeoutSeconds(),
                queue.messageRetentionSeconds(),
                tags);
    }

    private static void requireLimits(int visibilityTimeoutSeconds, int messageRetentionSeconds) {
        if (visibilityTimeoutSeconds < 0 || visibilityTimeoutSeconds > Queue.MAX_VISIBILITY_TIMEOUT_SECONDS) {
            throw LocalCloud.refused(
                    "InvalidAttributeValue",
                    "Invalid value for the parameter VisibilityTimeout: " + visibilityTimeoutSeconds);
        }
        if (messageRetentionSeconds < Queue.MIN_MESSAGE_RETENTION_SECONDS
                || messageRetentionSeconds > Queue.MAX_MESSAGE_RETENTION_SECONDS) {
            throw LocalCloud.refused(
                    "InvalidAttributeValue",
                    "Invalid value for the parameter MessageRetentionPeriod: " + messageRetentionSeconds);
        }
    }
}
