package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;

/**
 * The process's streams and environment, injected so that tests run the CLI in-process with their own.
 *
 * @param interactive whether a person is at a terminal (apply and destroy may ask for confirmation)
 * @param redactor masks sensitive values in everything written to {@code out} and {@code err}
 */
public record Console(
        PrintWriter out,
        PrintWriter err,
        BufferedReader in,
        Map<String, String> environment,
        boolean interactive,
        Redactor redactor) {
    public Console {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(in, "in is null");
        environment = Map.copyOf(environment);
        requireNonNull(redactor, "redactor is null");
    }

    public Console(
            PrintWriter out, PrintWriter err, BufferedReader in, Map<String, String> environment, boolean interactive) {
        this(out, err, in, environment, interactive, new Redactor());
    }

    public Optional<String> env(String name) {
        return Optional.ofNullable(environment.get(name)).filter(v -> !v.isEmpty());
    }

    /** Colors only on a terminal, never with NO_COLOR set or TERM=dumb. */
    public boolean colors(boolean noColorFlag) {
        return interactive && !noColorFlag && env("NO_COLOR").isEmpty() && !"dumb".equals(environment.get("TERM"));
    }
}
