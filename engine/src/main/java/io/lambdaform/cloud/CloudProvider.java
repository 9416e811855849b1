package io.lambdaform.cloud;

import io.lambdaform.model.FunctionSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The port through which the engine reads and changes a target: the embedded local cloud or AWS. It speaks model
 * and live-state records only; an adapter maps them to its own API. Every mutating method is one idempotent-minded
 * step that either completes (including any wait the target needs before the next call) or throws a
 * {@link io.lambdaform.LambdaformException}.
 *
 * <p>Implementations must be safe to call from several threads at once: apply runs independent operations in
 * parallel.
 */
public interface CloudProvider {
    TargetDescription describe();

    /** The ARN a role of this account with that path and name has (or will have). */
    String roleArn(String path, String name);

    Optional<RoleState> findRole(String name);

    Optional<FunctionState> findFunction(String name);

    /**
     * Names of the roles and functions that carry {@code lambdaform:stack=<stackName>}, other than the given ones
     * (which the caller reads anyway, so an adapter need not spend a call on their tags).
     */
    StackInventory inventory(String stackName, Set<String> exceptRoles, Set<String> exceptFunctions);

    /**
     * Takes the target's lock for one stack, so that two applies of it cannot interleave. Waits up to {@code timeout}
     * for a holder to finish, then fails naming the holder.
     */
    StackLock lock(String stackName, Duration timeout);

    /**
     * Releases a stack lock whose holder died without releasing it; returns who held it, or empty when it was not
     * held. Refuses when the holder is provably still running.
     */
    Optional<String> forceUnlock(String stackName);

    // IAM roles

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

    // Lambda functions

    /** Creates the function and returns once it is Active. */
    FunctionState createFunction(NewFunction function);

    /**
     * Replaces the code (and the instruction set architecture, which Lambda changes only together with the code) and
     * returns once the update is Successful.
     */
    void updateFunctionCode(String name, DeploymentPackage code, List<String> architectures);

    /** Replaces the configuration (all but the architectures) and returns once the update is Successful. */
    void updateFunctionConfiguration(String name, String roleArn, FunctionSettings settings);

    void tagFunction(String name, Map<String, String> tags);

    void untagFunction(String name, Collection<String> tagKeys);

    void deleteFunction(String name);

    /** Invokes synchronously (RequestResponse) with the event as JSON text. */
    InvocationResult invoke(String functionName, String event);

    /** What this run has cost on the target so far, such as API calls made, when the target counts it. */
    default Optional<String> usage(boolean detailed) {
        return Optional.empty();
    }

    /** What the provider does while an operation runs: waiting for a state, retrying, throttling. */
    @FunctionalInterface
    interface ProgressListener {
        ProgressListener NONE = message -> {};

        void onProgress(String message);
    }
}
