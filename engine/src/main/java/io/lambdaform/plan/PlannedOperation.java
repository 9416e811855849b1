package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.resource.Operation;
import java.util.List;

/**
 * An operation with its place in the plan and the operations that must succeed before it starts.
 *
 * @param id the operation's index in the plan
 */
public record PlannedOperation(int id, Operation operation, List<Integer> dependsOn) {
    public PlannedOperation {
        requireNonNull(operation, "operation is null");
        dependsOn = dependsOn.stream().distinct().sorted().toList();
    }
}
