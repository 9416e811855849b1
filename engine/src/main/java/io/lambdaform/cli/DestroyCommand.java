package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.apply.Applier;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.model.Stack;
import io.lambdaform.plan.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lambdaform destroy PATH...}: deletes every resource that carries the stack's tag. */
@Command(name = "destroy", description = "Delete every function and role of the stack (those carrying its tag).")
public final class DestroyCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TargetOptions target;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Manifest files or folders (for the Stack).")
    List<Path> paths;

    @Option(names = "--auto-approve", description = "Destroy without asking for confirmation.")
    boolean autoApprove;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "PT0S",
            description = "How long to wait for another run holding the stack's lock (ISO-8601, e.g. PT30S).")
    Duration lockTimeout = Duration.ZERO;

    private final ManifestSupport manifests;
    private final Engine engine;
    private final Console console;

    @Inject
    public DestroyCommand(ManifestSupport manifests, Engine engine, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Stack stack = manifests.requireValid(paths);
        Engine.Target connected = engine.connect(target, stack.region());
        try (StackLock lock = connected.cloud().lock(stack.name(), lockTimeout)) {
            Plan plan = connected.planner().planDestroy(stack.name());
            return ApplyCommand.execute(console, common, connected, plan, autoApprove, Applier.DEFAULT_PARALLELISM,
                    "Destroy");
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
    }
}
