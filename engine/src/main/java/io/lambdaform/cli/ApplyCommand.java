package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.apply.Applier;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.model.Stack;
import io.lambdaform.plan.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lambdaform apply PATH...}: makes the target match the manifests. */
@Command(name = "apply", description = "Make the target match the manifests, in dependency order.")
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TargetOptions target;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or folders.")
    List<Path> paths;

    @Option(names = "--auto-approve", description = "Apply without asking for confirmation.")
    boolean autoApprove;

    @Option(names = "--adopt", paramLabel = "NAME",
            description = "Take over an existing resource of that name that this stack did not create (repeatable).")
    Set<String> adopt = Set.of();

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "PT0S",
            description = "How long to wait for another run holding the stack's lock, as ISO-8601 (PT30S). Default: fail at once.")
    Duration lockTimeout = Duration.ZERO;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "4",
            description = "Independent operations run at once (default 4).")
    int parallelism = Applier.DEFAULT_PARALLELISM;

    private final ManifestSupport manifests;
    private final Engine engine;
    private final Console console;

    @Inject
    public ApplyCommand(ManifestSupport manifests, Engine engine, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Stack stack = manifests.requireValid(paths);
        Engine.Target connected = engine.connect(target, stack.region());
        try (StackLock lock = connected.cloud().lock(stack.name(), lockTimeout)) {
            Plan plan = connected.planner().plan(stack, adopt);
            return execute(console, common, connected, plan, autoApprove, parallelism, "Apply");
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }

    /** Shows the plan, confirms, applies and reports; shared with destroy. */
    static int execute(Console console, CommonOptions common, Engine.Target connected, Plan plan, boolean autoApprove,
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
