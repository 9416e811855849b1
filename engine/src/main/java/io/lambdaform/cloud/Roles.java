package io.lambdaform.cloud;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The port for IAM roles: what the engine reads and changes of a role on a target. Each mutation either completes or
 * throws a {@link io.lambdaform.LambdaformException}; implementations are safe to call from several threads.
 */
public interface Roles {
    /** The ARN a role of this account with that path and name has (or will have). */
    String roleArn(String path, String name);

    Optional<RoleState> findRole(String name);

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

    /** Deletes a role whose managed policies are detached and inline policies deleted. */
    void deleteRole(String name);
}
