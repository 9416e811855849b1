package io.lambdaform.graph;

import io.lambdaform.resource.Link;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link StackGraph} as a Mermaid flowchart, which GitHub draws in markdown (pull-request comments, docs). Every
 * text of the manifests is written inside quotes with every character but letters, digits, spaces and {@code
 * .,:/-=+()@?!} as Mermaid's entity code ({@code #34;}), so that no name can end a label, start a statement, a
 * comment, a link or markdown, or hold HTML; ids are the graph's numbers.
 */
public final class MermaidGraph {
    /** Edges GitHub's Mermaid draws at most (its {@code maxEdges}). */
    public static final int GITHUB_MAX_EDGES = 500;
    /** Characters of a diagram GitHub's Mermaid reads at most (its {@code maxTextSize}). */
    public static final int GITHUB_MAX_TEXT = 50_000;

    private MermaidGraph() {}

    /** The graph of the stacks' resources, a class per kind. */
    public static String render(StackGraph graph) {
        return render(graph, false);
    }

    /** The graph of a plan's changes ({@link StackGraph#ofChanges}), a class per change. */
    public static String renderChanges(StackGraph graph) {
        return render(graph, true);
    }

    private static String render(StackGraph graph, boolean changes) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        Map<String, GraphStyle.Colours> classes = new TreeMap<>();
        for (StackGraph.Cluster cluster : graph.clusters()) {
            out.append("  subgraph ")
                    .append(cluster.id())
                    .append("[\"stack ")
                    .append(text(cluster.stack()))
                    .append("\"]\n");
            for (StackGraph.Node node : cluster.nodes()) {
                node(out.append("    "), node, changes, classes);
            }
            out.append("  end\n");
        }
        for (StackGraph.Node node : graph.outside()) {
            node(out.append("  "), node, changes, classes);
        }
        for (StackGraph.Edge edge : graph.edges()) {
            out.append("  ")
                    .append(edge.from())
                    .append(edge.change().isPresent() ? " ==>|\"" : " -->|\"")
                    .append(text(GraphStyle.edgeLabel(edge)))
                    .append("\"| ")
                    .append(edge.to())
                    .append('\n');
        }
        classes.forEach((name, colours) -> out.append("  classDef ")
                .append(name)
                .append(" fill:")
                .append(colours.fill())
                .append(",stroke:")
                .append(colours.stroke())
                .append(",color:#000000")
                .append(colours.dashed() ? ",stroke-dasharray:4 3" : "")
                .append('\n'));
        return out.toString();
    }

    private static void node(
            StringBuilder out, StackGraph.Node node, boolean changes, Map<String, GraphStyle.Colours> classes) {
        Optional<String> kind = GraphStyle.kindLine(node);
        String label = kind.map(k -> text(k) + "<br>").orElse("") + text(node.name());
        String[] brackets = brackets(node.shape());
        String className = GraphStyle.className(node, changes);
        classes.put(className, GraphStyle.colours(node, changes));
        out.append(node.id())
                .append(brackets[0])
                .append('"')
                .append(label)
                .append('"')
                .append(brackets[1])
                .append(":::")
                .append(className)
                .append('\n');
    }

    private static String[] brackets(Link.Shape shape) {
        return switch (shape) {
            case ROUNDED -> new String[] {"(", ")"};
            case STADIUM -> new String[] {"([", "])"};
            case HEXAGON -> new String[] {"{{", "}}"};
            case CYLINDER -> new String[] {"[(", ")]"};
            case SUBROUTINE -> new String[] {"[[", "]]"};
            case PARALLELOGRAM -> new String[] {"[/", "/]"};
            case ASYMMETRIC -> new String[] {">", "]"};
            case LEANING_LEFT -> new String[] {"[\\", "\\]"};
            case TRAPEZOID -> new String[] {"[/", "\\]"};
            case BOX, NONE -> new String[] {"[", "]"};
        };
    }

    /**
     * Text for inside a quoted label: letters, digits, spaces and {@code .,:/-=+()@?!} as they are, every other
     * character as Mermaid's entity code ({@code #35;}); control and invisible characters shown as {@code \xNN} or
     * {@code \\uXXXX}, whose backslash is coded too.
     */
    static String text(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (GraphText.invisible(c)) {
                GraphText.visible(c).codePoints().forEach(v -> append(out, v));
            } else {
                append(out, c);
            }
        });
        return out.toString();
    }

    private static void append(StringBuilder out, int c) {
        if ((c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || " .,:/-=+()@?!".indexOf(c) >= 0) {
            out.append((char) c);
        } else {
            out.append('#').append(c).append(';');
        }
    }
}
