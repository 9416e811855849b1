package io.lambdaform.cli;

import picocli.CommandLine.Option;

/** The option of the commands that print no colors: --debug alone (Main reads it from the arguments). */
public final class DebugOption {
    @Option(names = "--debug", description = "Show stack traces of internal errors and more detail.")
    boolean debug;
}
