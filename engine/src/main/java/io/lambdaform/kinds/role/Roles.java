package io.lambdaform.kinds.role;

import io.lambdaform.resource.Port;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The port for IAM roles: what the engine reads and changes of a role on a target (and, through {@link Port}, what
 * it does alike for every kind). Each mutation either completes or
 * throws a {@link io.lambdaform.LambdaformException}; implementations are safe to call from several threads.
 */
public interface Roles extends Port<RoleState> {
    Optional<RoleState> findRole(String name);

    @Override
    default Optional<RoleState> find(String name) {
        return findRole(name);
    }

    RoleState createRole(NewRole role);

    void updateRole(String name, String description, int maxSessionDuration);

    void updateAssumeRolePolicy(String name, String policyDocument);

    void putPermissionsBoundary(String name, String policyArn);

    void deletePermissionsBoundary(String name);

    void attachRolePolicy(String roleName, String policyArn);

    void detachRolePolicy(String roleName, String policyArn);

    void putRolePolicy(String roleName, String policyName, String policyDocument);

    void deleteRolePolicy(String roleName, String policyName);

    void tagRole(String name, Map<String, String> tags);

    void untagRole(String name, Collection<String> tagKeys);

    @Override
    default void tag(String name, Map<String, String> tags) {
        tagRole(name, tags);
    }

    @Override
    default void untag(String name, Collection<String> tagKeys) {
        untagRole(name, tagKeys);
    }

    /** Deletes a role whose managed policies are detached and inline policies deleted. */
    void deleteRole(String name);
}
