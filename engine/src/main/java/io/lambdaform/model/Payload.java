package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A named event to invoke a function with, and what the response must look like.
 *
 * @param event the event as JSON text
 * @param qualifier the version or alias it invokes; empty for $LATEST (or what {@code invoke --qualifier} names)
 * @param invocationType waited for (Lambda's RequestResponse, the default) or queued (Event)
 */
public record Payload(
        String name,
        String function,
        String event,
        Expectation expect,
        Optional<String> qualifier,
        InvocationType invocationType) {
    public Payload {
        requireNonNull(name, "name is null");
        requireNonNull(function, "function is null");
        requireNonNull(event, "event is null");
        requireNonNull(expect, "expect is null");
        requireNonNull(qualifier, "qualifier is null");
        requireNonNull(invocationType, "invocationType is null");
    }

    /** A payload that is waited for. */
    public Payload(String name, String function, String event, Expectation expect, Optional<String> qualifier) {
        this(name, function, event, expect, qualifier, InvocationType.REQUEST_RESPONSE);
    }

    /** A payload of $LATEST, waited for. */
    public Payload(String name, String function, String event, Expectation expect) {
        this(name, function, event, expect, Optional.empty());
    }

    /** Whether the event is queued (Lambda's Event invocation type) rather than waited for. */
    public boolean queued() {
        return invocationType == InvocationType.EVENT;
    }

    /**
     * What a payload run must produce.
     *
     * @param outcome whether the function must succeed or fail with a function error, if checked (of a queued event:
     *     its last attempt)
     * @param result a JSON subset (text) the response must contain, if checked
     * @param logContains a substring the log must contain, if checked
     * @param destination of a queued event: the destination its invocation record must have gone to, if checked
     */
    public record Expectation(
            Optional<Outcome> outcome,
            Optional<String> result,
            Optional<String> logContains,
            Optional<Destination> destination) {
        public static final Expectation NONE =
                new Expectation(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public Expectation {
            requireNonNull(outcome, "outcome is null");
            requireNonNull(result, "result is null");
            requireNonNull(logContains, "logContains is null");
            requireNonNull(destination, "destination is null");
        }

        /** An expectation of a response, with no destination. */
        public Expectation(Optional<Outcome> outcome, Optional<String> result, Optional<String> logContains) {
            this(outcome, result, logContains, Optional.empty());
        }
    }

    public enum Outcome {
        SUCCESS,
        FUNCTION_ERROR
    }

    /** Lambda's invocation types, as a payload writes them. */
    public enum InvocationType {
        REQUEST_RESPONSE("RequestResponse"),
        EVENT("Event");

        private final String written;

        InvocationType(String written) {
            this.written = written;
        }

        /** The name as Lambda and manifests write it. */
        public String written() {
            return written;
        }
    }

    /** The destinations of a function's asynchronous invocation, as manifests write them. */
    public enum Destination {
        ON_SUCCESS("onSuccess"),
        ON_FAILURE("onFailure");

        private final String written;

        Destination(String written) {
            this.written = written;
        }

        /** The name as manifests write it. */
        public String written() {
            return written;
        }
    }
}
