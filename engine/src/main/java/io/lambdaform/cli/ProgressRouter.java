package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import io.lambdaform.cloud.CloudProvider.ProgressListener;
import java.io.PrintWriter;

/**
 * One run's progress sink, given to the target when the CLI connects: what the target reports (a retry after a
 * fault, a wait for a function to become ready, a wait for the stack's lock) goes to standard error, indented, until
 * the run hands it to the operation report while it applies.
 */
final class ProgressRouter implements ProgressListener {
    private final PrintWriter err;
    private volatile ProgressListener target;

    ProgressRouter(PrintWriter err) {
        this.err = requireNonNull(err, "err is null");
        this.target = this::toStandardError;
    }

    @Override
    public void onProgress(String message) {
        target.onProgress(message);
    }

    /** Sends the progress to {@code listener} from now on. */
    void routeTo(ProgressListener listener) {
        target = requireNonNull(listener, "listener is null");
    }

    /** Sends the progress to standard error again. */
    void reset() {
        target = this::toStandardError;
    }

    private void toStandardError(String message) {
        err.println("  " + message);
    }
}
