package io.lambdaform.cli;

import io.lambdaform.Interruption;
import java.util.Map;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM (what CI runners send on cancel) ask the running command to stop. While something can
 * stop in order (apply's operations, an invocation, payload runs, logs --follow), the first signal requests that
 * through {@link Interruption}: nothing new starts, what runs finishes, the command says what was done, releases its
 * locks and exits. Otherwise (reading, planning, a question), and at a second signal, the process ends as the signal
 * would end it, with its shutdown hooks (which release an AWS stack lock).
 */
final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.of("SIGINT", 2, "SIGTERM", 15);
    private static final long HOOKS_GRACE_MILLIS = 10_000;

    private Signals() {}

    /** Handles SIGINT and SIGTERM for this process; returns the interruption they request. */
    static Interruption install() {
        Interruption interruption = new Interruption();
        for (String name : NUMBERS.keySet()) {
            try {
                Signal.handle(new Signal(name.substring(3)), signal -> {
                    if (interruption.requested().isPresent()) {
                        System.err.println("lambdaform: " + name + " again: stopping at once; what was running may"
                                + " not have finished (after apply, plan shows the target as it is)");
                        exit(name);
                    } else if (interruption.request(name)) {
                        System.err.println("lambdaform: " + name + " received: finishing what is running, starting"
                                + " nothing new (send it again to stop at once)");
                    } else {
                        exit(name);
                    }
                });
            } catch (IllegalArgumentException e) {
                // This platform has no such signal, or the JVM keeps it (started with -Xrs): the default stands.
            }
        }
        return interruption;
    }

    /**
     * Ends the process as the signal would have, running the shutdown hooks (an AWS stack lock is released by one);
     * should a hook hang, the process is halted after a few seconds.
     */
    private static void exit(String signal) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(HOOKS_GRACE_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(exitCode(signal));
                },
                "lambdaform-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(exitCode(signal));
    }

    /** The exit status of a process the signal ended: 128 + its number. */
    static int exitCode(String signal) {
        return 128 + NUMBERS.getOrDefault(signal, 15);
    }
}
