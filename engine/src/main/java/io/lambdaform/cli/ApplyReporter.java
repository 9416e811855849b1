package io.lambdaform.cli;

import io.lambdaform.apply.ApplyListener;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.resource.Operation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** Prints a line per finished operation while apply runs, then what was done and what was not. */
final class ApplyReporter implements ApplyListener {
    private final PrintWriter out;
    private final Ansi ansi;
    private final Plan plan;

    ApplyReporter(PrintWriter out, Ansi ansi, Plan plan) {
        this.out = out;
        this.ansi = ansi;
        this.plan = plan;
    }

    @Override
    public synchronized void succeeded(PlannedOperation op, Duration took) {
        Operation operation = op.operation();
        out.println("  "
                + ansi.forSymbol(
                        operation.action().symbol(),
                        operation.action().symbol() + " " + operation.key() + ": " + plan.summary(operation))
                + " ... done (" + took.toMillis() + " ms)");
        out.flush();
    }

    @Override
    public synchronized void failed(PlannedOperation op, String message) {
        out.println("  " + ansi.red("! " + op.operation().key() + ": " + plan.summary(op.operation()) + " ... FAILED: ")
                + message);
        out.flush();
    }

    /** A wait, retry or throttle the target reports while operations run, under the operations. */
    public synchronized void progress(String message) {
        out.println("    " + message);
        out.flush();
    }

    /** The closing lines; returns whether everything was applied. */
    boolean summarize(Plan plan, ApplyResult result, String verb) {
        if (result.succeeded()) {
            Plan.Summary s = plan.summary();
            out.println(ansi.bold(verb + " complete: " + s.create() + " created, " + s.update() + " updated, "
                    + s.delete() + " deleted."));
            return true;
        }
        List<ApplyResult.Outcome> done = result.withStatus(ApplyResult.Status.SUCCEEDED);
        List<ApplyResult.Outcome> failed = result.withStatus(ApplyResult.Status.FAILED);
        List<ApplyResult.Outcome> notStarted = result.withStatus(ApplyResult.Status.NOT_STARTED);
        String ended = result.stoppedBy().map(signal -> " stopped by " + signal).orElse(" failed");
        out.println(ansi.red(
                verb + ended + ": " + done.size() + " of " + result.outcomes().size() + " operation(s) done, "
                        + failed.size() + " failed, " + notStarted.size() + " not started."));
        if (result.stoppedBy().isPresent()) {
            for (ApplyResult.Outcome outcome : done) {
                out.println("  done:        " + describe(outcome));
            }
        }
        for (ApplyResult.Outcome outcome : failed) {
            out.println("  failed:      " + describe(outcome) + ": "
                    + outcome.error().orElse(""));
        }
        for (ApplyResult.Outcome outcome : notStarted) {
            out.println("  not started: " + describe(outcome));
        }
        out.println(
                result.stoppedBy().isPresent()
                        ? "The target is partly changed; run apply again: it plans from the live state and completes the rest."
                        : "The target is partly changed; fix the cause and run apply again: it plans from the live state"
                                + " and completes the rest.");
        return false;
    }

    private String describe(ApplyResult.Outcome outcome) {
        Operation operation = outcome.operation().operation();
        return operation.key() + ": " + plan.summary(operation);
    }
}
