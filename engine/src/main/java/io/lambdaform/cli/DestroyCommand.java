package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.apply.Applier;
import io.lambdaform.plan.PlanOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lambdaform destroy PATH...}: deletes every resource that carries the stack's tag. */
@Command(
        name = "destroy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Delete every resource of the stack (those carrying its tag): its triggers, aliases, functions,"
                + " roles, buckets (only when empty), queues and topics.")
public final class DestroyCommand implements Callable<Integer> {
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

    @Parameters(
            arity = "0..*",
            defaultValue = ".",
            paramLabel = "PATH",
            description = "Manifest files or folders (default: the current folder) (for the Stack).")
    List<Path> paths;

    private final ChangeRunner runner;

    @Inject
    public DestroyCommand(ChangeRunner runner) {
        this.runner = requireNonNull(runner, "runner is null");
    }

    @Override
    public Integer call() {
        return runner.run(
                paths,
                inputs,
                common,
                lock.applyTo(target),
                change,
                Applier.DEFAULT_PARALLELISM,
                ChangeRunner.Mode.DESTROY,
                PlanOptions.DEFAULT);
    }
}
