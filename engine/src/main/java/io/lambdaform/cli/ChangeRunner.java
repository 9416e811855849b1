package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.apply.ChangeFlow;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.plan.SavedPlan;
import io.lambdaform.resource.Stack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The CLI's side of the flow apply and destroy share ({@link ChangeFlow} runs it): read the manifests and connect,
 * then show the plan, ask for confirmation, report each operation, what was done and what was not, and what it cost.
 */
final class ChangeRunner {
    private final Sessions sessions;
    private final Console console;

    @Inject
    ChangeRunner(Sessions sessions, Console console) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
    }

    /** What to change: apply the manifests, or destroy their stack. */
    enum Mode {
        APPLY,
        DESTROY
    }

    int run(
            List<Path> paths,
            InputOptions inputs,
            CommonOptions common,
            TargetOptions target,
            ChangeOptions change,
            int parallelism,
            Mode mode,
            PlanOptions options) {
        Sessions.Session session = mode == Mode.APPLY
                ? sessions.openToPlan(paths, inputs, target, true)
                : sessions.open(paths, inputs, target);
        Engine.Target connected = session.target();
        String verb = mode == Mode.APPLY ? "Apply" : "Destroy";
        Reporting reporting = new Reporting(common, change, verb, session.progress());
        try {
            ChangeFlow.Outcome outcome = mode == Mode.APPLY
                    ? connected.changes().apply(session.stack(), options, change.lockTimeout, parallelism, reporting)
                    : connected.changes().destroy(session.stack(), change.lockTimeout, parallelism, reporting);
            return reporting.finish(outcome);
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    /**
     * Moves aliases back ({@link io.lambdaform.kinds.alias.AliasKind#rollback}): reads them alone, shows the plan,
     * asks, and moves each under the stack's lock.
     */
    int runRollback(
            List<Path> paths,
            InputOptions inputs,
            CommonOptions common,
            TargetOptions target,
            ChangeOptions change,
            Function<Stack, List<Alias>> select,
            Optional<String> to,
            int parallelism) {
        Sessions.Session session = sessions.open(paths, inputs, target);
        Engine.Target connected = session.target();
        Stack stack = session.stack();
        List<Alias> aliases = select.apply(stack);
        Reporting reporting = new Reporting(common, change, "Rollback", session.progress());
        try {
            return reporting.finish(connected
                    .changes()
                    .run(
                            stack.name(),
                            () -> connected
                                    .planner()
                                    .planOf(
                                            stack,
                                            AliasKind.KIND,
                                            aliases.stream().map(Alias::name).toList(),
                                            (live, plan) -> aliases.forEach(a -> AliasKind.rollback(
                                                    a, live.live(AliasKind.KIND, a.name()), to, plan))),
                            change.lockTimeout,
                            parallelism,
                            reporting));
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    /** Applies a plan saved by {@code plan --out}, refusing it when it has gone stale. */
    int runSaved(
            Path planFile,
            Boolean build,
            CommonOptions common,
            TargetOptions target,
            ChangeOptions change,
            int parallelism) {
        SavedPlan saved = SavedPlan.read(planFile);
        InputOptions recorded = InputOptions.of(saved.inputs());
        // Whether to build is this command's to say, not the plan's.
        recorded.build = build;
        Sessions.Session session = sessions.openToPlan(saved.paths(), recorded, target, true);
        Engine.Target connected = session.target();
        Reporting reporting = new Reporting(common, change, "Apply", session.progress());
        try {
            return reporting.finish(connected
                    .changes()
                    .applySaved(
                            saved,
                            session.stack(),
                            session.manifests().digest(),
                            change.lockTimeout,
                            parallelism,
                            reporting));
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    /** Renders one run: the plan and the question, each operation as it ends, the summary and the result document. */
    private final class Reporting implements ChangeFlow.Listener {
        private final ChangeOptions change;
        private final String verb;
        private final PrintWriter human;
        private final Ansi ansi;
        private final ProgressRouter progress;
        private ApplyReporter reporter;

        Reporting(CommonOptions common, ChangeOptions change, String verb, ProgressRouter progress) {
            this.change = change;
            this.verb = verb;
            this.progress = progress;
            boolean text = change.format == ChangeOptions.Format.text;
            this.human = text ? console.out() : console.err();
            this.ansi = new Ansi(text && console.colors(common.noColor));
        }

        @Override
        public void locked(Optional<String> warning) {
            warning.ifPresent(console.err()::println);
        }

        @Override
        public boolean planned(Plan plan) {
            human.print(PlanTextRenderer.render(plan, ansi));
            if (!plan.conflicts().isEmpty() || !plan.hasChanges()) {
                return false;
            }
            human.flush();
            boolean confirmed =
                    Confirmation.confirm(console, change.autoApprove, "\nDo you want to perform these actions?");
            if (confirmed) {
                human.println();
                reporter = new ApplyReporter(human, ansi, plan);
                progress.routeTo(reporter::progress);
            }
            return confirmed;
        }

        @Override
        public void started(PlannedOperation operation) {
            reporter.started(operation);
        }

        @Override
        public void succeeded(PlannedOperation operation, Duration took) {
            reporter.succeeded(operation, took);
        }

        @Override
        public void failed(PlannedOperation operation, String message) {
            reporter.failed(operation, message);
        }

        int finish(ChangeFlow.Outcome outcome) {
            progress.reset();
            Plan plan = outcome.plan();
            int exit = switch (outcome.status()) {
                case CONFLICTS -> {
                    console.err().println("Nothing was changed: resolve the conflict(s) above first.");
                    yield ExitCodes.ERROR;
                }
                case CANCELLED -> {
                    human.println(verb + " cancelled; nothing was changed.");
                    yield ExitCodes.ERROR;
                }
                case NO_CHANGES -> ExitCodes.OK;
                case SUCCEEDED, FAILED -> {
                    human.println();
                    yield reporter.summarize(plan, outcome.result().orElseThrow(), verb)
                            ? ExitCodes.OK
                            : ExitCodes.ERROR;
                }
            };
            if (outcome.status() == ChangeFlow.Status.CANCELLED) {
                return exit;
            }
            ApplyResult result = outcome.result().orElse(null);
            if (change.format == ChangeOptions.Format.json) {
                console.out().print(ApplyResultRenderer.json(plan, result, verb));
            } else if (change.format == ChangeOptions.Format.markdown) {
                console.out().print(ApplyResultRenderer.markdown(plan, result, verb));
            }
            return exit;
        }
    }
}
