package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.TargetDescription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The ordered operations that take the target to the desired state, the conflicts that block them, and digests of the
 * live facts they were computed from (so that a saved plan can tell when it went stale), computed when first asked for
 * ({@link #liveFingerprint}): a plan that is only shown never needs them.
 *
 * @param notes what reviewers should see besides the operations (a public URL, say)
 * @param packages the deployment packages the plan was computed from, by CodeSha256: a saved plan records what they hold
 *     and what deflated them, so that apply can tell code that changed from the same code zipped by another deflater
 */
public record Plan(
        String stackName,
        TargetDescription target,
        List<PlannedOperation> operations,
        List<Conflict> conflicts,
        Supplier<SortedMap<String, String>> fingerprints,
        Sensitive sensitive,
        Set<ResourceKey> hiddenLiveValues,
        Set<ResourceKey> sensitiveResources,
        SortedMap<String, DeploymentPackage> packages,
        List<Note> notes) {
    public Plan {
        requireNonNull(stackName, "stackName is null");
        requireNonNull(target, "target is null");
        operations = List.copyOf(operations);
        conflicts = List.copyOf(conflicts);
        requireNonNull(fingerprints, "fingerprints is null");
        requireNonNull(sensitive, "sensitive is null");
        hiddenLiveValues = Set.copyOf(hiddenLiveValues);
        sensitiveResources = Set.copyOf(sensitiveResources);
        packages = Collections.unmodifiableSortedMap(new TreeMap<>(packages));
        notes = List.copyOf(notes);
    }

    /** A plan without notes. */
    public Plan(
            String stackName,
            TargetDescription target,
            List<PlannedOperation> operations,
            List<Conflict> conflicts,
            Supplier<SortedMap<String, String>> fingerprints,
            Sensitive sensitive,
            Set<ResourceKey> hiddenLiveValues,
            Set<ResourceKey> sensitiveResources,
            SortedMap<String, DeploymentPackage> packages) {
        this(
                stackName,
                target,
                operations,
                conflicts,
                fingerprints,
                sensitive,
                hiddenLiveValues,
                sensitiveResources,
                packages,
                List.of());
    }

    public Plan(
            String stackName,
            TargetDescription target,
            List<PlannedOperation> operations,
            List<Conflict> conflicts,
            SortedMap<String, String> liveFingerprint) {
        this(
                stackName,
                target,
                operations,
                conflicts,
                constant(Collections.unmodifiableSortedMap(new TreeMap<>(liveFingerprint))),
                Sensitive.NONE,
                Set.of(),
                Set.of(),
                new TreeMap<>());
    }

    /**
     * Digests of the live facts the plan was computed from, by resource (and the inventory). The planner's supplier
     * computes them on the first call ({@link LiveFingerprint#digests}).
     */
    public SortedMap<String, String> liveFingerprint() {
        return fingerprints.get();
    }

    private static <T> Supplier<T> constant(T value) {
        return () -> value;
    }

    /**
     * Whether a resource holds sensitive values, in the manifests or when it was last applied: errors from the target
     * about it are shown without the target's message, which may quote a value or a part of one.
     */
    public boolean holdsSensitive(ResourceKey key) {
        return sensitiveResources.contains(key) || hiddenLiveValues.contains(key);
    }

    /** An operation's summary as it may be shown: without live values for a resource whose live values are hidden. */
    public String summary(Operation operation) {
        return sensitive.redact(
                hiddenLiveValues.contains(operation.key()) ? operation.hiddenSummary() : operation.summary());
    }

    /**
     * An operation's field changes as they may be shown. A field that holds a sensitive value is masked whole, on
     * both sides (the live value of a field that is sensitive now may be an earlier secret), and no live value of a
     * resource that held sensitive values when it was last applied ({@code hiddenLiveValues}) is shown.
     */
    public List<FieldChange> changes(Operation operation) {
        boolean hideLive = hiddenLiveValues.contains(operation.key());
        if (sensitive.isEmpty() && !hideLive) {
            return operation.changes();
        }
        return operation.changes().stream()
                .map(c -> {
                    boolean masked = c.before().map(sensitive::appearsIn).orElse(false)
                            || c.after().map(sensitive::appearsIn).orElse(false);
                    return new FieldChange(
                            c.field(),
                            c.before().map(b -> masked || hideLive ? Sensitive.MASK : b),
                            c.after().map(a -> masked ? Sensitive.MASK : a));
                })
                .toList();
    }

    public boolean isEmpty() {
        return operations.isEmpty() && conflicts.isEmpty();
    }

    public boolean hasChanges() {
        return !operations.isEmpty();
    }

    /** Operations grouped by resource, in plan order. */
    public Map<ResourceKey, List<PlannedOperation>> byResource() {
        Map<ResourceKey, List<PlannedOperation>> groups = new LinkedHashMap<>();
        for (PlannedOperation op : operations) {
            groups.computeIfAbsent(op.operation().key(), k -> new ArrayList<>()).add(op);
        }
        return groups;
    }

    /** What happens to a resource as a whole: created if any op creates it, deleted if one deletes it, else updated. */
    public static Operation.Action resourceAction(List<PlannedOperation> ops) {
        for (PlannedOperation op : ops) {
            switch (op.operation().type().effect()) {
                case CREATES -> {
                    return Operation.Action.CREATE;
                }
                case DELETES -> {
                    return Operation.Action.DELETE;
                }
                case CHANGES -> {}
            }
        }
        return Operation.Action.UPDATE;
    }

    public Summary summary() {
        int create = 0;
        int update = 0;
        int delete = 0;
        for (List<PlannedOperation> ops : byResource().values()) {
            switch (resourceAction(ops)) {
                case CREATE -> create++;
                case UPDATE -> update++;
                case DELETE -> delete++;
            }
        }
        return new Summary(create, update, delete);
    }

    public Set<ResourceKey> resources() {
        return new TreeSet<>(byResource().keySet());
    }

    /** Counts of resources to create, update and delete. */
    public record Summary(int create, int update, int delete) {
        @Override
        public String toString() {
            return create + " to create, " + update + " to update, " + delete + " to delete";
        }
    }
}
