package io.lambdaform.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of resource, as a vertical slice: how its documents are read, how its live state is read through its port,
 * how desired and live differ (its operations), and how it is pruned. It does no I/O: the live reader reads through
 * the kind's {@link Port} before planning, and operations call the port when applied. The slices are registered in one list,
 * {@code io.lambdaform.kinds.Kinds}; everything that enumerates kinds iterates that list, so a kind is complete when
 * it implements this interface. A kind extends {@link AbstractResourceKind}, which derives what identifies it from one
 * constructor call. docs/extending.md is the guide.
 *
 * @param <D> the desired-state record, read from the manifests
 * @param <L> the live-state record, as a target reports it
 * @param <P> the port through which the engine reads and changes this kind on a target
 */
public interface ResourceKind<D extends Resource, L extends LiveResource, P extends Port<L>> {
    /** As manifests write it in {@code kind:}, such as {@code Role}. */
    String manifestName();

    /** Its schema is {@code schemas/<schemaName>.schema.json}; also its type in plans ({@code "type": "role"}). */
    String label();

    /**
     * Where the kind comes in creation order: above every kind it depends on (a function needs its role, so roles
     * are 0 and functions 1). Plans create in ascending and prune in descending rank.
     */
    int rank();

    Class<D> type();

    Class<P> port();

    /** Every operation this kind's plans may hold, with its stable name in the plan format. */
    List<Operation.Type> operationTypes();

    /**
     * The name a document's resource goes by, unique among the kind's resources in a set: the document's name, unless
     * the kind qualifies it (an alias of a function is {@code function:alias}).
     */
    default String resourceName(String documentName, JsonNode spec) {
        return documentName;
    }

    /**
     * Reads one schema-valid document into the desired record, reporting what a schema cannot check (references,
     * limits, files) to {@code document}; empty when there were problems.
     */
    Optional<D> read(ReadContext document);

    /**
     * The resources of this kind that the Stack document implies, read from its spec as a document of the kind is
     * (the stack's code bucket, {@code spec.codeBucket}, is a bucket); none by default. Problems are reported at the
     * Stack document.
     */
    default List<D> readStack(ReadContext stack) {
        return List.of();
    }

    /**
     * Whether planning {@code desired} needs its code packaged (zipped), given the live resource and the digest of
     * what the package would hold. Hashing the sources is cheap, compressing them is not: a kind whose live resource
     * records the digest of what it runs can say no when they match. Not asked of a resource that does not exist:
     * creating it always needs its package, which planning starts compressing while the digests are computed.
     */
    default boolean needsPackage(D desired, Optional<L> live, SourceDigest source) {
        return true;
    }

    /**
     * Whether planning {@code desired} needs the source digest of the package the live resource runs, given the
     * packages built before planning ({@link #needsPackage}): the live package is then read through
     * {@link Port#livePackage} and digested as local code is, so that the same contents zipped by another tool are
     * not planned as a change. Reading it may mean a download: say yes only when nothing cheaper decides.
     */
    default boolean needsLiveSource(D desired, L live, Map<CodeSource, DeploymentPackage> packages) {
        return false;
    }

    /** Whether pruning needs the live state of a resource found in the inventory (to list what must go first). */
    default boolean prunesFromLiveState() {
        return false;
    }

    /** The live resource's tags. */
    default Map<String, String> tags(L live) {
        return live.tags();
    }

    /**
     * Adds the operations that take {@code live} (empty when absent) to {@code desired}, which this stack owns or
     * adopts. Runs on records alone: no I/O.
     */
    void plan(D desired, Optional<L> live, PlanBuilder plan);

    /** Adds the operations that delete a resource that carries this stack's tag but is no longer declared. */
    void prune(String name, Optional<L> live, PlanBuilder plan);

    /**
     * The live facts a plan depends on, as a JSON tree to digest for saved plans ({@link Fingerprints#tree}). Values
     * that are sensitive in {@code desired} must be left out or masked: a saved plan records the digest.
     */
    JsonNode fingerprint(Optional<D> desired, L live, Sensitive sensitive);

    /**
     * Tags Lambdaform itself sets on this kind's resources besides the owner tag (a function's package digests, say):
     * tag planning never removes them.
     */
    default Set<String> systemTags() {
        return Set.of();
    }

    /** The stack whose owner tag {@code live} carries, if any. */
    default Optional<String> owner(L live) {
        return Optional.ofNullable(tags(live).get(Stack.OWNER_TAG));
    }

    /** Whether {@code live} carries the owner tag of {@code stackName}. */
    default boolean ownedBy(L live, String stackName) {
        return owner(live).filter(stackName::equals).isPresent();
    }

    /**
     * Whether a plan of {@code stackName} may take {@code live} on: it is the stack's own, or {@code --adopt} names
     * it and no stack owns it (a resource of another stack is released by that stack first, never taken).
     */
    default boolean mayManage(L live, String stackName, boolean adopted) {
        Optional<String> owner = owner(live);
        return owner.isPresent() ? owner.get().equals(stackName) : adopted;
    }

    /**
     * {@link #mayManage(LiveResource, String, boolean)} for the live resource of {@code desired}: a kind whose
     * resource a stack may use as it finds it, without owning it (the stack's code bucket, when it exists), says yes;
     * its plan then leaves alone what the stack does not own.
     */
    default boolean mayManage(D desired, L live, String stackName, boolean adopted) {
        return mayManage(live, stackName, adopted);
    }

    /**
     * How graphs draw the kind's resources ({@code lambdaform graph}); {@link Link.Shape#NONE} draws each as its links
     * alone. A box by default.
     */
    default Link.Shape shape() {
        return Link.Shape.BOX;
    }

    /**
     * The links {@code desired} declares, for graphs: its role, layers, destinations, the function an alias routes to,
     * a trigger's source. Only names and ARNs, never a setting's value. None by default.
     */
    default List<Link> links(D desired) {
        return List.of();
    }

    /**
     * The name of the kind's resource that {@code arn} names ({@code arn:aws:sqs:us-east-1:123456789012:jobs} is queue
     * {@code jobs}), so that a graph draws a link given by ARN to the resource a stack declares. Empty by default.
     */
    default Optional<String> nameIn(Arn arn) {
        return Optional.empty();
    }

    /**
     * The CodeSha256 of each package the resource runs once the plan is applied (a function's, the newest version of
     * a layer), for a kind that deploys code: what the stack's code bucket keeps staged ({@link
     * PlanBuilder#codeAfterApply}). None by default.
     */
    default Set<String> codeAfterApply(D desired, Optional<L> live, PlanBuilder plan) {
        return Set.of();
    }
}
