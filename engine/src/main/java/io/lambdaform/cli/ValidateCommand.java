package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.Interruption;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lambdaform validate PATH...}: finds every mistake in the manifests, touching no target. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Check manifests and report every problem as file:line:col, offline.")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    DebugOption debug;

    @Mixin
    InputOptions inputs;

    @Mixin
    AllStacks allStacks;

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..*",
            defaultValue = ".",
            paramLabel = "PATH",
            description = "Manifest files or folders (default: the current folder) (searched recursively).")
    List<Path> paths;

    private final ManifestSupport manifests;
    private final Console console;

    private final Interruption interruption;

    @Inject
    public ValidateCommand(ManifestSupport manifests, Console console, Interruption interruption) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
    }

    @Override
    public Integer call() {
        if (allStacks.all) {
            return allStacks.run(
                    spec, paths, new AllStacks.RunContext(console, interruption, manifests, inputs), false, false);
        }
        ManifestSet set = manifests.readInspectingCode(paths, inputs);
        if (!set.valid()) {
            return ExitCodes.ERROR;
        }
        Stack stack = set.stack().get();
        StringBuilder counts = new StringBuilder();
        Kinds.ALL.forEach(kind -> counts.append(stack.resources(kind).size())
                .append(' ')
                .append(kind.label())
                .append("(s), "));
        console.out()
                .println("Valid: stack " + stack.name() + " with " + counts
                        + stack.payloads().size() + " payload(s).");
        return ExitCodes.OK;
    }
}
