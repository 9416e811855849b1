package io.lambdaform.graph;

import io.lambdaform.resource.Operation;
import java.util.Optional;

/** What the graph formats share: each node's class, its colours and its lines of text. */
final class GraphStyle {
    private GraphStyle() {}

    /** Fill and stroke of a class. */
    record Colours(String fill, String stroke, boolean dashed) {}

    /** The node's class: its change in a graph of changes, else its kind; what no stack declares, outside. */
    static String className(StackGraph.Node node, boolean changes) {
        if (node.outsideStacks()) {
            return "outside";
        }
        if (changes) {
            return node.change().map(GraphStyle::changeClass).orElse("unchanged");
        }
        return node.kind().equals(StackGraph.SOURCE)
                ? "source"
                : "kind_" + node.kind().replaceAll("[^a-z0-9]", "_");
    }

    static String changeClass(Operation.Action action) {
        return switch (action) {
            case CREATE -> "created";
            case UPDATE -> "updated";
            case DELETE -> "deleted";
        };
    }

    /** The colours of a node's class: a change's, else its shape's (each kind has its own). */
    static Colours colours(StackGraph.Node node, boolean changes) {
        if (node.outsideStacks()) {
            return new Colours("#ffffff", "#757575", true);
        }
        if (changes) {
            return node.change()
                    .map(action -> switch (action) {
                        case CREATE -> new Colours("#d4edda", "#1e7e34", false);
                        case UPDATE -> new Colours("#fff3cd", "#b08900", false);
                        case DELETE -> new Colours("#f8d7da", "#a71d2a", true);
                    })
                    .orElse(new Colours("#f5f5f5", "#9e9e9e", false));
        }
        return switch (node.shape()) {
            case HEXAGON -> new Colours("#fff8e1", "#b08900", false);
            case ROUNDED -> new Colours("#ffe0b2", "#e65100", false);
            case STADIUM -> new Colours("#ffecb3", "#ff8f00", false);
            case PARALLELOGRAM -> new Colours("#e1bee7", "#6a1b9a", false);
            case CYLINDER -> new Colours("#c8e6c9", "#2e7d32", false);
            case SUBROUTINE -> new Colours("#f8bbd0", "#ad1457", false);
            case ASYMMETRIC -> new Colours("#d1c4e9", "#4527a0", false);
            case LEANING_LEFT -> new Colours("#bbdefb", "#1565c0", false);
            case TRAPEZOID -> new Colours("#eeeeee", "#616161", false);
            case BOX, NONE -> new Colours("#ffffff", "#757575", false);
        };
    }

    /** The node's first line: its kind, and whether no stack declares it; none for a source, whose name says it. */
    static Optional<String> kindLine(StackGraph.Node node) {
        if (node.kind().equals(StackGraph.SOURCE)) {
            return Optional.empty();
        }
        return Optional.of(node.kind() + (node.outsideStacks() ? " (outside the stacks)" : ""));
    }

    /** An edge's text: in a graph of changes, the symbol of the change of what it draws (a trigger). */
    static String edgeLabel(StackGraph.Edge edge) {
        return edge.change().map(action -> action.symbol() + " ").orElse("") + edge.label();
    }
}
