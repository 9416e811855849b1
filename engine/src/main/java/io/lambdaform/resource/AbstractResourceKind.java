package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.model.Sensitive;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The base of a kind: what identifies it, given once to the constructor, and everything derived from that. A kind
 * extends it and writes only what is its own (reading, diff, prune, fingerprint):
 *
 * <pre>{@code
 * public final class RoleKind extends AbstractResourceKind<Role, RoleState, Roles> {
 *     public static final RoleKind KIND = new RoleKind();
 *
 *     private RoleKind() {
 *         super("Role", 0, Role.class, Roles.class, RoleOperations.RoleOperation.class);
 *     }
 *     ...
 * }
 * }</pre>
 *
 * <p>The label (a kind's type in plans and its schema's name) is the manifest name in kebab case ({@code
 * EventSourceMapping} is {@code event-source-mapping}); the operation types are those its operations' sealed interface
 * permits, each named once with {@link Operation.Named}, with the tag operations every kind has ({@link Tagging}).
 */
public abstract class AbstractResourceKind<D extends Resource, L extends LiveResource, P extends Port<L>>
        implements ResourceKind<D, L, P> {
    private final String manifestName;
    private final String label;
    private final int rank;
    private final Class<D> type;
    private final Class<P> port;
    private final List<Operation.Type> operationTypes;

    /**
     * @param manifestName as manifests write it in {@code kind:}
     * @param rank where the kind comes in creation order: above every kind it depends on
     * @param operations the sealed interface that every operation record of the kind implements
     */
    protected AbstractResourceKind(
            String manifestName, int rank, Class<D> type, Class<P> port, Class<? extends Operation> operations) {
        this.manifestName = requireNonNull(manifestName, "manifestName is null");
        this.label = kebabCase(manifestName);
        this.rank = rank;
        this.type = requireNonNull(type, "type is null");
        this.port = requireNonNull(port, "port is null");
        this.operationTypes = operationTypes(operations);
    }

    /** "EventSourceMapping" → "event-source-mapping". */
    static String kebabCase(String name) {
        StringBuilder label = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                label.append('-');
            }
            label.append(Character.toLowerCase(c));
        }
        return label.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Operation.Type> operationTypes(Class<? extends Operation> operations) {
        if (!operations.isSealed()) {
            throw new IllegalArgumentException(operations.getName() + " must be a sealed interface: a kind's"
                    + " operation types are the records it permits");
        }
        List<Operation.Type> own = new ArrayList<>();
        for (Class<?> operation : operations.getPermittedSubclasses()) {
            own.add(Operation.Type.of((Class<? extends Operation>) operation));
        }
        // Creations, changes, the tag operations, deletions; by name within each: an order that no compiler changes.
        own.sort(Comparator.comparing(Operation.Type::effect).thenComparing(Operation.Type::name));
        Set<Operation.Type> types = new LinkedHashSet<>();
        own.stream().filter(t -> t.effect() != Operation.Effect.DELETES).forEach(types::add);
        types.addAll(Tagging.TYPES);
        own.stream().filter(t -> t.effect() == Operation.Effect.DELETES).forEach(types::add);
        return List.copyOf(types);
    }

    @Override
    public final String manifestName() {
        return manifestName;
    }

    @Override
    public final String label() {
        return label;
    }

    @Override
    public final int rank() {
        return rank;
    }

    @Override
    public final Class<D> type() {
        return type;
    }

    @Override
    public final Class<P> port() {
        return port;
    }

    @Override
    public final List<Operation.Type> operationTypes() {
        return operationTypes;
    }

    /**
     * Every fact of the live record, as its JSON tree: what most kinds' diffs use. A kind whose live record may hold a
     * value that is sensitive in the manifests masks it (see {@code FunctionKind}).
     */
    @Override
    public JsonNode fingerprint(Optional<D> desired, L live, Sensitive sensitive) {
        return Fingerprints.tree(live);
    }

    @Override
    public String toString() {
        return label;
    }
}
