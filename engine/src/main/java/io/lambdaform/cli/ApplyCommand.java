package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.apply.Applier;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.SavedPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lambdaform apply PATH...}: makes the target match the manifests. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Make the target match the manifests, in dependency order.")
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Mixin
    LockOptions lock;

    @Mixin
    ChangeOptions change;

    @Mixin
    AllStacks allStacks;

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..*",
            defaultValue = ".",
            paramLabel = "PATH|PLAN",
            description =
                    "Manifest files or folders (default: the current folder); or one plan file saved by 'plan --out' (*.json).")
    List<Path> paths;

    @Option(
            names = "--adopt",
            paramLabel = "NAME",
            description = "Take over an existing resource of that name that this stack did not create (repeatable).")
    Set<String> adopt = Set.of();

    @Option(
            names = "--no-payload-gate",
            description = "Move aliases gated on payloads without running them (for an emulator whose Invoke echoes"
                    + " the event); the plan says so.")
    boolean noPayloadGate;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "16",
            description = "Independent operations run at once (default 16; on AWS the API rate limit, not this,"
                    + " keeps requests within Lambda's quotas).")
    int parallelism = Applier.DEFAULT_PARALLELISM;

    private final ChangeRunner runner;

    private final Console console;
    private final Interruption interruption;
    private final ManifestSupport manifests;

    @Inject
    public ApplyCommand(ChangeRunner runner, Console console, Interruption interruption, ManifestSupport manifests) {
        this.runner = requireNonNull(runner, "runner is null");
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
    }

    @Override
    public Integer call() {
        if (allStacks.all) {
            return allStacks.run(
                    spec, paths, new AllStacks.RunContext(console, interruption, manifests, inputs), false, false);
        }
        if (parallelism < 1) {
            throw LambdaformException.user("--parallelism must be at least 1 (it was " + parallelism + ")");
        }
        if (paths.size() == 1 && SavedPlan.isPlanFile(paths.get(0))) {
            if (!adopt.isEmpty() || noPayloadGate || inputs.environment != null || inputs.values != null) {
                throw LambdaformException.user("a saved plan records its own --adopt, --no-payload-gate, --env and"
                        + " --values; give them to 'plan --out' instead");
            }
            return runner.runSaved(paths.get(0), inputs.build, common, lock.applyTo(target), change, parallelism);
        }
        return runner.run(
                paths,
                inputs,
                common,
                lock.applyTo(target),
                change,
                parallelism,
                ChangeRunner.Mode.APPLY,
                new PlanOptions(new TreeSet<>(adopt), !noPayloadGate));
    }
}
