package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.model.Stack;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planner;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The flow apply and destroy share: read the manifests, connect, take the stack's lock, plan, show the plan,
 * confirm, apply, report what was done and what was not, and what it cost.
 */
final class ChangeRunner {
    private final ManifestSupport manifests;
    private final Engine engine;
    private final Console console;

    @Inject
    ChangeRunner(ManifestSupport manifests, Engine engine, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.console = requireNonNull(console, "console is null");
    }

    int run(List<Path> paths, InputOptions inputs, CommonOptions common, TargetOptions target, ChangeOptions change,
            int parallelism, String verb, BiFunction<Planner, Stack, Plan> planning) {
        Stack stack = manifests.requireValid(paths, inputs);
        Engine.Target connected = engine.connect(target, stack.region());
        try (StackLock lock = connected.cloud().lock(stack.name(), change.lockTimeout)) {
            lock.warning().ifPresent(console.err()::println);
            return execute(common, connected, planning.apply(connected.planner(), stack), change.autoApprove,
                    parallelism, verb);
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    /** Applies a plan saved by {@code plan --out}, refusing it when it has gone stale. */
    int runSaved(Path planFile, CommonOptions common, TargetOptions target, ChangeOptions change, int parallelism) {
        SavedPlan saved = SavedPlan.read(planFile);
        ManifestSet set = manifests.requireValidSet(saved.paths(), saved.inputOptions());
        Stack stack = set.stack().get();
        Engine.Target connected = engine.connect(target, stack.region());
        try (StackLock lock = connected.cloud().lock(stack.name(), change.lockTimeout)) {
            lock.warning().ifPresent(console.err()::println);
            Plan fresh = connected.planner().plan(stack, saved.inputs().adopt());
            saved.requireCurrent(set.digest(), fresh);
            return execute(common, connected, fresh, change.autoApprove, parallelism, "Apply");
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    private int execute(CommonOptions common, Engine.Target connected, Plan plan, boolean autoApprove,
            int parallelism, String verb) {
        Ansi ansi = new Ansi(console.colors(common.noColor));
        console.out().print(PlanTextRenderer.render(plan, ansi));
        if (!plan.conflicts().isEmpty()) {
            console.err().println("Nothing was changed: resolve the conflict(s) above first.");
            return ExitCodes.ERROR;
        }
        if (!plan.hasChanges()) {
            return ExitCodes.OK;
        }
        console.out().flush();
        if (!Confirmation.confirm(console, autoApprove, "\nDo you want to perform these actions?")) {
            console.out().println(verb + " cancelled; nothing was changed.");
            return ExitCodes.ERROR;
        }
        console.out().println();
        ApplyReporter reporter = new ApplyReporter(console.out(), ansi);
        ApplyResult result = connected.applier().apply(plan, reporter, parallelism);
        console.out().println();
        return reporter.summarize(plan, result, verb) ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
