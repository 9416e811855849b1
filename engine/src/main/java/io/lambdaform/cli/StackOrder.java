package io.lambdaform.cli;

import io.lambdaform.LambdaformException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
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
     * within a wave. Kahn's order by levels, in time linear in the stacks and references. Two folders of one stack
     * name, or a cycle of references, are refused, naming them.
     */
    static List<List<Node>> waves(List<Node> nodes) {
        Map<String, Node> byName = byName(nodes);
        Map<Path, List<Node>> users = new HashMap<>();
        Map<Path, Integer> waiting = new HashMap<>();
        for (Node node : nodes) {
            int count = 0;
            for (String used : node.uses()) {
                Node owner = byName.get(used);
                if (owner != null && owner != node) {
                    users.computeIfAbsent(owner.folder(), k -> new ArrayList<>())
                            .add(node);
                    count++;
                }
            }
            waiting.put(node.folder(), count);
        }
        List<List<Node>> waves = new ArrayList<>();
        List<Node> wave = nodes.stream()
                .filter(n -> waiting.get(n.folder()) == 0)
                .sorted(Comparator.comparing(Node::folder))
                .toList();
        int placed = 0;
        while (!wave.isEmpty()) {
            waves.add(wave);
            placed += wave.size();
            List<Node> next = new ArrayList<>();
            for (Node done : wave) {
                for (Node user : users.getOrDefault(done.folder(), List.of())) {
                    if (waiting.merge(user.folder(), -1, Integer::sum) == 0) {
                        next.add(user);
                    }
                }
            }
            next.sort(Comparator.comparing(Node::folder));
            wave = next;
        }
        if (placed < nodes.size()) {
            List<String> cycle = nodes.stream()
                    .filter(n -> waiting.get(n.folder()) > 0)
                    .map(n -> n.name().orElse(n.folder().toString()))
                    .limit(20)
                    .toList();
            throw LambdaformException.user("these stacks use one another in a cycle, so none can be applied first: "
                    + String.join(", ", cycle) + ". A stack may use another's role only one way");
        }
        return waves;
    }

    /** The stacks {@code touched} reaches: those, and every stack that uses one of them, and so on (breadth first). */
    static SortedSet<Path> reached(List<Node> nodes, Set<Path> touched) {
        Map<String, List<Node>> usersOf = new HashMap<>();
        for (Node node : nodes) {
            node.uses()
                    .forEach(used -> usersOf.computeIfAbsent(used, k -> new ArrayList<>())
                            .add(node));
        }
        SortedSet<Path> reached = new TreeSet<>(touched);
        Deque<Node> queue = new ArrayDeque<>();
        nodes.stream().filter(n -> touched.contains(n.folder())).forEach(queue::add);
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            if (node.name().isEmpty()) {
                continue;
            }
            for (Node user : usersOf.getOrDefault(node.name().get(), List.of())) {
                if (reached.add(user.folder())) {
                    queue.add(user);
                }
            }
        }
        return reached;
    }

    private static Map<String, Node> byName(List<Node> nodes) {
        Map<String, Node> byName = new HashMap<>();
        for (Node node : nodes) {
            if (node.name().isPresent()) {
                Node other = byName.putIfAbsent(node.name().get(), node);
                if (other != null) {
                    throw LambdaformException.user("stack " + node.name().get() + " is declared in two folders, "
                            + other.folder() + " and " + node.folder() + ": each stack is one folder (name one of"
                            + " them otherwise)");
                }
            }
        }
        return byName;
    }
}
