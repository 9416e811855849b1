package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Payload;
import java.util.List;
import java.util.Optional;

/**
 * What a target that runs a queued event at once (the local cloud) did with it, as Lambda would have later: the first
 * attempt, a retry after each function error or timeout up to the function's {@code maximumRetryAttempts}, then the
 * invocation record sent to the destination the function sets for the outcome, if any.
 *
 * @param requestId the queued event's request id, which its invocation record names
 * @param attempts each attempt's outcome, in order; never empty
 * @param maximumRetryAttempts the retries the function allows (Lambda's default 2 when it sets none)
 * @param delivery where the invocation record went; empty when the function sets no destination for the outcome
 */
public record QueuedRun(
        String requestId, List<InvocationResult> attempts, int maximumRetryAttempts, Optional<Delivery> delivery) {
    public QueuedRun {
        requireNonNull(requestId, "requestId is null");
        attempts = List.copyOf(attempts);
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a queued run has at least one attempt");
        }
        requireNonNull(delivery, "delivery is null");
    }

    /** The last attempt, whose outcome is the event's. */
    public InvocationResult last() {
        return attempts.get(attempts.size() - 1);
    }

    /** Whether every attempt failed. */
    public boolean failed() {
        return last().failed();
    }

    /**
     * What happened, for a person: "failed after 3 attempts; record sent to onFailure ARN (destinations/….jsonl)", or
     * "succeeded on attempt 1; no record sent: no onSuccess destination is set for what was invoked (asyncInvoke governs
     * $LATEST)".
     */
    public String summary() {
        int count = attempts.size();
        String outcome = failed()
                ? "failed after " + count + (count == 1 ? " attempt" : " attempts")
                : "succeeded on attempt " + count;
        String sent = delivery.map(
                        d -> "record sent to " + d.destination().written() + " " + d.arn() + " (" + d.file() + ")")
                .orElse("no record sent: no "
                        + (failed() ? Payload.Destination.ON_FAILURE : Payload.Destination.ON_SUCCESS).written()
                        + " destination is set for what was invoked (asyncInvoke governs $LATEST)");
        return outcome + "; " + sent;
    }

    /**
     * An invocation record sent.
     *
     * @param destination which of the function's destinations it went to
     * @param arn the destination's ARN
     * @param file where the target keeps it, relative to its state (the local cloud's
     *     {@code destinations/<ARN, percent-encoded>.jsonl})
     * @param record the record, as Lambda sends it ({@link DestinationRecord})
     */
    public record Delivery(Payload.Destination destination, String arn, String file, String record) {
        public Delivery {
            requireNonNull(destination, "destination is null");
            requireNonNull(arn, "arn is null");
            requireNonNull(file, "file is null");
            requireNonNull(record, "record is null");
        }
    }
}
