package io.lambdaform.kinds.queue;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.Durations;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * SQS queues, a source of triggers: read from {@code kind: Queue} documents (durations for the visibility timeout and
 * the message retention), created with their attributes and tags, their attributes set when they differ, and deleted
 * when no longer declared, after every operation on the kinds above (a trigger that reads from the queue goes first).
 */
public final class QueueKind extends AbstractResourceKind<Queue, Queues.State, Queues> {
    public static final QueueKind KIND = new QueueKind();

    private static final String VISIBILITY_TIMEOUT = "visibilityTimeout";
    private static final String MESSAGE_RETENTION = "messageRetention";

    private QueueKind() {
        super("Queue", 0, Queue.class, Queues.class, QueueOperation.class);
    }

    /** The key of the queue with that name. */
    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.SUBROUTINE;
    }

    /** {@code arn:aws:sqs:us-east-1:123456789012:name}. */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("sqs", "").filter(name -> !name.contains(":"));
    }

    // Reading

    @Override
    public Optional<Queue> read(ReadContext document) {
        int before = document.problemCount();
        Optional<Integer> visibility =
                seconds(document, "/spec/" + VISIBILITY_TIMEOUT, 0, Queue.MAX_VISIBILITY_TIMEOUT_SECONDS);
        Optional<Integer> retention = seconds(
                document,
                "/spec/" + MESSAGE_RETENTION,
                Queue.MIN_MESSAGE_RETENTION_SECONDS,
                Queue.MAX_MESSAGE_RETENTION_SECONDS);
        if (document.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Queue(
                document.name(),
                visibility.orElse(Queue.DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
                retention.orElse(Queue.DEFAULT_MESSAGE_RETENTION_SECONDS),
                Specs.strings(document.spec().path("tags"))));
    }

    /**
     * The visibility timeout, in seconds, that a Queue document's spec declares, or SQS's default (30): what a trigger
     * compares with its function's timeout. A value the Queue's reader refuses counts as the default (that reader
     * reports it).
     */
    public static int visibilityTimeoutSeconds(JsonNode spec) {
        JsonNode node = spec.path(VISIBILITY_TIMEOUT);
        Optional<Duration> declared = Optional.empty();
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            declared = Optional.of(Duration.ofSeconds(node.longValue()));
        } else if (node.isTextual()) {
            declared = Durations.parse(node.asText());
        }
        return declared.filter(d -> d.toNanosPart() == 0 && d.getSeconds() <= Queue.MAX_VISIBILITY_TIMEOUT_SECONDS)
                .map(d -> (int) d.getSeconds())
                .orElse(Queue.DEFAULT_VISIBILITY_TIMEOUT_SECONDS);
    }

    /** A duration of whole seconds within SQS's limits; otherwise reported, and empty. */
    private static Optional<Integer> seconds(ReadContext document, String pointer, int min, int max) {
        Optional<Duration> duration = Specs.duration(document, pointer);
        if (duration.isEmpty()) {
            return Optional.empty();
        }
        String field = "spec." + pointer.substring("/spec/".length());
        Duration value = duration.get();
        if (document.hasProblemAt(pointer)) {
            // The schema reported a number outside the limits already.
            return Optional.empty();
        }
        if (value.toNanosPart() != 0) {
            document.problemAt(pointer, "'" + field + "' must be whole seconds: SQS counts it in seconds");
            return Optional.empty();
        }
        if (value.getSeconds() < min || value.getSeconds() > max) {
            document.problemAt(
                    pointer,
                    "'" + field + "' is " + shown(value.getSeconds()) + ", expected " + shown(min) + " to " + shown(max)
                            + " (SQS's limits)");
            return Optional.empty();
        }
        return Optional.of((int) value.getSeconds());
    }

    /** Seconds in the largest unit that divides them: 30s, 5m, 12h, 4d (as manifests may write them). */
    static String shown(long seconds) {
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    // Planning

    @Override
    public void plan(Queue desired, Optional<Queues.State> live, PlanBuilder plan) {
        ResourceKey key = key(desired.name());
        SortedMap<String, String> tags = new TreeMap<>(plan.stack().resourceTags(desired.tags()));
        plan.markSensitive(key, tags, List.of());
        if (live.isEmpty()) {
            List<FieldChange> changes = new ArrayList<>();
            if (desired.fifo()) {
                changes.add(FieldChange.set("fifo", "true"));
            }
            changes.add(FieldChange.set(VISIBILITY_TIMEOUT, shown(desired.visibilityTimeoutSeconds())));
            changes.add(FieldChange.set(MESSAGE_RETENTION, shown(desired.messageRetentionSeconds())));
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            plan.add(
                    key,
                    new CreateQueue(
                            desired.name(),
                            desired.visibilityTimeoutSeconds(),
                            desired.messageRetentionSeconds(),
                            tags,
                            changes));
            return;
        }
        Queues.State current = live.get();
        List<FieldChange> changes = new ArrayList<>();
        if (current.visibilityTimeoutSeconds() != desired.visibilityTimeoutSeconds()) {
            changes.add(FieldChange.change(
                    VISIBILITY_TIMEOUT,
                    shown(current.visibilityTimeoutSeconds()),
                    shown(desired.visibilityTimeoutSeconds())));
        }
        if (current.messageRetentionSeconds() != desired.messageRetentionSeconds()) {
            changes.add(FieldChange.change(
                    MESSAGE_RETENTION,
                    shown(current.messageRetentionSeconds()),
                    shown(desired.messageRetentionSeconds())));
        }
        if (!changes.isEmpty()) {
            plan.add(
                    key,
                    new UpdateQueue(
                            desired.name(),
                            desired.visibilityTimeoutSeconds(),
                            desired.messageRetentionSeconds(),
                            changes));
        }
        Tagging.plan(key, current.tags(), tags, plan);
    }

    /** Deletes the queue once every operation on the kinds above it is done (a trigger reading from it, say). */
    @Override
    public void prune(String name, Optional<Queues.State> live, PlanBuilder plan) {
        plan.add(key(name), new DeleteQueue(name), plan.operationsAbove(KIND));
    }

    // Operations

    /** An operation on one queue: its key is the queue's name, and it runs through {@link Queues}. */
    sealed interface QueueOperation extends Operation {
        String name();

        @Override
        default ResourceKey key() {
            return QueueKind.key(name());
        }
    }

    @Operation.Named(value = "CreateQueue", effect = Operation.Effect.CREATES)
    record CreateQueue(
            String name,
            int visibilityTimeoutSeconds,
            int messageRetentionSeconds,
            SortedMap<String, String> tags,
            List<FieldChange> changes)
            implements QueueOperation {
        CreateQueue {
            requireNonNull(name, "name is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return Queue.fifo(name) ? "create FIFO queue" : "create queue";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Queues.class).createQueue(name, visibilityTimeoutSeconds, messageRetentionSeconds, tags);
        }
    }

    @Operation.Named("UpdateQueue")
    record UpdateQueue(
            String name, int visibilityTimeoutSeconds, int messageRetentionSeconds, List<FieldChange> changes)
            implements QueueOperation {
        UpdateQueue {
            requireNonNull(name, "name is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "set queue attributes";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Queues.class).updateQueue(name, visibilityTimeoutSeconds, messageRetentionSeconds);
        }
    }

    @Operation.Named(value = "DeleteQueue", effect = Operation.Effect.DELETES)
    record DeleteQueue(String name) implements QueueOperation {
        DeleteQueue {
            requireNonNull(name, "name is null");
        }

        @Override
        public String summary() {
            return "delete queue and the messages it holds";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Queues.class).deleteQueue(name);
        }
    }
}
