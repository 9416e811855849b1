package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.kinds.role.Roles;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The {@link Roles} port in the local cloud: roles kept in the state's "roles" section. It refuses what IAM refuses
 * where the engine relies on it: a duplicate name, detaching what is not attached, deleting a role with policies.
 */
public final class LocalRoles implements Roles {
    static final LocalState.Section<RoleState> SECTION = new LocalState.Section<>("roles", "role", RoleState.class);

    private final LocalCloud cloud;

    @Inject
    public LocalRoles(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    @Override
    public Optional<RoleState> findRole(String name) {
        return cloud.store().read().get(SECTION, name);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return cloud.store().read().ownedBy(SECTION, stackName, except, RoleState::tags);
    }

    @Override
    public RoleState createRole(NewRole role) {
        RoleState created = RoleState.created(
                role,
                cloud.describe().roleArn(role.path(), role.name()),
                PolicyDocuments.decode(role.assumeRolePolicy()));
        cloud.store().update(state -> {
            if (state.get(SECTION, role.name()).isPresent()) {
                throw LocalCloud.refused("EntityAlreadyExists", "Role with name " + role.name() + " already exists.");
            }
            state.put(SECTION, role.name(), created);
            return state;
        });
        return created;
    }

    @Override
    public void updateRole(String name, String description, int maxSessionDuration) {
        updateRoleState(name, r -> r.withDescription(description, maxSessionDuration));
    }

    @Override
    public void updateAssumeRolePolicy(String name, String policyDocument) {
        updateRoleState(name, r -> r.withAssumeRolePolicy(PolicyDocuments.decode(policyDocument)));
    }

    @Override
    public void putPermissionsBoundary(String name, String policyArn) {
        updateRoleState(name, r -> r.withPermissionsBoundary(Optional.of(policyArn)));
    }

    @Override
    public void deletePermissionsBoundary(String name) {
        updateRoleState(name, r -> r.withPermissionsBoundary(Optional.empty()));
    }

    @Override
    public void attachRolePolicy(String roleName, String policyArn) {
        updateRoleState(roleName, r -> {
            TreeSet<String> arns = new TreeSet<>(r.managedPolicyArns());
            arns.add(policyArn);
            return r.withPolicies(arns, new TreeMap<>(r.inlinePolicies()));
        });
    }

    @Override
    public void detachRolePolicy(String roleName, String policyArn) {
        updateRoleState(roleName, r -> {
            if (!r.managedPolicyArns().contains(policyArn)) {
                throw LocalCloud.refused("NoSuchEntity", "Policy " + policyArn + " was not found.");
            }
            TreeSet<String> arns = new TreeSet<>(r.managedPolicyArns());
            arns.remove(policyArn);
            return r.withPolicies(arns, new TreeMap<>(r.inlinePolicies()));
        });
    }

    @Override
    public void putRolePolicy(String roleName, String policyName, String policyDocument) {
        updateRoleState(roleName, r -> {
            TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
            inline.put(policyName, PolicyDocuments.decode(policyDocument));
            return r.withPolicies(new TreeSet<>(r.managedPolicyArns()), inline);
        });
    }

    @Override
    public void deleteRolePolicy(String roleName, String policyName) {
        updateRoleState(roleName, r -> {
            if (!r.inlinePolicies().containsKey(policyName)) {
                throw LocalCloud.refused(
                        "NoSuchEntity", "The role policy with name " + policyName + " cannot be found.");
            }
            TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
            inline.remove(policyName);
            return r.withPolicies(new TreeSet<>(r.managedPolicyArns()), inline);
        });
    }

    @Override
    public void tagRole(String name, Map<String, String> tags) {
        updateRoleState(name, r -> r.withTags(Tags.merge(r.tags(), tags)));
    }

    @Override
    public void untagRole(String name, Collection<String> tagKeys) {
        updateRoleState(name, r -> r.withTags(Tags.without(r.tags(), tagKeys)));
    }

    @Override
    public void deleteRole(String name) {
        cloud.store().update(state -> {
            RoleState role = state.get(SECTION, name).orElse(null);
            if (role == null) {
                throw LocalCloud.refused("NoSuchEntity", "The role with name " + name + " cannot be found.");
            }
            if (!role.managedPolicyArns().isEmpty() || !role.inlinePolicies().isEmpty()) {
                throw LocalCloud.refused("DeleteConflict", "Cannot delete entity, must detach all policies first.");
            }
            state.remove(SECTION, name);
            return state;
        });
    }

    private void updateRoleState(String name, UnaryOperator<RoleState> change) {
        cloud.store().update(state -> {
            RoleState role = state.get(SECTION, name).orElse(null);
            if (role == null) {
                throw LocalCloud.refused("NoSuchEntity", "The role with name " + name + " cannot be found.");
            }
            state.put(SECTION, name, change.apply(role));
            return state;
        });
    }
}
