package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.model.Stack;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planning;
import io.lambdaform.plan.SavedPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The flow apply and destroy share: read the manifests, connect, take the stack's lock, plan, show the plan,
 * confirm, apply, report what was done and what was not, and what it cost.
 */
final class ChangeRunner {
    private final Sessions sessions;
    private final Console console;

    @Inject
    ChangeRunner(Sessions sessions, Console console) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
    }

    int run(
            List<Path> paths,
            InputOptions inputs,
            CommonOptions common,
            TargetOptions target,
            ChangeOptions change,
            int parallelism,
            String verb,
            BiFunction<Planning, Stack, Plan> planning) {
        Sessions.Session session = sessions.open(paths, inputs, target);
        Stack stack = session.stack();
        Engine.Target connected = session.target();
        try (StackLock lock = connected.cloud().lock(stack.name(), change.lockTimeout)) {
            lock.warning().ifPresent(console.err()::println);
            return execute(common, connected, planning.apply(connected.planner(), stack), change, parallelism, verb);
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    /** Applies a plan saved by {@code plan --out}, refusing it when it has gone stale. */
    int runSaved(Path planFile, CommonOptions common, TargetOptions target, ChangeOptions change, int parallelism) {
        SavedPlan saved = SavedPlan.read(planFile);
        Sessions.Session session = sessions.open(saved.paths(), InputOptions.of(saved.inputs()), target);
        Stack stack = session.stack();
        Engine.Target connected = session.target();
        try (StackLock lock = connected.cloud().lock(stack.name(), change.lockTimeout)) {
            lock.warning().ifPresent(console.err()::println);
            Plan fresh = connected.planner().plan(stack, saved.inputs().adopt());
            saved.requireCurrent(session.manifests().digest(), fresh);
            return execute(common, connected, fresh, change, parallelism, "Apply");
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    private int execute(
            CommonOptions common,
            Engine.Target connected,
            Plan plan,
            ChangeOptions change,
            int parallelism,
            String verb) {
        boolean text = change.format == ChangeOptions.Format.text;
        PrintWriter human = text ? console.out() : console.err();
        Ansi ansi = new Ansi(text && console.colors(common.noColor));
        human.print(PlanTextRenderer.render(plan, ansi));
        ApplyResult result = null;
        int exit;
        if (!plan.conflicts().isEmpty()) {
            console.err().println("Nothing was changed: resolve the conflict(s) above first.");
            exit = ExitCodes.ERROR;
        } else if (!plan.hasChanges()) {
            exit = ExitCodes.OK;
        } else {
            human.flush();
            if (!Confirmation.confirm(console, change.autoApprove, "\nDo you want to perform these actions?")) {
                human.println(verb + " cancelled; nothing was changed.");
                return ExitCodes.ERROR;
            }
            human.println();
            ApplyReporter reporter = new ApplyReporter(human, ansi, plan);
            result = connected.applier().apply(plan, reporter, parallelism);
            human.println();
            exit = reporter.summarize(plan, result, verb) ? ExitCodes.OK : ExitCodes.ERROR;
        }
        if (change.format == ChangeOptions.Format.json) {
            console.out().print(ApplyResultRenderer.json(plan, result, verb));
        } else if (change.format == ChangeOptions.Format.markdown) {
            console.out().print(ApplyResultRenderer.markdown(plan, result, verb));
        }
        return exit;
    }
}
