package io.lambdaform.kinds.topic;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.Tagging;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * SNS topics, a source of triggers: read from {@code kind: Topic} documents, created with their tags, tagged and
 * untagged like every kind, and deleted when no longer declared, after every operation on the kinds above (a
 * subscription of a function to the topic goes first).
 */
public final class TopicKind extends AbstractResourceKind<Topic, Topics.State, Topics> {
    public static final TopicKind KIND = new TopicKind();

    private TopicKind() {
        super("Topic", 0, Topic.class, Topics.class, TopicOperation.class);
    }

    /** The key of the topic with that name. */
    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.ASYMMETRIC;
    }

    /** {@code arn:aws:sns:us-east-1:123456789012:name}; not a subscription's ARN ({@code name:id}). */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("sns", "").filter(name -> !name.contains(":"));
    }

    // Reading

    @Override
    public Optional<Topic> read(ReadContext document) {
        return Optional.of(
                new Topic(document.name(), Specs.strings(document.spec().path("tags"))));
    }

    // Planning

    @Override
    public void plan(Topic desired, Optional<Topics.State> live, PlanBuilder plan) {
        ResourceKey key = key(desired.name());
        SortedMap<String, String> tags = new TreeMap<>(plan.stack().resourceTags(desired.tags()));
        plan.markSensitive(key, tags, List.of());
        if (live.isEmpty()) {
            List<FieldChange> changes = new ArrayList<>();
            if (desired.fifo()) {
                changes.add(FieldChange.set("fifo", "true"));
            }
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            plan.add(key, new CreateTopic(desired.name(), tags, changes));
            return;
        }
        Tagging.plan(key, live.get().tags(), tags, plan);
    }

    /** Deletes the topic once every operation on the kinds above it is done (a subscription to it, say). */
    @Override
    public void prune(String name, Optional<Topics.State> live, PlanBuilder plan) {
        plan.add(key(name), new DeleteTopic(name), plan.operationsAbove(KIND));
    }

    // Operations

    /** An operation on one topic: its key is the topic's name, and it runs through {@link Topics}. */
    sealed interface TopicOperation extends Operation {
        String name();

        @Override
        default ResourceKey key() {
            return TopicKind.key(name());
        }
    }

    @Operation.Named(value = "CreateTopic", effect = Operation.Effect.CREATES)
    record CreateTopic(String name, SortedMap<String, String> tags, List<FieldChange> changes)
            implements TopicOperation {
        CreateTopic {
            requireNonNull(name, "name is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return Topic.fifo(name) ? "create FIFO topic" : "create topic";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Topics.class).createTopic(name, tags);
        }
    }

    @Operation.Named(value = "DeleteTopic", effect = Operation.Effect.DELETES)
    record DeleteTopic(String name) implements TopicOperation {
        DeleteTopic {
            requireNonNull(name, "name is null");
        }

        @Override
        public String summary() {
            return "delete topic and its subscriptions";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Topics.class).deleteTopic(name);
        }
    }
}
