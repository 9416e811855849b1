package io.lambdaform.kinds.loggroup;

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
 * CloudWatch Logs log groups, a function's above all: read from {@code kind: LogGroup} documents, created with their
 * tags and retention before any function (rank 0, so before a function's first invocation can make Lambda create the
 * group without a retention), their retention set or removed when it differs, and deleted when no longer declared,
 * after every operation on the kinds above.
 */
public final class LogGroupKind extends AbstractResourceKind<LogGroup, LogGroups.State, LogGroups> {
    public static final LogGroupKind KIND = new LogGroupKind();

    private static final String RETENTION = "retentionInDays";

    private LogGroupKind() {
        super("LogGroup", 0, LogGroup.class, LogGroups.class, LogGroupOperation.class);
    }

    /** The key of the log group with that name. */
    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.LEANING_LEFT;
    }

    /** {@code arn:aws:logs:us-east-1:123456789012:log-group:name}, with or without the {@code :*} of its streams. */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("logs", "log-group:")
                .map(name -> name.endsWith(":*") ? name.substring(0, name.length() - 2) : name);
    }

    // Reading

    @Override
    public Optional<LogGroup> read(ReadContext document) {
        String pointer = "/spec/" + RETENTION;
        int before = document.problemCount();
        Optional<Integer> retention = Specs.integer(document, pointer, 1, 3653);
        if (document.problemCount() > before || document.hasProblemAt(pointer)) {
            // Reported here, or by the schema's enumeration.
            return Optional.empty();
        }
        if (retention.isPresent() && !LogGroup.RETENTION_DAYS.contains(retention.get())) {
            document.problemAt(
                    pointer,
                    "'spec." + RETENTION + "' is " + retention.get() + ", expected one of CloudWatch Logs' retentions: "
                            + LogGroup.RETENTION_DAYS);
            return Optional.empty();
        }
        return Optional.of(new LogGroup(
                document.name(),
                retention.orElse(LogGroup.NEVER_EXPIRE),
                Specs.strings(document.spec().path("tags"))));
    }

    // Planning

    @Override
    public void plan(LogGroup desired, Optional<LogGroups.State> live, PlanBuilder plan) {
        ResourceKey key = key(desired.name());
        SortedMap<String, String> tags = new TreeMap<>(plan.stack().resourceTags(desired.tags()));
        plan.markSensitive(key, tags, List.of());
        if (live.isEmpty()) {
            List<FieldChange> changes = new ArrayList<>();
            changes.add(FieldChange.set(RETENTION, LogGroup.shown(desired.retentionInDays())));
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            plan.add(key, new CreateLogGroup(desired.name(), desired.retentionInDays(), tags, changes));
            return;
        }
        LogGroups.State current = live.get();
        if (current.retentionInDays() != desired.retentionInDays()) {
            plan.add(
                    key,
                    new SetLogGroupRetention(
                            desired.name(),
                            desired.retentionInDays(),
                            List.of(FieldChange.change(
                                    RETENTION,
                                    LogGroup.shown(current.retentionInDays()),
                                    LogGroup.shown(desired.retentionInDays())))));
        }
        Tagging.plan(key, current.tags(), tags, plan);
    }

    /** Deletes the log group once every operation on the kinds above it is done (a function that logs to it). */
    @Override
    public void prune(String name, Optional<LogGroups.State> live, PlanBuilder plan) {
        plan.add(key(name), new DeleteLogGroup(name), plan.operationsAbove(KIND));
    }

    // Operations

    /** An operation on one log group: its key is the group's name, and it runs through {@link LogGroups}. */
    sealed interface LogGroupOperation extends Operation {
        String name();

        @Override
        default ResourceKey key() {
            return LogGroupKind.key(name());
        }
    }

    /** CreateLogGroup with its tags, then PutRetentionPolicy when it has a retention. */
    @Operation.Named(value = "CreateLogGroup", effect = Operation.Effect.CREATES)
    record CreateLogGroup(String name, int retentionInDays, SortedMap<String, String> tags, List<FieldChange> changes)
            implements LogGroupOperation {
        CreateLogGroup {
            requireNonNull(name, "name is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "create log group";
        }

        @Override
        public void apply(ApplyContext target) {
            LogGroups logGroups = target.port(LogGroups.class);
            logGroups.createLogGroup(name, tags);
            if (retentionInDays != LogGroup.NEVER_EXPIRE) {
                logGroups.setRetention(name, retentionInDays);
            }
        }
    }

    /** PutRetentionPolicy, or DeleteRetentionPolicy when the retention is no longer declared. */
    @Operation.Named("SetLogGroupRetention")
    record SetLogGroupRetention(String name, int retentionInDays, List<FieldChange> changes)
            implements LogGroupOperation {
        SetLogGroupRetention {
            requireNonNull(name, "name is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return retentionInDays == LogGroup.NEVER_EXPIRE ? "remove retention policy" : "set retention policy";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(LogGroups.class).setRetention(name, retentionInDays);
        }
    }

    @Operation.Named(value = "DeleteLogGroup", effect = Operation.Effect.DELETES)
    record DeleteLogGroup(String name) implements LogGroupOperation {
        DeleteLogGroup {
            requireNonNull(name, "name is null");
        }

        @Override
        public String summary() {
            return "delete log group and the events it holds";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(LogGroups.class).deleteLogGroup(name);
        }
    }
}
