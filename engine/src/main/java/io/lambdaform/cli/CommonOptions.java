package io.lambdaform.cli;

import picocli.CommandLine.Option;

/** Options of the commands that print in color: --debug and --no-color. */
public final class CommonOptions {
    @Option(names = "--debug", description = "Show stack traces of internal errors and more detail.")
    boolean debug;

    @Option(names = "--no-color", description = "No colors, even on a terminal (NO_COLOR is respected too).")
    boolean noColor;
}
