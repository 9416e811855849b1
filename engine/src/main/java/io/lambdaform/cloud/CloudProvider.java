package io.lambdaform.cloud;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The port through which the engine reads and changes a target: the embedded local cloud or AWS. One small port per
 * kind of resource ({@link Roles}, {@link Functions}) plus what concerns the target as a whole (its description, a
 * stack's inventory, the stack lock, the cost of the run). It speaks model and live-state records only; an adapter
 * maps them to its own API. Every mutating method is one idempotent-minded
 * step that either completes (including any wait the target needs before the next call) or throws a
 * {@link io.lambdaform.LambdaformException}.
 *
 * <p>Implementations must be safe to call from several threads at once: apply runs independent operations in
 * parallel.
 */
public interface CloudProvider extends Roles, Functions {
    TargetDescription describe();

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
