package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.topic.Topics;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The {@link Topics} port in the local cloud: topics kept in the state's "topics" section, without subscriptions. As
 * SNS does, a create of a topic that exists with the same tags returns it, one with other tags is refused, and so is
 * tagging a topic that does not exist.
 */
public final class LocalTopics implements Topics {
    static final LocalState.Section<State> SECTION = new LocalState.Section<>("topics", "topic", State.class);

    private final LocalCloud cloud;
    private final LocalRecords<State> records;

    @Inject
    public LocalTopics(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.records = new LocalRecords<>(
                cloud,
                SECTION,
                name -> LocalCloud.refused("ResourceNotFound", "Resource does not exist: topic " + name));
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
    public State createTopic(String name, SortedMap<String, String> tags) {
        State[] created = new State[1];
        cloud.store().update(state -> {
            Optional<State> existing = state.get(SECTION, name);
            if (existing.isPresent()) {
                if (!existing.get().tags().equals(tags)) {
                    throw LocalCloud.refused(
                            "InvalidParameter",
                            "Invalid parameter: Tags Reason: Topic already exists with different" + " tags: " + name);
                }
                created[0] = existing.get();
                return state;
            }
            created[0] = new State(name, cloud.describe().arn("sns", name), tags);
            state.put(SECTION, name, created[0]);
            return state;
        });
        return created[0];
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        records.change(name, topic -> new State(topic.name(), topic.arn(), Tags.merge(topic.tags(), tags)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        records.change(name, topic -> new State(topic.name(), topic.arn(), Tags.without(topic.tags(), tagKeys)));
    }

    /** A topic that is already gone is done, as SNS answers. */
    @Override
    public void deleteTopic(String name) {
        records.delete(name);
    }
}
