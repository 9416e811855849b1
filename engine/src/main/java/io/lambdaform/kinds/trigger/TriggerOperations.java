package io.lambdaform.kinds.trigger;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import java.util.List;
import java.util.Optional;

/**
 * The operations of triggers: the statement in the function's policy, and the link on the source, each its own
 * operation (a bucket's notification entry is written after the permission S3 checks for, and removed before it).
 */
final class TriggerOperations {
    private TriggerOperations() {}

    /** An operation on one trigger, run through {@link Triggers}. */
    sealed interface TriggerOperation extends Operation {
        String trigger();

        @Override
        default ResourceKey key() {
            return TriggerKind.key(trigger());
        }
    }

    @Operation.Named(value = "AddPermission", effect = Operation.Effect.CREATES)
    record AddPermission(String trigger, String function, Optional<String> qualifier, Triggers.Statement statement)
            implements TriggerOperation {
        AddPermission {
            requireNonNull(trigger, "trigger is null");
            requireNonNull(function, "function is null");
            requireNonNull(qualifier, "qualifier is null");
            requireNonNull(statement, "statement is null");
        }

        @Override
        public String summary() {
            return "allow " + statement.principal() + " to invoke " + function
                    + qualifier.map(q -> ":" + q).orElse("")
                    + statement.sourceArn().map(a -> " from " + a).orElse("") + " (Lambda AddPermission "
                    + statement.sid() + ")";
        }

        @Override
        public List<FieldChange> changes() {
            return statement.fields().entrySet().stream()
                    .map(e -> FieldChange.set("permission." + e.getKey(), e.getValue()))
                    .toList();
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Triggers.class).addPermission(function, qualifier, statement);
        }
    }

    @Operation.Named(value = "RemovePermission", effect = Operation.Effect.DELETES)
    record RemovePermission(String trigger, String function, Optional<String> qualifier, Triggers.Statement statement)
            implements TriggerOperation {
        RemovePermission {
            requireNonNull(trigger, "trigger is null");
            requireNonNull(function, "function is null");
            requireNonNull(qualifier, "qualifier is null");
            requireNonNull(statement, "statement is null");
        }

        @Override
        public String summary() {
            return "remove the permission of " + statement.principal() + " to invoke " + function
                    + qualifier.map(q -> ":" + q).orElse("") + " (Lambda RemovePermission " + statement.sid() + ")";
        }

        @Override
        public List<FieldChange> changes() {
            return statement.fields().entrySet().stream()
                    .map(e -> FieldChange.remove("permission." + e.getKey(), e.getValue()))
                    .toList();
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Triggers.class).removePermission(function, qualifier, statement.sid());
        }
    }

    @Operation.Named(value = "ConnectTrigger", effect = Operation.Effect.CREATES)
    record ConnectTrigger(Triggers.Connection connection, List<FieldChange> changes) implements TriggerOperation {
        ConnectTrigger {
            requireNonNull(connection, "connection is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String trigger() {
            return connection.trigger();
        }

        @Override
        public String summary() {
            return TriggerKind.describe(connection, "create");
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Triggers.class).connect(connection);
        }
    }

    @Operation.Named("UpdateTrigger")
    record UpdateTrigger(Triggers.Connection connection, Triggers.Link live, List<FieldChange> changes)
            implements TriggerOperation {
        UpdateTrigger {
            requireNonNull(connection, "connection is null");
            requireNonNull(live, "live is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String trigger() {
            return connection.trigger();
        }

        @Override
        public String summary() {
            return TriggerKind.describe(connection, "update");
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Triggers.class).update(connection, live);
        }
    }

    @Operation.Named(value = "DisconnectTrigger", effect = Operation.Effect.DELETES)
    record DisconnectTrigger(Triggers.State live) implements TriggerOperation {
        DisconnectTrigger {
            requireNonNull(live, "live is null");
        }

        @Override
        public String trigger() {
            return live.name();
        }

        @Override
        public String summary() {
            return TriggerKind.describe(live, "delete");
        }

        @Override
        public List<FieldChange> changes() {
            return live.link().orElseThrow().settings().entrySet().stream()
                    .map(e -> FieldChange.remove(e.getKey(), e.getValue()))
                    .toList();
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Triggers.class).disconnect(live);
        }
    }
}
