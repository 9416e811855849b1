package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.Planning;
import io.lambdaform.plan.SavedPlan;
import io.lambdaform.resource.Stack;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The flow apply and destroy share, as the engine runs it: take the stack's lock, read and plan (or check a saved
 * plan), let the caller confirm, apply, and say how it ended. The caller (the CLI) renders; the engine decides.
 */
public final class ChangeFlow {
    private final CloudProvider cloud;
    private final Planning planning;
    private final Applier applier;

    @Inject
    public ChangeFlow(CloudProvider cloud, Planning planning, Applier applier) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.planning = requireNonNull(planning, "planning is null");
        this.applier = requireNonNull(applier, "applier is null");
    }

    /** What the caller sees of a run. */
    public interface Listener extends ApplyListener {
        /** The lock is held; {@code warning} says when it was taken from a run that had died. */
        default void locked(Optional<String> warning) {}

        /**
         * The plan is ready. For a plan with changes and no conflicts, returns whether to apply it (the CLI shows it
         * and asks); otherwise the return value is ignored.
         */
        boolean planned(Plan plan);
    }

    /** How a run ended. */
    public enum Status {
        NO_CHANGES,
        CONFLICTS,
        CANCELLED,
        SUCCEEDED,
        FAILED
    }

    /** The plan, what was applied of it (when anything was), and how the run ended. */
    public record Outcome(Plan plan, Optional<ApplyResult> result, Status status) {
        public Outcome {
            requireNonNull(plan, "plan is null");
            requireNonNull(result, "result is null");
            requireNonNull(status, "status is null");
        }
    }

    /** Makes the target match {@code desired}; {@code adopt} names resources to take over. */
    public Outcome apply(Stack desired, Set<String> adopt, Duration lockTimeout, int parallelism, Listener listener) {
        return apply(desired, PlanOptions.adopting(adopt), lockTimeout, parallelism, listener);
    }

    /** Makes the target match {@code desired}, as {@code options} ask. */
    public Outcome apply(Stack desired, PlanOptions options, Duration lockTimeout, int parallelism, Listener listener) {
        return locked(desired.name(), lockTimeout, listener, () -> planning.plan(desired, options), parallelism);
    }

    /** Carries out, under the stack's lock, the plan {@code planner} makes there (a rollback's). */
    public Outcome run(
            String stackName, Supplier<Plan> planner, Duration lockTimeout, int parallelism, Listener listener) {
        return locked(stackName, lockTimeout, listener, planner, parallelism);
    }

    /** Deletes every resource of the stack but those it releases ({@code spec.release}), which it lets go of. */
    public Outcome destroy(Stack stack, Duration lockTimeout, int parallelism, Listener listener) {
        return locked(stack.name(), lockTimeout, listener, () -> planning.planDestroy(stack), parallelism);
    }

    /**
     * Applies a plan saved by {@code plan --out}: plans again under the lock and refuses, changing nothing, when the
     * saved plan has gone stale ({@link SavedPlan#requireCurrent}).
     */
    public Outcome applySaved(
            SavedPlan saved,
            Stack desired,
            String manifestsDigest,
            Duration lockTimeout,
            int parallelism,
            Listener listener) {
        return locked(
                desired.name(),
                lockTimeout,
                listener,
                () -> {
                    Plan fresh = planning.plan(
                            desired,
                            new PlanOptions(
                                    saved.inputs().adopt(), saved.inputs().payloadGates()));
                    saved.requireCurrent(manifestsDigest, fresh);
                    return fresh;
                },
                parallelism);
    }

    private Outcome locked(
            String stackName, Duration lockTimeout, Listener listener, Supplier<Plan> planner, int parallelism) {
        try (StackLock lock = cloud.lock(stackName, lockTimeout)) {
            listener.locked(lock.warning());
            Plan plan = planner.get();
            boolean proceed = listener.planned(plan);
            if (!plan.conflicts().isEmpty()) {
                return new Outcome(plan, Optional.empty(), Status.CONFLICTS);
            }
            if (!plan.hasChanges()) {
                return new Outcome(plan, Optional.empty(), Status.NO_CHANGES);
            }
            if (!proceed) {
                return new Outcome(plan, Optional.empty(), Status.CANCELLED);
            }
            ApplyResult result = applier.apply(plan, listener, parallelism);
            return new Outcome(plan, Optional.of(result), result.succeeded() ? Status.SUCCEEDED : Status.FAILED);
        }
    }
}
