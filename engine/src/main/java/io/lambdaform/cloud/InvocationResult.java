package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The outcome of a synchronous invocation.
 *
 * @param payload the response body: the handler's result, or Lambda's error object on a function error
 * @param functionError Lambda's X-Amz-Function-Error ("Unhandled") when the function failed
 * @param log the invocation's log (the function's stdout/stderr and the platform's lines)
 */
public record InvocationResult(String payload, Optional<String> functionError, String log, long durationMillis) {
    public InvocationResult {
        requireNonNull(payload, "payload is null");
        requireNonNull(functionError, "functionError is null");
        requireNonNull(log, "log is null");
    }

    public boolean failed() {
        return functionError.isPresent();
    }
}
