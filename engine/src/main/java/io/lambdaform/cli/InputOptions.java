package io.lambdaform.cli;

import io.lambdaform.plan.PlanInputs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which environment's variable values to use, and the root that files named by manifests must stay inside. */
public final class InputOptions {
    @Option(
            names = "--env",
            paramLabel = "NAME",
            description = "Take variable values from the Environment document of that name.")
    String environment;

    @Option(
            names = "--values",
            paramLabel = "FILE",
            description = "A YAML mapping of variable values, overriding the environment's.")
    Path values;

    @Option(
            names = "--sensitive-values",
            paramLabel = "FILE",
            description = "Like --values, and every value in it is sensitive: never shown in any output.")
    Path sensitiveValues;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "Files named by manifests (code, eventFile) must be inside DIR; default: the git work tree"
                    + " of the manifests, else their folder.")
    Path root;

    @Option(
            names = "--build",
            negatable = true,
            description = "Run the code.build commands whose inputs changed (apply does unless --no-build; plan only"
                    + " with --build, since a build runs whatever command the manifests name). Without building,"
                    + " each build's output must be up to date with its inputs.")
    Boolean build;

    /** The options a saved plan recorded. */
    static InputOptions of(PlanInputs recorded) {
        InputOptions options = new InputOptions();
        options.environment = recorded.environment().orElse(null);
        options.values = recorded.values().map(Path::of).orElse(null);
        options.sensitiveValues = recorded.sensitiveValues().map(Path::of).orElse(null);
        options.root = recorded.root().map(Path::of).orElse(null);
        return options;
    }
}
