package io.lambdaform.graph;

import io.lambdaform.resource.Link;
import java.util.Optional;

/**
 * A {@link StackGraph} in Graphviz's DOT language ({@code dot -Tsvg} draws it). Ids are the graph's numbers; every
 * text is a quoted string with {@code "} and {@code \} escaped, {@code &}, {@code <} and {@code >} as entities (so
 * that Graphviz reads no entity or escape of the manifests' own), and control and invisible characters shown as {@code
 * \xNN}; no HTML label is written.
 */
public final class DotGraph {
    private DotGraph() {}

    public static String render(StackGraph graph) {
        StringBuilder out = new StringBuilder("digraph lambdaform {\n");
        out.append("  rankdir=LR;\n");
        out.append("  node [fontname=\"Helvetica\", fontsize=10, style=filled];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (StackGraph.Cluster cluster : graph.clusters()) {
            out.append("  subgraph cluster_")
                    .append(cluster.id())
                    .append(" {\n    label=\"stack ")
                    .append(text(cluster.stack()))
                    .append("\";\n");
            for (StackGraph.Node node : cluster.nodes()) {
                node(out.append("    "), node);
            }
            out.append("  }\n");
        }
        for (StackGraph.Node node : graph.outside()) {
            node(out.append("  "), node);
        }
        for (StackGraph.Edge edge : graph.edges()) {
            out.append("  ")
                    .append(edge.from())
                    .append(" -> ")
                    .append(edge.to())
                    .append(" [label=\"")
                    .append(text(GraphStyle.edgeLabel(edge)))
                    .append('"')
                    .append(edge.change().isPresent() ? ", penwidth=2" : "")
                    .append("];\n");
        }
        return out.append("}\n").toString();
    }

    private static void node(StringBuilder out, StackGraph.Node node) {
        boolean changes = false;
        Optional<String> kind = GraphStyle.kindLine(node);
        GraphStyle.Colours colours = GraphStyle.colours(node, changes);
        String style = node.shape() == Link.Shape.ROUNDED ? "filled,rounded" : "filled";
        out.append(node.id())
                .append(" [label=\"")
                .append(kind.map(k -> text(k) + "\\n").orElse(""))
                .append(text(node.name()))
                .append("\", shape=")
                .append(shape(node.shape()))
                .append(", style=\"")
                .append(colours.dashed() ? style + ",dashed" : style)
                .append("\", fillcolor=\"")
                .append(colours.fill())
                .append("\", color=\"")
                .append(colours.stroke())
                .append("\"];\n");
    }

    private static String shape(Link.Shape shape) {
        return switch (shape) {
            case ROUNDED, BOX, NONE -> "box";
            case STADIUM -> "ellipse";
            case HEXAGON -> "hexagon";
            case CYLINDER -> "cylinder";
            case SUBROUTINE -> "component";
            case PARALLELOGRAM -> "parallelogram";
            case ASYMMETRIC -> "cds";
            case LEANING_LEFT -> "note";
            case TRAPEZOID -> "trapezium";
        };
    }

    /** Text for inside a quoted string. */
    static String text(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (GraphText.invisible(c)) {
                out.append(GraphText.visible(c).replace("\\", "\\\\"));
            } else if (c == '"') {
                out.append("\\\"");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c == '&') {
                out.append("&amp;");
            } else if (c == '<') {
                out.append("&lt;");
            } else if (c == '>') {
                out.append("&gt;");
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
