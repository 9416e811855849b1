package io.lambdaform.cli;

import io.lambdaform.Interruption;
import java.util.Map;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM (what CI runners send on cancel) ask the running command to stop: the first signal
 * requests an orderly stop through {@link Interruption} (nothing new starts, what runs finishes, the command says what
 * was done, releases its locks and exits); a second one ends the process at once.
 */
final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.of("SIGINT", 2, "SIGTERM", 15);

    private Signals() {}

    /** Handles SIGINT and SIGTERM for this process; returns the interruption they request. */
    static Interruption install() {
        Interruption interruption = new Interruption();
        for (String name : NUMBERS.keySet()) {
            try {
                Signal.handle(new Signal(name.substring(3)), signal -> {
                    if (interruption.requested().isPresent()) {
                        System.err.println("lambdaform: stopping at once; what was running has an unknown outcome:"
                                + " run plan to see the target as it is");
                        Runtime.getRuntime().halt(exitCode(name));
                    }
                    interruption.request(name);
                });
            } catch (IllegalArgumentException e) {
                // This platform has no such signal, or the JVM keeps it (started with -Xrs): the default stands.
            }
        }
        return interruption;
    }

    /** The exit status of a process the signal ended: 128 + its number. */
    static int exitCode(String signal) {
        return 128 + NUMBERS.getOrDefault(signal, 15);
    }
}
