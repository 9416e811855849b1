package io.lambdaform.cli;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.graph.MermaidGraph;
import io.lambdaform.graph.StackGraph;
import io.lambdaform.plan.Conflict;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Renders a plan as GitHub-flavoured markdown for a pull-request comment: a summary table, then details per resource. */
final class PlanMarkdownRenderer {
    private PlanMarkdownRenderer() {}

    /**
     * Characters of the graph of changes a comment holds at most: GitHub keeps a comment to 65,536, and the table and
     * details come first.
     */
    static final int MAX_GRAPH_TEXT = 20_000;

    static String render(Plan plan) {
        return render(plan, Optional.empty());
    }

    /**
     * The plan, with the Mermaid graph of what it changes ({@code plan --graph}) after the table of resources; left out
     * with a note when it passes what GitHub draws ({@link MermaidGraph#GITHUB_MAX_EDGES}) or {@link #MAX_GRAPH_TEXT}.
     */
    static String render(Plan plan, Optional<StackGraph> changes) {
        StringBuilder md = new StringBuilder();
        md.append("### Lambdaform plan: stack `")
                .append(code(plan.stackName()))
                .append("` on ")
                .append(plan.target().kind())
                .append(" (account ")
                .append(plan.target().accountId())
                .append(", region ")
                .append(plan.target().region())
                .append(")\n\n");
        if (plan.isEmpty()) {
            md.append("**No changes.** The target matches the manifests.\n");
            return md.toString();
        }
        Plan.Summary summary = plan.summary();
        md.append("**Plan: ").append(summary).append(".**");
        if (!plan.conflicts().isEmpty()) {
            md.append(" **").append(plan.conflicts().size()).append(" conflict(s) block apply.**");
        }
        md.append("\n\n");
        if (plan.hasChanges()) {
            md.append("| | Resource | Operations |\n| --- | --- | --- |\n");
            for (Map.Entry<ResourceKey, List<PlannedOperation>> resource :
                    plan.byResource().entrySet()) {
                String symbol = Plan.resourceAction(resource.getValue()).symbol();
                md.append("| `")
                        .append(symbol)
                        .append("` | ")
                        .append(resource.getKey().type())
                        .append(" `")
                        .append(code(resource.getKey().name()))
                        .append("` | ")
                        .append(resource.getValue().stream()
                                .map(op -> cell(plan.summary(op.operation())))
                                .collect(Collectors.joining("<br>")))
                        .append(" |\n");
            }
            md.append('\n');
            changes.ifPresent(graph -> graph(md, graph));
        }
        for (Conflict conflict : plan.conflicts()) {
            md.append("> **Conflict:** ").append(cell(conflict.message())).append("\n\n");
        }
        for (Note note : plan.notes()) {
            md.append("> **")
                    .append(note.category() == Note.Category.SECURITY ? "Security" : "Warning")
                    .append(":** ")
                    .append(note.key().type())
                    .append(" `")
                    .append(code(note.key().name()))
                    .append("`: ")
                    .append(cell(note.message()))
                    .append("\n\n");
        }
        for (Map.Entry<ResourceKey, List<PlannedOperation>> resource :
                plan.byResource().entrySet()) {
            String symbol = Plan.resourceAction(resource.getValue()).symbol();
            md.append("<details><summary><code>")
                    .append(symbol)
                    .append("</code> ")
                    .append(resource.getKey().type())
                    .append(" <code>")
                    .append(html(resource.getKey().name()))
                    .append("</code></summary>\n\n");
            md.append("| Operation | Field | Before | After |\n| --- | --- | --- | --- |\n");
            for (PlannedOperation op : resource.getValue()) {
                Operation operation = op.operation();
                if (plan.changes(operation).isEmpty()) {
                    md.append("| `")
                            .append(operation.action().symbol())
                            .append("` ")
                            .append(cell(plan.summary(operation)))
                            .append(" | | | |\n");
                }
                for (FieldChange change : plan.changes(operation)) {
                    md.append("| `")
                            .append(operation.action().symbol())
                            .append("` ")
                            .append(cell(plan.summary(operation)))
                            .append(" | `")
                            .append(code(change.field()))
                            .append("` | ")
                            .append(change.before()
                                    .map(v -> "`" + code(v) + "`")
                                    .orElse(""))
                            .append(" | ")
                            .append(change.after().map(v -> "`" + code(v) + "`").orElse(""))
                            .append(" |\n");
                }
            }
            md.append("\n</details>\n\n");
        }
        return md.toString();
    }

    private static void graph(StringBuilder md, StackGraph graph) {
        String mermaid = MermaidGraph.renderChanges(graph);
        if (graph.edges().size() > MermaidGraph.GITHUB_MAX_EDGES || mermaid.length() > MAX_GRAPH_TEXT) {
            md.append("> The graph of the changes is left out: ")
                    .append(graph.nodeCount())
                    .append(" resources and ")
                    .append(graph.edges().size())
                    .append(" links, more than a comment shows (")
                    .append(MermaidGraph.GITHUB_MAX_EDGES)
                    .append(" links, ")
                    .append(String.format("%,d", MAX_GRAPH_TEXT))
                    .append(" characters). `lambdaform graph` draws the stack.\n\n");
            return;
        }
        md.append("<details open><summary>Graph of the changes (created, updated, deleted)</summary>\n\n```mermaid\n")
                .append(mermaid)
                .append("```\n\n</details>\n\n");
    }

    /** Text inside a table cell: no pipes or newlines. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** Text inside a code span in a table cell. */
    private static String code(String text) {
        return cell(text).replace("`", "'");
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
