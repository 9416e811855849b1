package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One invocation to make.
 *
 * @param function the function's name
 * @param event the event, as JSON text
 * @param qualifier a version or alias; empty for $LATEST
 * @param async queued (Lambda's Event invocation type) instead of waited for
 */
public record Invocation(String function, String event, Optional<String> qualifier, boolean async) {
    public Invocation {
        requireNonNull(function, "function is null");
        requireNonNull(event, "event is null");
        requireNonNull(qualifier, "qualifier is null");
    }

    /** A synchronous invocation of $LATEST. */
    public static Invocation of(String function, String event) {
        return new Invocation(function, event, Optional.empty(), false);
    }
}
