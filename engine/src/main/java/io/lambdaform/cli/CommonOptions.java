package io.lambdaform.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--debug", description = "Show stack traces of internal errors and more detail.")
    boolean debug;

    @Option(names = "--no-color", description = "No colors, even on a terminal (NO_COLOR is respected too).")
    boolean noColor;
}
