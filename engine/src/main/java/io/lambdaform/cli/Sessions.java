package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a valid manifest set and connects to the target it is for, in an account the stack allows: the start of every
 * command but validate and import.
 */
final class Sessions {
    private final ManifestSupport manifests;
    private final Engine engine;
    private final Console console;

    @Inject
    Sessions(ManifestSupport manifests, Engine engine, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * Prints the diagnostics and fails when the manifests are invalid. The run's progress ({@link ProgressRouter})
     * goes to standard error until apply reports it under its operations.
     */
    Session open(List<Path> paths, InputOptions inputs, TargetOptions target) {
        return connect(manifests.requireValidSet(paths, inputs), target);
    }

    /**
     * A session for a command that plans the code: its walks start while the manifests are read, and its builds run
     * once they are valid when {@code buildsByDefault} or {@code --build} says so.
     */
    Session openToPlan(List<Path> paths, InputOptions inputs, TargetOptions target, boolean buildsByDefault) {
        return connect(manifests.requireValidSetPreparingCode(paths, inputs, buildsByDefault), target);
    }

    /**
     * Connects, and refuses an AWS account the stack does not allow (spec.allowedAccounts) before the command reads
     * or changes anything there: one STS call, which plans make anyway.
     */
    private Session connect(ManifestSet set, TargetOptions target) {
        Stack stack = set.stack().orElseThrow();
        ProgressRouter progress = new ProgressRouter(console.err());
        Engine.Target connected = engine.connect(target, set.root(), stack.region(), progress);
        if (!stack.allowedAccounts().isEmpty()) {
            stack.requireAllowedAccount(connected.cloud().describe());
        }
        return new Session(set, stack, connected, progress);
    }

    /** A valid manifest set, its stack, and the connected target. */
    record Session(ManifestSet manifests, Stack stack, Engine.Target target, ProgressRouter progress) {}
}
