package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.cloud.NewRole;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Collections2;
import io.lambdaform.model.FunctionSettings;
import io.lambdaform.model.ResourceKey;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * One step of a plan: a single change to one resource. Java 17 has no pattern switch, so consumers that must handle
 * every kind implement {@link Visitor}.
 */
public sealed interface Operation
        permits Operation.CreateRole,
                Operation.UpdateRole,
                Operation.UpdateAssumeRolePolicy,
                Operation.PutPermissionsBoundary,
                Operation.DeletePermissionsBoundary,
                Operation.AttachRolePolicy,
                Operation.DetachRolePolicy,
                Operation.PutRolePolicy,
                Operation.DeleteRolePolicy,
                Operation.TagResource,
                Operation.UntagResource,
                Operation.DeleteRole,
                Operation.CreateFunction,
                Operation.UpdateFunctionCode,
                Operation.UpdateFunctionConfiguration,
                Operation.DeleteFunction {

    /** What the operation does to its resource, for the +/~/- marks and the summary. */
    enum Action {
        CREATE("+"),
        UPDATE("~"),
        DELETE("-");

        private final String symbol;

        Action(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /**
     * The operation's name in the public plan format ({@code "operation"} in plan JSON and saved plans). Declared,
     * not derived from class names, so that renaming a class never changes the format; {@code schemas/plan.schema.json}
     * lists exactly these (a test checks it).
     */
    enum Type {
        CreateRole(Effect.CREATES),
        UpdateRole(Effect.CHANGES),
        UpdateAssumeRolePolicy(Effect.CHANGES),
        PutPermissionsBoundary(Effect.CHANGES),
        DeletePermissionsBoundary(Effect.CHANGES),
        AttachRolePolicy(Effect.CHANGES),
        DetachRolePolicy(Effect.CHANGES),
        PutRolePolicy(Effect.CHANGES),
        DeleteRolePolicy(Effect.CHANGES),
        TagResource(Effect.CHANGES),
        UntagResource(Effect.CHANGES),
        DeleteRole(Effect.DELETES),
        CreateFunction(Effect.CREATES),
        UpdateFunctionCode(Effect.CHANGES),
        UpdateFunctionConfiguration(Effect.CHANGES),
        DeleteFunction(Effect.DELETES);

        private final Effect effect;

        Type(Effect effect) {
            this.effect = effect;
        }

        /** What an operation of this type does to its resource as a whole. */
        public Effect effect() {
            return effect;
        }
    }

    /** Whether an operation brings its resource into being, changes it, or removes it. */
    enum Effect {
        CREATES,
        CHANGES,
        DELETES
    }

    /** The stable name of this operation in the plan format. */
    Type type();

    ResourceKey key();

    Action action();

    /** A short imperative sentence: "attach managed policy arn:...". */
    String summary();

    /** The summary without anything read from the live resource (a name of a live policy or tag, say). */
    default String hiddenSummary() {
        return summary();
    }

    /** Field-level changes, masked where secret; none by default. */
    default List<FieldChange> changes() {
        return List.of();
    }

    <R> R accept(Visitor<R> visitor);

    /** One method per operation kind. */
    interface Visitor<R> {
        R visit(CreateRole op);

        R visit(UpdateRole op);

        R visit(UpdateAssumeRolePolicy op);

        R visit(PutPermissionsBoundary op);

        R visit(DeletePermissionsBoundary op);

        R visit(AttachRolePolicy op);

        R visit(DetachRolePolicy op);

        R visit(PutRolePolicy op);

        R visit(DeleteRolePolicy op);

        R visit(TagResource op);

        R visit(UntagResource op);

        R visit(DeleteRole op);

        R visit(CreateFunction op);

        R visit(UpdateFunctionCode op);

        R visit(UpdateFunctionConfiguration op);

        R visit(DeleteFunction op);
    }

    record CreateRole(NewRole role, List<FieldChange> changes) implements Operation {
        @Override
        public Type type() {
            return Type.CreateRole;
        }

        public CreateRole {
            requireNonNull(role, "role is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(role.name());
        }

        @Override
        public Action action() {
            return Action.CREATE;
        }

        @Override
        public String summary() {
            return "create role";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record UpdateRole(String name, String description, int maxSessionDuration, List<FieldChange> changes)
            implements Operation {
        @Override
        public Type type() {
            return Type.UpdateRole;
        }

        public UpdateRole {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(name);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "update role settings";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record UpdateAssumeRolePolicy(String name, String document, List<FieldChange> changes) implements Operation {
        @Override
        public Type type() {
            return Type.UpdateAssumeRolePolicy;
        }

        public UpdateAssumeRolePolicy {
            requireNonNull(name, "name is null");
            requireNonNull(document, "document is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(name);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "update trust policy";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record PutPermissionsBoundary(String name, String policyArn, List<FieldChange> changes) implements Operation {
        @Override
        public Type type() {
            return Type.PutPermissionsBoundary;
        }

        public PutPermissionsBoundary {
            requireNonNull(name, "name is null");
            requireNonNull(policyArn, "policyArn is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(name);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "set permissions boundary " + policyArn;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record DeletePermissionsBoundary(String name, List<FieldChange> changes) implements Operation {
        @Override
        public Type type() {
            return Type.DeletePermissionsBoundary;
        }

        public DeletePermissionsBoundary {
            requireNonNull(name, "name is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(name);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "remove permissions boundary";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record AttachRolePolicy(String roleName, String policyArn) implements Operation {
        @Override
        public Type type() {
            return Type.AttachRolePolicy;
        }

        public AttachRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(roleName);
        }

        @Override
        public Action action() {
            return Action.CREATE;
        }

        @Override
        public String summary() {
            return "attach managed policy " + policyArn;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record DetachRolePolicy(String roleName, String policyArn) implements Operation {
        @Override
        public Type type() {
            return Type.DetachRolePolicy;
        }

        public DetachRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(roleName);
        }

        @Override
        public Action action() {
            return Action.DELETE;
        }

        @Override
        public String summary() {
            return "detach managed policy " + policyArn;
        }

        @Override
        public String hiddenSummary() {
            return "detach a managed policy (its ARN is not shown: the role held sensitive values)";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record PutRolePolicy(String roleName, String policyName, String document, List<FieldChange> changes)
            implements Operation {
        @Override
        public Type type() {
            return Type.PutRolePolicy;
        }

        public PutRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyName, "policyName is null");
            requireNonNull(document, "document is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(roleName);
        }

        @Override
        public Action action() {
            return changes.stream().anyMatch(c -> c.before().isPresent()) ? Action.UPDATE : Action.CREATE;
        }

        @Override
        public String summary() {
            return "put inline policy " + policyName;
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record DeleteRolePolicy(String roleName, String policyName) implements Operation {
        @Override
        public Type type() {
            return Type.DeleteRolePolicy;
        }

        public DeleteRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyName, "policyName is null");
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(roleName);
        }

        @Override
        public Action action() {
            return Action.DELETE;
        }

        @Override
        public String summary() {
            return "delete inline policy " + policyName;
        }

        @Override
        public String hiddenSummary() {
            return "delete an inline policy (its name is not shown: the role held sensitive values)";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    /** Adds or changes tags on a role or function. */
    record TagResource(ResourceKey key, SortedMap<String, String> tags, List<FieldChange> changes)
            implements Operation {
        @Override
        public Type type() {
            return Type.TagResource;
        }

        public TagResource {
            requireNonNull(key, "key is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "tag " + String.join(", ", tags.keySet());
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    /** Removes tags from a role or function. */
    record UntagResource(ResourceKey key, SortedSet<String> tagKeys, List<FieldChange> changes) implements Operation {
        @Override
        public Type type() {
            return Type.UntagResource;
        }

        public UntagResource {
            requireNonNull(key, "key is null");
            tagKeys = Collections2.sortedCopy(tagKeys);
            changes = List.copyOf(changes);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "untag " + String.join(", ", tagKeys);
        }

        @Override
        public String hiddenSummary() {
            return "untag " + tagKeys.size() + " tag(s) (not shown: the resource held sensitive values)";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record DeleteRole(String name) implements Operation {
        @Override
        public Type type() {
            return Type.DeleteRole;
        }

        public DeleteRole {
            requireNonNull(name, "name is null");
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.role(name);
        }

        @Override
        public Action action() {
            return Action.DELETE;
        }

        @Override
        public String summary() {
            return "delete role";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    /**
     * @param codeSha256 the CodeSha256 of the package the plan was computed from; apply refuses another
     */
    record CreateFunction(
            String name,
            String roleArn,
            FunctionSettings settings,
            CodeSource code,
            String codeSha256,
            SortedMap<String, String> tags,
            List<FieldChange> changes)
            implements Operation {
        @Override
        public Type type() {
            return Type.CreateFunction;
        }

        public CreateFunction {
            requireNonNull(name, "name is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(settings, "settings is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.function(name);
        }

        @Override
        public Action action() {
            return Action.CREATE;
        }

        @Override
        public String summary() {
            return "create function";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    /**
     * Replaces the code; Lambda changes the architectures only here, together with the code. The function is then
     * tagged with the package's source digest and CodeSha256.
     */
    record UpdateFunctionCode(
            String name,
            CodeSource code,
            String codeSha256,
            String sourceSha256,
            List<String> architectures,
            List<FieldChange> changes)
            implements Operation {
        @Override
        public Type type() {
            return Type.UpdateFunctionCode;
        }

        public UpdateFunctionCode {
            requireNonNull(name, "name is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(sourceSha256, "sourceSha256 is null");
            architectures = List.copyOf(architectures);
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.function(name);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "update code";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record UpdateFunctionConfiguration(
            String name, String roleArn, FunctionSettings settings, List<FieldChange> changes) implements Operation {
        @Override
        public Type type() {
            return Type.UpdateFunctionConfiguration;
        }

        public UpdateFunctionConfiguration {
            requireNonNull(name, "name is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(settings, "settings is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.function(name);
        }

        @Override
        public Action action() {
            return Action.UPDATE;
        }

        @Override
        public String summary() {
            return "update configuration";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }

    record DeleteFunction(String name) implements Operation {
        @Override
        public Type type() {
            return Type.DeleteFunction;
        }

        public DeleteFunction {
            requireNonNull(name, "name is null");
        }

        @Override
        public ResourceKey key() {
            return ResourceKey.function(name);
        }

        @Override
        public Action action() {
            return Action.DELETE;
        }

        @Override
        public String summary() {
            return "delete function";
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.visit(this);
        }
    }
}
