package io.lambdaform.cli;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.plan.Conflict;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import java.util.List;
import java.util.Map;

/** Renders a plan for people, like {@code terraform plan}: +/~/- per resource and operation, field by field. */
final class PlanTextRenderer {
    private PlanTextRenderer() {}

    static String header(Plan plan) {
        return "Stack " + plan.stackName() + " on target " + plan.target() + "\n";
    }

    static String render(Plan plan, Ansi ansi) {
        StringBuilder text = new StringBuilder(header(plan)).append('\n');
        for (Map.Entry<ResourceKey, List<PlannedOperation>> resource :
                plan.byResource().entrySet()) {
            String symbol = Plan.resourceAction(resource.getValue()).symbol();
            text.append("  ")
                    .append(ansi.forSymbol(symbol, symbol + " " + resource.getKey()))
                    .append('\n');
            for (PlannedOperation op : resource.getValue()) {
                Operation operation = op.operation();
                String opSymbol = operation.action().symbol();
                text.append("      ")
                        .append(ansi.forSymbol(opSymbol, opSymbol + " " + plan.summary(operation)))
                        .append('\n');
                int width = plan.changes(operation).stream()
                        .mapToInt(c -> c.field().length())
                        .max()
                        .orElse(0);
                for (FieldChange change : plan.changes(operation)) {
                    text.append("          ").append(field(change, width, ansi)).append('\n');
                }
            }
            text.append('\n');
        }
        for (Conflict conflict : plan.conflicts()) {
            text.append("  ")
                    .append(ansi.red("! " + conflict.key()))
                    .append('\n')
                    .append("      ")
                    .append(conflict.message())
                    .append("\n\n");
        }
        for (Note note : plan.notes()) {
            text.append("  ")
                    .append(ansi.yellow("! " + note.category().label() + ": " + note.key()))
                    .append('\n')
                    .append("      ")
                    .append(note.message())
                    .append("\n\n");
        }
        if (plan.isEmpty()) {
            text.append("No changes. The target matches the manifests.\n");
        } else {
            text.append(ansi.bold("Plan: " + plan.summary() + "."));
            if (!plan.conflicts().isEmpty()) {
                text.append(' ').append(ansi.red(plan.conflicts().size() + " conflict(s) block apply."));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String field(FieldChange change, int width, Ansi ansi) {
        String name = String.format("%-" + width + "s", change.field());
        if (change.before().isEmpty()) {
            return ansi.green("+ " + name) + " = " + change.after().orElse("");
        }
        if (change.after().isEmpty()) {
            return ansi.red("- " + name) + " = " + change.before().get();
        }
        return ansi.yellow("~ " + name) + " = " + change.before().get() + " -> "
                + change.after().get();
    }
}
