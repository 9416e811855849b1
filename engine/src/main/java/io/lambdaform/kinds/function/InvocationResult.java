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
 * @param queuedRun of a queued invocation on a target that runs the event at once (the local cloud): its attempts and
 *     where its invocation record went; empty otherwise (on AWS a queued event's outcome is unknown when Invoke
 *     returns)
 */
public record InvocationResult(
        String payload,
        Optional<String> functionError,
        String log,
        long durationMillis,
        Optional<String> executedVersion,
        int statusCode,
        Optional<QueuedRun> queuedRun) {
    public InvocationResult {
        requireNonNull(payload, "payload is null");
        requireNonNull(functionError, "functionError is null");
        requireNonNull(log, "log is null");
        requireNonNull(executedVersion, "executedVersion is null");
        requireNonNull(queuedRun, "queuedRun is null");
    }

    /** An invocation's outcome as Lambda's Invoke answers it. */
    public InvocationResult(
            String payload,
            Optional<String> functionError,
            String log,
            long durationMillis,
            Optional<String> executedVersion,
            int statusCode) {
        this(payload, functionError, log, durationMillis, executedVersion, statusCode, Optional.empty());
    }

    /** A synchronous invocation's outcome. */
    public InvocationResult(String payload, Optional<String> functionError, String log, long durationMillis) {
        this(payload, functionError, log, durationMillis, Optional.empty(), 200);
    }

    /** What Lambda answers a queued invocation (202, no response), with what running it at once did. */
    public static InvocationResult queued(QueuedRun run) {
        long millis = run.attempts().stream()
                .mapToLong(InvocationResult::durationMillis)
                .sum();
        return new InvocationResult("null", Optional.empty(), "", millis, Optional.empty(), 202, Optional.of(run));
    }

    /** Whether Lambda answered with a function error (never for a queued invocation: see {@link #queuedRun}). */
    public boolean failed() {
        return functionError.isPresent();
    }
}
