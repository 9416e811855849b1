package io.lambdaform.cli;

import io.lambdaform.LambdaformException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The stacks of a repository in the order their references ask (a stack that uses another's role after it), in
 * waves of stacks that can run side by side, and which stacks a change reaches through references.
 */
final class StackOrder {
    /** A stack by its folder: its name when its manifests read, and the stacks it uses. */
    record Node(Path folder, Optional<String> name, Set<String> uses) {}

    private StackOrder() {}

    /**
     * Waves of stacks: each uses only stacks of earlier waves (or stacks not among {@code nodes}); in folder order
     * within a wave. A cycle of references is refused, naming it.
     */
    static List<List<Node>> waves(List<Node> nodes) {
        Map<String, Node> byName = new LinkedHashMap<>();
        nodes.forEach(n -> n.name().ifPresent(name -> byName.put(name, n)));
        List<List<Node>> waves = new ArrayList<>();
        Set<Path> placed = new TreeSet<>();
        List<Node> left = new ArrayList<>(nodes);
        while (!left.isEmpty()) {
            List<Node> wave = new ArrayList<>();
            for (Node node : left) {
                boolean ready = node.uses().stream()
                        .map(byName::get)
                        .allMatch(used -> used == null || used == node || placed.contains(used.folder()));
                if (ready) {
                    wave.add(node);
                }
            }
            if (wave.isEmpty()) {
                List<String> cycle = left.stream()
                        .map(n -> n.name().orElse(n.folder().toString()))
                        .toList();
                throw LambdaformException.user("these stacks use one another in a cycle, so none can be applied"
                        + " first: " + String.join(", ", cycle) + ". A stack may use another's role only one way");
            }
            wave.forEach(n -> placed.add(n.folder()));
            left.removeAll(wave);
            waves.add(wave);
        }
        return waves;
    }

    /** The stacks {@code touched} reaches: those, and every stack that uses one of them, and so on. */
    static SortedSet<Path> reached(List<Node> nodes, Set<Path> touched) {
        SortedSet<Path> reached = new TreeSet<>(touched);
        boolean grew = true;
        while (grew) {
            grew = false;
            Set<String> names = new TreeSet<>();
            nodes.stream()
                    .filter(n -> reached.contains(n.folder()))
                    .forEach(n -> n.name().ifPresent(names::add));
            for (Node node : nodes) {
                if (!reached.contains(node.folder()) && node.uses().stream().anyMatch(names::contains)) {
                    reached.add(node.folder());
                    grew = true;
                }
            }
        }
        return reached;
    }
}
