package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A named event to invoke a function with, and what the response must look like.
 *
 * @param event the event as JSON text
 * @param qualifier the version or alias it invokes; empty for $LATEST (or what {@code invoke --qualifier} names)
 */
public record Payload(String name, String function, String event, Expectation expect, Optional<String> qualifier) {
    public Payload {
        requireNonNull(name, "name is null");
        requireNonNull(function, "function is null");
        requireNonNull(event, "event is null");
        requireNonNull(expect, "expect is null");
        requireNonNull(qualifier, "qualifier is null");
    }

    /** A payload of $LATEST. */
    public Payload(String name, String function, String event, Expectation expect) {
        this(name, function, event, expect, Optional.empty());
    }

    /**
     * What a payload run must produce.
     *
     * @param outcome whether the function must succeed or fail with a function error, if checked
     * @param result a JSON subset (text) the response must contain, if checked
     * @param logContains a substring the log must contain, if checked
     */
    public record Expectation(Optional<Outcome> outcome, Optional<String> result, Optional<String> logContains) {
        public static final Expectation NONE = new Expectation(Optional.empty(), Optional.empty(), Optional.empty());

        public Expectation {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(result, "result is null");
            requireNonNull(logContains, "logContains is null");
        }
    }

    public enum Outcome {
        SUCCESS,
        FUNCTION_ERROR
    }
}
