package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;

/** Reads a valid manifest set and connects to the target it is for: the start of every command but validate. */
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

    /** A session for a command that plans the code: its walks start while the manifests are read. */
    Session openToPlan(List<Path> paths, InputOptions inputs, TargetOptions target) {
        return connect(manifests.requireValidSetPreparingCode(paths, inputs), target);
    }

    private Session connect(ManifestSet set, TargetOptions target) {
        Stack stack = set.stack().orElseThrow();
        ProgressRouter progress = new ProgressRouter(console.err());
        return new Session(set, stack, engine.connect(target, set.root(), stack.region(), progress), progress);
    }

    /** A valid manifest set, its stack, and the connected target. */
    record Session(ManifestSet manifests, Stack stack, Engine.Target target, ProgressRouter progress) {}
}
