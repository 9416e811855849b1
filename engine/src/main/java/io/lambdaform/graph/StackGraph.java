package io.lambdaform.graph;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.Quoted;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The resources of one or more stacks and the links they declare, as nodes and edges: what {@code lambdaform graph}
 * and the markdown plan draw. Built through the kinds alone ({@link ResourceKind#shape}, {@link ResourceKind#links},
 * {@link ResourceKind#nameIn}): a node per resource of a kind that has a shape, in a cluster per stack; an edge per
 * link; what a link names that no stack declares, a node outside the clusters (by ARN or by name) or, for what is no
 * resource of any kind (a schedule, a function URL), a node in the stack of the link. Every text is masked with the
 * stacks' sensitive values and shortened; node and cluster ids are numbers, never text of the manifests. Sorted, so
 * the same stacks give the same graph.
 */
public record StackGraph(List<Cluster> clusters, List<Node> outside, List<Edge> edges) {
    /** Nodes a graph holds at most: a graph of more is read by nobody, and drawing it costs more than the rest. */
    public static final int MAX_NODES = 2000;
    /** Edges a graph holds at most. */
    public static final int MAX_EDGES = 4000;
    /** Characters of a name or an ARN a node shows at most (its start, its end and its length past that). */
    static final int MAX_TEXT = 160;

    /** What a node's kind is when no kind of the set declares it: a source such as a schedule. */
    public static final String SOURCE = "source";

    public StackGraph {
        clusters = List.copyOf(clusters);
        outside = List.copyOf(outside);
        edges = List.copyOf(edges);
    }

    /**
     * One node.
     *
     * @param id {@code n} and a number
     * @param kind the kind's label ({@code role}), or {@link #SOURCE}
     * @param outsideStacks whether it is a resource no stack of the graph declares
     * @param name its name or ARN, or a source's description, masked and shortened
     * @param change what the plan does to it, in a graph of changes; empty otherwise or when it is unchanged
     */
    public record Node(
            String id,
            String kind,
            Link.Shape shape,
            boolean outsideStacks,
            String name,
            Optional<Operation.Action> change) {
        public Node {
            requireNonNull(id, "id is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(shape, "shape is null");
            requireNonNull(name, "name is null");
            requireNonNull(change, "change is null");
        }
    }

    /** A stack's nodes. */
    public record Cluster(String id, String stack, List<Node> nodes) {
        public Cluster {
            requireNonNull(id, "id is null");
            requireNonNull(stack, "stack is null");
            nodes = List.copyOf(nodes);
        }
    }

    /** A link, between node ids; its change is that of the resource drawn as the link (a trigger). */
    public record Edge(String from, String to, String label, Optional<Operation.Action> change) {
        public Edge {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(label, "label is null");
            requireNonNull(change, "change is null");
        }
    }

    public int nodeCount() {
        return outside.size()
                + clusters.stream().mapToInt(c -> c.nodes().size()).sum();
    }

    /** The graph of every resource of {@code stacks} and their links. */
    public static StackGraph of(List<Stack> stacks) {
        return new Builder(stacks, Map.of()).build(false);
    }

    /**
     * What a plan of {@code stack} changes: the resources it creates, updates or deletes, each marked, with the links
     * that touch them and the resources at their other end, unmarked. A deleted resource, which the manifests no longer
     * declare, has no links.
     */
    public static StackGraph ofChanges(Stack stack, Map<ResourceKey, Operation.Action> changes) {
        return new Builder(List.of(stack), changes).build(true);
    }

    /** A node while the graph is built, before it has its id. */
    private static final class Draft {
        final int cluster; // -1: outside the stacks
        final String kind;
        final Link.Shape shape;
        final String name;
        final Optional<Operation.Action> change;
        String id;

        Draft(int cluster, String kind, Link.Shape shape, String name, Optional<Operation.Action> change) {
            this.cluster = cluster;
            this.kind = kind;
            this.shape = shape;
            this.name = name;
            this.change = change;
        }
    }

    private record DraftEdge(Draft from, Draft to, String label, Optional<Operation.Action> change) {}

    private static final class Builder {
        private final List<Stack> stacks;
        private final Map<ResourceKey, Operation.Action> changes;
        private final Sensitive sensitive;
        /** Per stack, its resources' nodes by key, in key order. */
        private final List<TreeMap<ResourceKey, Draft>> declared = new ArrayList<>();
        /** Per stack, its sources' nodes by text. */
        private final List<TreeMap<String, Draft>> sources = new ArrayList<>();
        /** Outside the stacks, by kind and text. */
        private final TreeMap<String, Draft> outside = new TreeMap<>();

        private final Set<DraftEdge> edges = new LinkedHashSet<>();
        private int nodes;

        Builder(List<Stack> stacks, Map<ResourceKey, Operation.Action> changes) {
            this.stacks =
                    stacks.stream().sorted(Comparator.comparing(Stack::name)).toList();
            this.changes = Map.copyOf(changes);
            this.sensitive = stacks.stream().map(Stack::sensitive).reduce(Sensitive.NONE, Sensitive::plus);
        }

        StackGraph build(boolean onlyChanges) {
            for (int i = 0; i < stacks.size(); i++) {
                TreeMap<ResourceKey, Draft> own = new TreeMap<>();
                for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                    if (kind.shape() == Link.Shape.NONE) {
                        continue;
                    }
                    for (Resource resource : stacks.get(i).resources(kind)) {
                        ResourceKey key = new ResourceKey(kind, resource.name());
                        own.put(key, node(i, kind.label(), kind.shape(), resource.name(), changes.get(key)));
                    }
                }
                if (onlyChanges) {
                    // What the plan deletes is no longer declared: drawn alone, as a box when its kind draws none.
                    for (Map.Entry<ResourceKey, Operation.Action> change : new TreeMap<>(changes).entrySet()) {
                        ResourceKey key = change.getKey();
                        if (change.getValue() == Operation.Action.DELETE && !own.containsKey(key)) {
                            Link.Shape shape = key.kind().shape() == Link.Shape.NONE
                                    ? Link.Shape.BOX
                                    : key.kind().shape();
                            own.put(key, node(i, key.type(), shape, key.name(), change.getValue()));
                        }
                    }
                }
                declared.add(own);
                sources.add(new TreeMap<>());
            }
            for (int i = 0; i < stacks.size(); i++) {
                for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                    addLinks(i, kind);
                }
            }
            return assemble(onlyChanges);
        }

        private <D extends Resource> void addLinks(int stack, ResourceKind<D, ?, ?> kind) {
            for (D resource : stacks.get(stack).resources(kind)) {
                Optional<Operation.Action> change =
                        Optional.ofNullable(changes.get(new ResourceKey(kind, resource.name())));
                for (Link link : kind.links(resource)) {
                    Optional<Draft> from = end(stack, link.from(), link.drawnOutside());
                    Optional<Draft> to = end(stack, link.to(), link.drawnOutside());
                    if (from.isPresent() && to.isPresent()) {
                        DraftEdge edge = new DraftEdge(
                                from.get(),
                                to.get(),
                                text(link.label()),
                                kind.shape() == Link.Shape.NONE ? change : Optional.empty());
                        if (edges.add(edge) && edges.size() > MAX_EDGES) {
                            throw tooLarge(edges.size() + " links", MAX_EDGES + " links");
                        }
                    }
                }
            }
        }

        /** The node of a link's end: of the stack, of another stack, or outside them (empty when not drawn there). */
        private Optional<Draft> end(int stack, Link.End end, boolean drawnOutside) {
            if (end instanceof Link.Declared declared) {
                Optional<Draft> found = find(stack, declared.key());
                if (found.isPresent() || !drawnOutside) {
                    return found;
                }
                return Optional.of(outsideNode(
                        declared.key().type(),
                        declared.key().kind().shape(),
                        declared.key().name()));
            }
            if (end instanceof Link.ByArn byArn) {
                Optional<Arn> arn = Arn.parse(byArn.arn());
                Optional<ResourceKind<?, ?, ?>> recognised = Optional.empty();
                if (arn.isPresent()) {
                    for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                        Optional<String> name = kind.nameIn(arn.get());
                        if (name.isPresent()) {
                            Optional<Draft> found = find(stack, new ResourceKey(kind, name.get()));
                            if (found.isPresent()) {
                                return found;
                            }
                            recognised = recognised.or(() -> Optional.of(kind));
                        }
                    }
                }
                if (!drawnOutside) {
                    return Optional.empty();
                }
                return Optional.of(outsideNode(
                        recognised.map(ResourceKind::label).orElse("resource"),
                        recognised.map(ResourceKind::shape).orElse(Link.Shape.BOX),
                        byArn.arn()));
            }
            String text = text(((Link.Outside) end).text());
            Draft source = sources.get(stack).get(text);
            if (source == null) {
                source = node(stack, SOURCE, Link.Shape.TRAPEZOID, text, null);
                sources.get(stack).put(text, source);
            }
            return Optional.of(source);
        }

        /** The resource in the link's own stack, else in the first other stack that declares it. */
        private Optional<Draft> find(int stack, ResourceKey key) {
            Draft own = declared.get(stack).get(key);
            if (own != null) {
                return Optional.of(own);
            }
            for (TreeMap<ResourceKey, Draft> other : declared) {
                if (other.containsKey(key)) {
                    return Optional.of(other.get(key));
                }
            }
            return Optional.empty();
        }

        private Draft outsideNode(String kind, Link.Shape shape, String name) {
            String text = text(name);
            return outside.computeIfAbsent(
                    kind + "\n" + text,
                    k -> node(-1, kind, shape == Link.Shape.NONE ? Link.Shape.BOX : shape, text, null));
        }

        private Draft node(int cluster, String kind, Link.Shape shape, String name, Operation.Action change) {
            if (++nodes > MAX_NODES) {
                throw tooLarge("more than " + MAX_NODES + " nodes", MAX_NODES + " nodes");
            }
            return new Draft(cluster, kind, shape, text(name), Optional.ofNullable(change));
        }

        /** A name as a graph shows it: sensitive values masked, then shortened. */
        private String text(String name) {
            return Quoted.shortened(sensitive.redact(name), MAX_TEXT);
        }

        private StackGraph assemble(boolean onlyChanges) {
            Set<Draft> kept = new LinkedHashSet<>();
            List<DraftEdge> keptEdges = new ArrayList<>();
            for (DraftEdge edge : edges) {
                if (!onlyChanges
                        || edge.change().isPresent()
                        || edge.from().change.isPresent()
                        || edge.to().change.isPresent()) {
                    keptEdges.add(edge);
                    kept.add(edge.from());
                    kept.add(edge.to());
                }
            }
            // Ids in drawing order: each stack's resources in kind order, then its sources, then what is outside.
            int next = 0;
            List<List<Draft>> perStack = new ArrayList<>();
            for (int i = 0; i < stacks.size(); i++) {
                List<Draft> drafts = new ArrayList<>(declared.get(i).values());
                drafts.addAll(sources.get(i).values());
                perStack.add(drafts);
            }
            List<Draft> outsideDrafts = new ArrayList<>(outside.values());
            Map<Draft, Node> done = new HashMap<>();
            List<Cluster> clusters = new ArrayList<>();
            for (int i = 0; i < stacks.size(); i++) {
                List<Node> nodes = new ArrayList<>();
                for (Draft draft : perStack.get(i)) {
                    if (!onlyChanges || draft.change.isPresent() || kept.contains(draft)) {
                        draft.id = "n" + ++next;
                        Node node = new Node(draft.id, draft.kind, draft.shape, false, draft.name, draft.change);
                        done.put(draft, node);
                        nodes.add(node);
                    }
                }
                clusters.add(new Cluster("s" + (i + 1), text(stacks.get(i).name()), nodes));
            }
            List<Node> outsideNodes = new ArrayList<>();
            for (Draft draft : outsideDrafts) {
                if (!onlyChanges || kept.contains(draft)) {
                    draft.id = "n" + ++next;
                    Node node = new Node(draft.id, draft.kind, draft.shape, true, draft.name, Optional.empty());
                    done.put(draft, node);
                    outsideNodes.add(node);
                }
            }
            Map<String, Integer> number = new LinkedHashMap<>();
            done.values().forEach(n -> number.put(n.id(), Integer.parseInt(n.id().substring(1))));
            List<Edge> sorted = keptEdges.stream()
                    .map(e -> new Edge(e.from().id, e.to().id, e.label(), e.change()))
                    .sorted(Comparator.<Edge>comparingInt(e -> number.get(e.from()))
                            .thenComparingInt(e -> number.get(e.to()))
                            .thenComparing(Edge::label))
                    .toList();
            return new StackGraph(clusters, outsideNodes, sorted);
        }

        private static LambdaformException tooLarge(String found, String limit) {
            return LambdaformException.user("the graph would hold " + found + ", more than the " + limit
                    + " a graph draws; graph fewer stacks at a time");
        }
    }
}
