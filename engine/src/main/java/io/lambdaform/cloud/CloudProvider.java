package io.lambdaform.cloud;

import io.lambdaform.resource.TargetDescription;
import java.time.Duration;
import java.util.Optional;

/**
 * What concerns a target as a whole: the embedded local cloud or AWS. Its description, the stack lock, and the cost
 * of the run; each kind of resource has its own small port (such as {@code Roles} or {@code Functions}), bound per
 * target from {@code io.lambdaform.kinds.Kinds}. Ports speak model and live-state records only; an adapter maps them
 * to its own API. Every mutating method is one idempotent-minded step that either completes (including any wait the
 * target needs before the next call) or throws a {@link io.lambdaform.LambdaformException}.
 *
 * <p>Implementations must be safe to call from several threads at once: apply runs independent operations in
 * parallel.
 */
public interface CloudProvider extends AutoCloseable {
    TargetDescription describe();

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

    /**
     * Ends what the target keeps running for this command (the local cloud's warm execution environments); the
     * command is over. Nothing by default.
     */
    @Override
    default void close() {}

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
