package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.model.Stack;
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
     * Prints the diagnostics and fails when the manifests are invalid. Until apply reports its own progress, what the
     * target reports while reading (a retry after a fault, a wait) goes to standard error.
     */
    Session open(List<Path> paths, InputOptions inputs, TargetOptions target) {
        ManifestSet set = manifests.requireValidSet(paths, inputs);
        Stack stack = set.stack().orElseThrow();
        Engine.Target connected = engine.connect(target, stack.region());
        connected.cloud().setProgressListener(message -> console.err().println("  " + message));
        return new Session(set, stack, connected);
    }

    /** A valid manifest set, its stack, and the connected target. */
    record Session(ManifestSet manifests, Stack stack, Engine.Target target) {}
}
