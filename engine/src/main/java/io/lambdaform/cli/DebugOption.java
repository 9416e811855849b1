package io.lambdaform.cli;

import picocli.CommandLine.Option;

/**
 * The options of the commands that print no colors: --debug (Main reads it from the arguments), and --no-color
 * accepted but not listed, so that scripts passing it to every command keep working.
 */
public final class DebugOption {
    @Option(names = "--debug", description = "Show stack traces of internal errors and more detail.")
    boolean debug;

    @Option(names = "--no-color", hidden = true)
    boolean noColor;
}
