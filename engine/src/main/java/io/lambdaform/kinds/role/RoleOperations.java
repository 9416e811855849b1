package io.lambdaform.kinds.role;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import java.util.List;

/** The operations of a role plan, each carried out through the {@link Roles} port. */
public final class RoleOperations {
    private RoleOperations() {}

    /** An operation on one role: its key derives from the role's name, and it runs through {@link Roles}. */
    sealed interface RoleOperation extends Operation {
        String roleName();

        /** Carries the operation out through the port. */
        void run(Roles roles);

        @Override
        default ResourceKey key() {
            return new ResourceKey(RoleKind.KIND, roleName());
        }

        @Override
        default void apply(ApplyContext target) {
            run(target.port(Roles.class));
        }
    }

    @Operation.Named(value = "CreateRole", effect = Operation.Effect.CREATES)
    public record CreateRole(NewRole role, List<FieldChange> changes) implements RoleOperation {
        public CreateRole {
            requireNonNull(role, "role is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String roleName() {
            return role.name();
        }

        @Override
        public String summary() {
            return "create role";
        }

        @Override
        public void run(Roles roles) {
            roles.createRole(role);
        }
    }

    @Operation.Named("UpdateRole")
    public record UpdateRole(String roleName, String description, int maxSessionDuration, List<FieldChange> changes)
            implements RoleOperation {
        public UpdateRole {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(description, "description is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "update role settings";
        }

        @Override
        public void run(Roles roles) {
            roles.updateRole(roleName, description, maxSessionDuration);
        }
    }

    @Operation.Named("UpdateAssumeRolePolicy")
    public record UpdateAssumeRolePolicy(String roleName, String document, List<FieldChange> changes)
            implements RoleOperation {
        public UpdateAssumeRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(document, "document is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "update trust policy";
        }

        @Override
        public void run(Roles roles) {
            roles.updateAssumeRolePolicy(roleName, document);
        }
    }

    @Operation.Named("PutPermissionsBoundary")
    public record PutPermissionsBoundary(String roleName, String policyArn, List<FieldChange> changes)
            implements RoleOperation {
        public PutPermissionsBoundary {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "set permissions boundary " + policyArn;
        }

        @Override
        public void run(Roles roles) {
            roles.putPermissionsBoundary(roleName, policyArn);
        }
    }

    @Operation.Named("DeletePermissionsBoundary")
    public record DeletePermissionsBoundary(String roleName, List<FieldChange> changes) implements RoleOperation {
        public DeletePermissionsBoundary {
            requireNonNull(roleName, "roleName is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "remove permissions boundary";
        }

        @Override
        public void run(Roles roles) {
            roles.deletePermissionsBoundary(roleName);
        }
    }

    @Operation.Named(value = "AttachRolePolicy", action = Operation.Action.CREATE)
    public record AttachRolePolicy(String roleName, String policyArn) implements RoleOperation {
        public AttachRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
        }

        @Override
        public String summary() {
            return "attach managed policy " + policyArn;
        }

        @Override
        public void run(Roles roles) {
            roles.attachRolePolicy(roleName, policyArn);
        }
    }

    @Operation.Named(value = "DetachRolePolicy", action = Operation.Action.DELETE)
    public record DetachRolePolicy(String roleName, String policyArn) implements RoleOperation {
        public DetachRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
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
        public void run(Roles roles) {
            roles.detachRolePolicy(roleName, policyArn);
        }
    }

    @Operation.Named("PutRolePolicy")
    public record PutRolePolicy(String roleName, String policyName, String document, List<FieldChange> changes)
            implements RoleOperation {
        public PutRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyName, "policyName is null");
            requireNonNull(document, "document is null");
            changes = List.copyOf(changes);
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
        public void run(Roles roles) {
            roles.putRolePolicy(roleName, policyName, document);
        }
    }

    @Operation.Named(value = "DeleteRolePolicy", action = Operation.Action.DELETE)
    public record DeleteRolePolicy(String roleName, String policyName) implements RoleOperation {
        public DeleteRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyName, "policyName is null");
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
        public void run(Roles roles) {
            roles.deleteRolePolicy(roleName, policyName);
        }
    }

    @Operation.Named(value = "DeleteRole", effect = Operation.Effect.DELETES)
    public record DeleteRole(String roleName) implements RoleOperation {
        public DeleteRole {
            requireNonNull(roleName, "roleName is null");
        }

        @Override
        public String summary() {
            return "delete role";
        }

        @Override
        public void run(Roles roles) {
            roles.deleteRole(roleName);
        }
    }
}
