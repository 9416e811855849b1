package io.lambdaform.kinds.role;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Tagging;
import java.util.List;

/** The operations of a role plan, each carried out through the {@link Roles} port. */
public final class RoleOperations {
    public static final Operation.Type CREATE_ROLE = new Operation.Type("CreateRole", Operation.Effect.CREATES);
    public static final Operation.Type UPDATE_ROLE = changes("UpdateRole");
    public static final Operation.Type UPDATE_ASSUME_ROLE_POLICY = changes("UpdateAssumeRolePolicy");
    public static final Operation.Type PUT_PERMISSIONS_BOUNDARY = changes("PutPermissionsBoundary");
    public static final Operation.Type DELETE_PERMISSIONS_BOUNDARY = changes("DeletePermissionsBoundary");
    public static final Operation.Type ATTACH_ROLE_POLICY = changes("AttachRolePolicy");
    public static final Operation.Type DETACH_ROLE_POLICY = changes("DetachRolePolicy");
    public static final Operation.Type PUT_ROLE_POLICY = changes("PutRolePolicy");
    public static final Operation.Type DELETE_ROLE_POLICY = changes("DeleteRolePolicy");
    public static final Operation.Type DELETE_ROLE = new Operation.Type("DeleteRole", Operation.Effect.DELETES);

    /** Every type, in the order the plan format lists them (tags are shared by every kind: {@link Tagging}). */
    static final List<Operation.Type> TYPES = List.of(
            CREATE_ROLE,
            UPDATE_ROLE,
            UPDATE_ASSUME_ROLE_POLICY,
            PUT_PERMISSIONS_BOUNDARY,
            DELETE_PERMISSIONS_BOUNDARY,
            ATTACH_ROLE_POLICY,
            DETACH_ROLE_POLICY,
            PUT_ROLE_POLICY,
            DELETE_ROLE_POLICY,
            Tagging.TAG_RESOURCE,
            Tagging.UNTAG_RESOURCE,
            DELETE_ROLE);

    private RoleOperations() {}

    private static Operation.Type changes(String name) {
        return new Operation.Type(name, Operation.Effect.CHANGES);
    }

    /** An operation on one role: its key derives from the role's name, and it runs through {@link Roles}. */
    interface RoleOperation extends Operation {
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
        public Type type() {
            return CREATE_ROLE;
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
        public void run(Roles roles) {
            roles.createRole(role);
        }
    }

    public record UpdateRole(String roleName, String description, int maxSessionDuration, List<FieldChange> changes)
            implements RoleOperation {
        public UpdateRole {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(description, "description is null");
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return UPDATE_ROLE;
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
        public void run(Roles roles) {
            roles.updateRole(roleName, description, maxSessionDuration);
        }
    }

    public record UpdateAssumeRolePolicy(String roleName, String document, List<FieldChange> changes)
            implements RoleOperation {
        public UpdateAssumeRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(document, "document is null");
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return UPDATE_ASSUME_ROLE_POLICY;
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
        public void run(Roles roles) {
            roles.updateAssumeRolePolicy(roleName, document);
        }
    }

    public record PutPermissionsBoundary(String roleName, String policyArn, List<FieldChange> changes)
            implements RoleOperation {
        public PutPermissionsBoundary {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return PUT_PERMISSIONS_BOUNDARY;
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
        public void run(Roles roles) {
            roles.putPermissionsBoundary(roleName, policyArn);
        }
    }

    public record DeletePermissionsBoundary(String roleName, List<FieldChange> changes) implements RoleOperation {
        public DeletePermissionsBoundary {
            requireNonNull(roleName, "roleName is null");
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return DELETE_PERMISSIONS_BOUNDARY;
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
        public void run(Roles roles) {
            roles.deletePermissionsBoundary(roleName);
        }
    }

    public record AttachRolePolicy(String roleName, String policyArn) implements RoleOperation {
        public AttachRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
        }

        @Override
        public Type type() {
            return ATTACH_ROLE_POLICY;
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
        public void run(Roles roles) {
            roles.attachRolePolicy(roleName, policyArn);
        }
    }

    public record DetachRolePolicy(String roleName, String policyArn) implements RoleOperation {
        public DetachRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyArn, "policyArn is null");
        }

        @Override
        public Type type() {
            return DETACH_ROLE_POLICY;
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
        public void run(Roles roles) {
            roles.detachRolePolicy(roleName, policyArn);
        }
    }

    public record PutRolePolicy(String roleName, String policyName, String document, List<FieldChange> changes)
            implements RoleOperation {
        public PutRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyName, "policyName is null");
            requireNonNull(document, "document is null");
            changes = List.copyOf(changes);
        }

        @Override
        public Type type() {
            return PUT_ROLE_POLICY;
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

    public record DeleteRolePolicy(String roleName, String policyName) implements RoleOperation {
        public DeleteRolePolicy {
            requireNonNull(roleName, "roleName is null");
            requireNonNull(policyName, "policyName is null");
        }

        @Override
        public Type type() {
            return DELETE_ROLE_POLICY;
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
        public void run(Roles roles) {
            roles.deleteRolePolicy(roleName, policyName);
        }
    }

    public record DeleteRole(String roleName) implements RoleOperation {
        public DeleteRole {
            requireNonNull(roleName, "roleName is null");
        }

        @Override
        public Type type() {
            return DELETE_ROLE;
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
        public void run(Roles roles) {
            roles.deleteRole(roleName);
        }
    }
}
