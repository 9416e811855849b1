package io.lambdaform.resource;

import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * What a kind's diff writes its operations to, and reads besides its own records: the desired stack, the target,
 * the packages of the code, and the operations planned so far. Everything here is in memory: planning does no I/O.
 */
public interface PlanBuilder {
    /** The desired stack (empty when destroying). */
    Stack stack();

    TargetDescription target();

    /** The declared resource of {@code kind} named {@code name}, found by name (not by scanning the stack). */
    <D extends Resource> Optional<D> declared(ResourceKind<D, ?, ?> kind, String name);

    /**
     * An index of the desired stack that the plans of many resources read (each function's aliases, each function's
     * payloads), so that no kind scans the whole stack once per resource. Keep one as a constant of the kind: the plan
     * computes it once, when first asked ({@link #index}).
     */
    record Index<V>(String name, Function<Stack, V> compute) {}

    /** The value of {@code index} for the desired stack, computed once per plan. */
    <V> V index(Index<V> index);

    /** The live resource of {@code kind} named {@code name}, as read before planning (an alias reads its function). */
    <L extends LiveResource> Optional<L> live(ResourceKind<?, L, ?> kind, String name);

    /**
     * Whether payload gates run: {@code --no-payload-gate} turns them off where payloads cannot pass (an emulator
     * whose Invoke echoes the event), and plans say so.
     */
    boolean payloadGates();

    /** The digest of what {@code source}'s package holds, read before planning. */
    SourceDigest source(CodeSource source);

    /**
     * The deployment package of {@code source}, built before planning when the kind said it needs it
     * ({@link ResourceKind#needsPackage}).
     */
    DeploymentPackage code(CodeSource source);

    /**
     * The source digest of the package the live resource runs, read before planning when its kind asked for it
     * ({@link ResourceKind#needsLiveSource}) and the target served the package; empty otherwise.
     */
    Optional<SourceDigest> liveSource(ResourceKey key);

    /**
     * The CodeSha256 of every package the declared resources run once the plan is applied ({@link
     * ResourceKind#codeAfterApply}), computed once per plan: the packages the stack's code bucket keeps staged.
     */
    Set<String> codeAfterApply();

    /** Appends an operation after the previous operation of the same resource; returns its id. */
    default int add(ResourceKey key, Operation operation) {
        return add(key, operation, List.of());
    }

    /** Appends an operation that also waits for {@code dependsOn}; returns its id. */
    int add(ResourceKey key, Operation operation, List<Integer> dependsOn);

    /** The id of the last operation planned so far on {@code key}, if any. */
    Optional<Integer> last(ResourceKey key);

    /** The ids of every operation planned so far on resources of kinds ranked above {@code kind}. */
    List<Integer> operationsAbove(ResourceKind<?, ?, ?> kind);

    /**
     * Adds {@link Stack#SENSITIVE_TAG} to {@code tags} when any of {@code values} (or of the tags) holds a sensitive
     * value, so that later plans never show the resource's live values, even once the manifests stop marking them.
     */
    void markSensitive(ResourceKey key, SortedMap<String, String> tags, Collection<String> values);

    /**
     * Tells reviewers about {@code key} besides its operations: what makes it publicly reachable or open to a confused
     * deputy ({@code SECURITY}), or a likely failure the plan cannot prove ({@code WARNING}). Never a live value that
     * may be sensitive.
     */
    void note(ResourceKey key, Note.Category category, String message);

    default Sensitive sensitive() {
        return stack().sensitive();
    }
}
