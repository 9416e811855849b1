package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.Tagging;
import io.lambdaform.resource.TargetDescription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Diffs the desired stack against the live target, kind by kind in creation order, and then prunes in the reverse
 * order. What each kind changes is its own ({@link ResourceKind#plan}, {@link ResourceKind#prune}); the planner owns
 * what is the same for every kind: ownership (a resource without this stack's tag is a conflict unless adopted, and
 * one of another stack's is a conflict even then), releases ({@code spec.release}: the owner tag removed, not pruned),
 * hiding the live values of resources that held sensitive values, the live fingerprint, and dependencies. Operations
 * of one resource run one after another; different resources may run in parallel.
 */
public final class Planner {
    /** The plan with payload gates on that adopts {@code adopt} (see {@link #plan(Stack, LiveState, PlanOptions)}). */
    public Plan plan(Stack desired, LiveState live, Set<String> adopt) {
        return plan(desired, live, PlanOptions.adopting(adopt));
    }

    /**
     * The plan that makes the target match {@code desired}, computed from {@code live} alone (no I/O), as
     * {@code options} ask: the resources to take over, and whether gates run payloads.
     */
    public Plan plan(Stack desired, LiveState live, PlanOptions options) {
        requireNonNull(desired, "desired is null");
        requireNonNull(live, "live is null");
        desired.resources().stream()
                .filter(r -> live.kinds().stream().noneMatch(k -> k.type().isInstance(r)))
                .findFirst()
                .ifPresent(r -> {
                    throw new IllegalStateException("no registered kind plans "
                            + r.getClass().getSimpleName() + " " + r.name() + " (is its kind in Kinds?)");
                });
        Builder plan = new Builder(desired, live, options.payloadGates());
        for (ResourceKind<?, ?, ?> kind : live.kinds()) {
            planKind(kind, desired, live, options.adopt(), plan);
        }
        planPrune(live, plan);
        return plan.build();
    }

    /**
     * A plan of the changes {@code changes} writes (a rollback's), from {@code live} alone, with the planner's
     * ownership, hiding and fingerprints.
     */
    public Plan planWith(Stack desired, LiveState live, Consumer<PlanBuilder> changes) {
        Builder plan = new Builder(desired, live, false);
        changes.accept(plan);
        return plan.build();
    }

    /** The plan that deletes every resource of the stack, computed from {@code live} alone. */
    public Plan planDestroy(String stackName, LiveState live) {
        return planDestroy(Stack.empty(stackName), live);
    }

    /**
     * The plan that deletes every resource of the stack but those it releases ({@code spec.release}), which it lets
     * go of instead; computed from {@code live} alone.
     */
    public Plan planDestroy(Stack stack, LiveState live) {
        Builder plan = new Builder(stack.withoutResources(), live, true);
        planPrune(live, plan);
        return plan.build();
    }

    private static <D extends Resource, L extends LiveResource> void planKind(
            ResourceKind<D, L, ?> kind, Stack desired, LiveState live, Set<String> adopt, Builder plan) {
        for (D resource : desired.resources(kind)) {
            ResourceKey key = new ResourceKey(kind, resource.name());
            Optional<L> current = live.live(kind, resource.name());
            plan.fingerprint.resource(kind, resource.name(), Optional.of(resource), current);
            current.filter(l -> kind.tags(l).containsKey(Stack.SENSITIVE_TAG)).ifPresent(l -> plan.hidden.add(key));
            boolean adopted = adopt.contains(resource.name());
            if (current.isPresent() && !kind.mayManage(resource, current.get(), desired.name(), adopted)) {
                plan.conflicts.add(new Conflict(key, kind.owner(current.get()), adopted));
                continue;
            }
            kind.plan(resource, current, plan);
        }
    }

    /**
     * Deletes what carries this stack's tag but is no longer declared, kinds in reverse creation order; what the stack
     * releases loses the tag instead.
     */
    private static void planPrune(LiveState live, Builder plan) {
        plan.fingerprint.inventory(live.kinds(), live.inventory());
        List<ResourceKind<?, ?, ?>> reverse = new ArrayList<>(live.kinds());
        Collections.reverse(reverse);
        for (ResourceKind<?, ?, ?> kind : reverse) {
            pruneKind(kind, live, plan);
        }
    }

    private static <D extends Resource, L extends LiveResource> void pruneKind(
            ResourceKind<D, L, ?> kind, LiveState live, Builder plan) {
        for (String name : live.inventory(kind)) {
            ResourceKey key = new ResourceKey(kind, name);
            Optional<L> current = Optional.empty();
            if (kind.prunesFromLiveState()) {
                current = live.live(kind, name);
                plan.fingerprint.resource(kind, name, Optional.empty(), current);
                if (current.isEmpty() || !kind.ownedBy(current.get(), plan.stack.name())) {
                    continue;
                }
                if (kind.tags(current.get()).containsKey(Stack.SENSITIVE_TAG)) {
                    plan.hidden.add(key);
                }
            }
            if (plan.stack.releases(key)) {
                Tagging.release(key, plan.stack.name(), plan);
            } else {
                kind.prune(name, current, plan);
            }
        }
    }

    /** Appends operations, making each depend on the previous operation of the same resource. */
    private static final class Builder implements PlanBuilder {
        private final Stack stack;
        private final LiveState live;
        private final List<PlannedOperation> operations = new ArrayList<>();
        private final Map<ResourceKey, Integer> last = new TreeMap<>();
        private final List<Conflict> conflicts = new ArrayList<>();
        private final List<Note> notes = new ArrayList<>();
        private final LiveFingerprint fingerprint;
        private final Set<ResourceKey> hidden = new TreeSet<>();
        private final Set<ResourceKey> marked = new TreeSet<>();
        /** The packages the plan was computed from, by CodeSha256. */
        private final SortedMap<String, DeploymentPackage> packages = new TreeMap<>();
        /** Per kind, its declared resources by name, indexed on first lookup (a function looks up its role). */
        private final Map<ResourceKind<?, ?, ?>, Map<String, Resource>> declared = new HashMap<>();

        /** The indexes kinds asked for, by the constant each kind keeps. */
        private final Map<PlanBuilder.Index<?>, Object> indexes = new IdentityHashMap<>();

        private Set<String> codeAfterApply;

        private final boolean payloadGates;

        Builder(Stack stack, LiveState live, boolean payloadGates) {
            this.stack = stack;
            this.live = live;
            this.payloadGates = payloadGates;
            this.fingerprint = new LiveFingerprint(stack.sensitive());
        }

        @Override
        public <D extends Resource> Optional<D> declared(ResourceKind<D, ?, ?> kind, String name) {
            Map<String, Resource> byName = declared.computeIfAbsent(kind, k -> {
                Map<String, Resource> index = new HashMap<>();
                stack.resources(kind).forEach(r -> index.put(r.name(), r));
                return index;
            });
            return Optional.ofNullable(byName.get(name)).map(kind.type()::cast);
        }

        @Override
        @SuppressWarnings("unchecked") // each value was computed by its own index
        public <V> V index(PlanBuilder.Index<V> index) {
            return (V) indexes.computeIfAbsent(index, i -> index.compute().apply(stack));
        }

        @Override
        public Stack stack() {
            return stack;
        }

        @Override
        public Set<String> codeAfterApply() {
            if (codeAfterApply == null) {
                Set<String> code = new TreeSet<>();
                live.kinds().forEach(kind -> code.addAll(codeAfterApply(kind)));
                codeAfterApply = Collections.unmodifiableSet(code);
            }
            return codeAfterApply;
        }

        private <D extends Resource, L extends LiveResource> Set<String> codeAfterApply(ResourceKind<D, L, ?> kind) {
            Set<String> code = new TreeSet<>();
            for (D resource : stack.resources(kind)) {
                code.addAll(kind.codeAfterApply(resource, live.live(kind, resource.name()), this));
            }
            return code;
        }

        @Override
        public <L extends LiveResource> Optional<L> live(ResourceKind<?, L, ?> kind, String name) {
            return live.live(kind, name);
        }

        @Override
        public boolean payloadGates() {
            return payloadGates;
        }

        @Override
        public TargetDescription target() {
            return live.target();
        }

        @Override
        public SourceDigest source(CodeSource source) {
            return live.source(source);
        }

        @Override
        public DeploymentPackage code(CodeSource source) {
            DeploymentPackage code = live.code(source);
            packages.put(code.codeSha256(), code);
            return code;
        }

        @Override
        public Optional<SourceDigest> liveSource(ResourceKey key) {
            return live.liveSource(key);
        }

        @Override
        public int add(ResourceKey key, Operation operation, List<Integer> dependsOn) {
            int id = operations.size();
            List<Integer> all = new ArrayList<>(dependsOn);
            Integer previous = last.get(key);
            if (previous != null) {
                all.add(previous);
            }
            operations.add(new PlannedOperation(id, operation, all));
            last.put(key, id);
            return id;
        }

        @Override
        public Optional<Integer> last(ResourceKey key) {
            return Optional.ofNullable(last.get(key));
        }

        @Override
        public List<Integer> operationsAbove(ResourceKind<?, ?, ?> kind) {
            return operations.stream()
                    .filter(op -> op.operation().key().kind().rank() > kind.rank())
                    .map(PlannedOperation::id)
                    .toList();
        }

        @Override
        public void markSensitive(ResourceKey key, SortedMap<String, String> tags, Collection<String> values) {
            Sensitive sensitive = stack.sensitive();
            boolean holds = values.contains(Sensitive.MASK)
                    || values.stream().anyMatch(sensitive::appearsIn)
                    || tags.values().stream().anyMatch(sensitive::appearsIn);
            if (holds) {
                tags.put(Stack.SENSITIVE_TAG, "true");
                marked.add(key);
            }
        }

        @Override
        public void note(ResourceKey key, Note.Category category, String message) {
            notes.add(new Note(key, category, message));
        }

        Plan build() {
            return new Plan(
                    stack.name(),
                    live.target(),
                    operations,
                    conflicts,
                    fingerprint::digests,
                    stack.sensitive(),
                    hidden,
                    marked,
                    packages,
                    notes);
        }
    }
}
