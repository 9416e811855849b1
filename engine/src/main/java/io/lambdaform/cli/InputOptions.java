package io.lambdaform.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which environment's variable values to use. */
public final class InputOptions {
    @Option(names = "--env", paramLabel = "NAME",
            description = "Take variable values from the Environment document of that name.")
    String environment;

    @Option(names = "--values", paramLabel = "FILE",
            description = "A YAML mapping of variable values, overriding the environment's.")
    Path values;
}
