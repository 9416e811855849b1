package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of an invocation.
 *
 * @param payload the response body: the handler's result, or Lambda's error object on a function error ("null" for a
 *     queued invocation)
 * @param functionError Lambda's X-Amz-Function-Error ("Unhandled") when the function failed
 * @param log the invocation's log (the function's stdout/stderr and the platform's lines; empty when queued)
 * @param executedVersion the version that ran ($LATEST, or the version a qualifier resolved to); empty when queued
 * @param statusCode Lambda's status: 200 for a synchronous invocation, 202 for a queued one
 */
public record InvocationResult(
        String payload,
        Optional<String> functionError,
        String log,
        long durationMillis,
        Optional<String> executedVersion,
        int statusCode) {
    public InvocationResult {
        requireNonNull(payload, "payload is null");
        requireNonNull(functionError, "functionError is null");
        requireNonNull(log, "log is null");
        requireNonNull(executedVersion, "executedVersion is null");
    }

    /** A synchronous invocation's outcome. */
    public InvocationResult(String payload, Optional<String> functionError, String log, long durationMillis) {
        this(payload, functionError, log, durationMillis, Optional.empty(), 200);
    }

    public boolean failed() {
        return functionError.isPresent();
    }
}
