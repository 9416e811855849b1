package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlannedOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a plan: each operation once every operation it depends on has succeeded, independent ones in parallel (up
 * to a bound). On the first failure it starts nothing new, lets running operations finish, and reports exactly what
 * was done and what was not. Re-running plan and apply converges, because every operation is derived from live state.
 */
public final class Applier {
    public static final int DEFAULT_PARALLELISM = 16;

    private final OperationRunner runner;
    private final Interruption interruption;

    @Inject
    public Applier(OperationRunner runner, Interruption interruption) {
        this.runner = requireNonNull(runner, "runner is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
    }

    public ApplyResult apply(Plan plan, ApplyListener listener, int parallelism) {
        if (!plan.conflicts().isEmpty()) {
            throw LambdaformException.user("the plan has conflicts; nothing was changed");
        }
        List<PlannedOperation> operations = plan.operations();
        Map<Integer, ApplyResult.Outcome> outcomes = new HashMap<>();
        Set<Integer> started = new HashSet<>();
        int limit = Math.max(1, parallelism);
        ExecutorService pool = Executors.newFixedThreadPool(limit, r -> {
            Thread thread = new Thread(r, "lambdaform-apply");
            thread.setDaemon(true);
            return thread;
        });
        ExecutorCompletionService<ApplyResult.Outcome> completion = new ExecutorCompletionService<>(pool);
        boolean failed = false;
        int running = 0;
        // While operations run, a signal stops apply in order (the loop below checks it).
        try (Interruption.Registration inOrder = interruption.stopsInOrder()) {
            while (true) {
                // A signal, like a failure, starts nothing new; what runs finishes, so that its outcome is known.
                if (!failed && interruption.requested().isEmpty()) {
                    for (PlannedOperation op : operations) {
                        if (running < limit && !started.contains(op.id()) && dependenciesSucceeded(op, outcomes)) {
                            started.add(op.id());
                            running++;
                            completion.submit(() -> run(
                                    op,
                                    listener,
                                    plan.holdsSensitive(op.operation().key())));
                        }
                    }
                }
                if (running == 0) {
                    break;
                }
                ApplyResult.Outcome outcome = take(completion);
                running--;
                outcomes.put(outcome.operation().id(), outcome);
                failed |= outcome.status() == ApplyResult.Status.FAILED;
            }
        } finally {
            pool.shutdownNow();
        }
        List<ApplyResult.Outcome> ordered = new ArrayList<>();
        for (PlannedOperation op : operations) {
            ordered.add(outcomes.getOrDefault(
                    op.id(), new ApplyResult.Outcome(op, ApplyResult.Status.NOT_STARTED, Optional.empty())));
        }
        return new ApplyResult(ordered, interruption.requested());
    }

    private static boolean dependenciesSucceeded(PlannedOperation op, Map<Integer, ApplyResult.Outcome> outcomes) {
        for (int dependency : op.dependsOn()) {
            ApplyResult.Outcome outcome = outcomes.get(dependency);
            if (outcome == null || outcome.status() != ApplyResult.Status.SUCCEEDED) {
                return false;
            }
        }
        return true;
    }

    private ApplyResult.Outcome run(PlannedOperation op, ApplyListener listener, boolean sensitive) {
        listener.started(op);
        long start = System.nanoTime();
        try {
            runner.run(op.operation());
            listener.succeeded(op, Duration.ofNanos(System.nanoTime() - start));
            return new ApplyResult.Outcome(op, ApplyResult.Status.SUCCEEDED, Optional.empty());
        } catch (LambdaformException e) {
            String message = sensitive ? e.brief().orElse(e.getMessage()) : e.getMessage();
            listener.failed(op, message);
            return new ApplyResult.Outcome(op, ApplyResult.Status.FAILED, Optional.of(message));
        } catch (RuntimeException e) {
            String message = sensitive ? "internal error: " + e.getClass().getName() : "internal error: " + e;
            listener.failed(op, message);
            return new ApplyResult.Outcome(op, ApplyResult.Status.FAILED, Optional.of(message));
        }
    }

    private static ApplyResult.Outcome take(ExecutorCompletionService<ApplyResult.Outcome> completion) {
        try {
            Future<ApplyResult.Outcome> next = completion.take();
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaformException.user("apply was interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("apply worker failed", e.getCause());
        }
    }
}
