package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import io.lambdaform.plan.PlannedOperation;
import java.util.List;
import java.util.Optional;

/**
 * What apply did: every planned operation with its outcome, in plan order.
 *
 * @param stoppedBy the signal (SIGINT, SIGTERM) that stopped apply before it ran everything it could
 */
public record ApplyResult(List<Outcome> outcomes, Optional<String> stoppedBy) {
    public ApplyResult {
        outcomes = List.copyOf(outcomes);
        requireNonNull(stoppedBy, "stoppedBy is null");
    }

    public ApplyResult(List<Outcome> outcomes) {
        this(outcomes, Optional.empty());
    }

    public enum Status {
        SUCCEEDED,
        FAILED,
        /** Not started, because an operation failed first (or one it depends on did), or a signal stopped apply. */
        NOT_STARTED
    }

    /** One operation's outcome; {@code error} is present when it failed. */
    public record Outcome(PlannedOperation operation, Status status, Optional<String> error) {
        public Outcome {
            requireNonNull(operation, "operation is null");
            requireNonNull(status, "status is null");
            requireNonNull(error, "error is null");
        }
    }

    public boolean succeeded() {
        return outcomes.stream().allMatch(o -> o.status() == Status.SUCCEEDED);
    }

    public List<Outcome> withStatus(Status status) {
        return outcomes.stream().filter(o -> o.status() == status).toList();
    }
}
