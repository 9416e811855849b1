package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import io.lambdaform.plan.PlannedOperation;
import java.util.List;
import java.util.Optional;

/** What apply did: every planned operation with its outcome, in plan order. */
public record ApplyResult(List<Outcome> outcomes) {
    public ApplyResult {
        outcomes = List.copyOf(outcomes);
    }

    public enum Status {
        SUCCEEDED,
        FAILED,
        /** Not started, because an operation failed first (or one it depends on did). */
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
