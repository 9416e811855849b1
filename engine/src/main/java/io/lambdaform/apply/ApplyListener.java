package io.lambdaform.apply;

import io.lambdaform.plan.PlannedOperation;
import java.time.Duration;

/** Receives apply progress: one call when an operation starts and one when it ends, from any worker thread. */
public interface ApplyListener {
    ApplyListener NONE = new ApplyListener() {};

    default void started(PlannedOperation operation) {}

    default void succeeded(PlannedOperation operation, Duration took) {}

    default void failed(PlannedOperation operation, String message) {}
}
