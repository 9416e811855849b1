package io.lambdaform.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.Fingerprints;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.Stack;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Digests of the live facts a plan depends on, per resource (what each kind's {@link ResourceKind#fingerprint}
 * returns) and of the stack's inventory. Two plans with equal fingerprints were computed from the same live state.
 * Sensitive values are masked before hashing.
 */
final class LiveFingerprint {
    static final String ABSENT = "absent";
    /** The kinds whose inventory every digest holds, even empty: those of plan format 1's first release. */
    private static final Set<String> ALWAYS_DIGESTED = Set.of("role", "function");

    /** Each digest, computed when {@link #digests} is first asked for: only saved plans and their check use them. */
    private final SortedMap<String, Supplier<String>> pending = new TreeMap<>();

    private final Sensitive sensitive;
    private SortedMap<String, String> digests;

    LiveFingerprint(Sensitive sensitive) {
        this.sensitive = sensitive;
    }

    <D extends Resource, L extends LiveResource> void resource(
            ResourceKind<D, L, ?> kind, String name, Optional<D> desired, Optional<L> live) {
        pending.put(
                new ResourceKey(kind, name).toString(),
                () -> live.map(l -> digest(hideIfMarked(kind.fingerprint(desired, l, sensitive), kind.tags(l))))
                        .orElse(ABSENT));
    }

    /**
     * A resource that held sensitive values when it was last applied ({@link Stack#SENSITIVE_TAG}) is digested with
     * every text value masked: its live values may be secrets the manifests no longer mark.
     */
    private static JsonNode hideIfMarked(JsonNode tree, Map<String, String> tags) {
        return tags.containsKey(Stack.SENSITIVE_TAG) ? maskText(tree) : tree;
    }

    private static JsonNode maskText(JsonNode tree) {
        if (tree.isTextual()) {
            return TextNode.valueOf(Sensitive.MASK);
        }
        if (tree instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(k -> object.set(k, maskText(object.get(k))));
        } else if (tree instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, maskText(array.get(i)));
            }
        }
        return tree;
    }

    /**
     * The inventory, as {@code {"roleNames": [...], "functionNames": [...], ...}} in the order of the kinds. The
     * kinds of plan format 1's first release are always written, empty or not; a kind added since is written only
     * when the stack has resources of it, so that adding a kind changes no digest of a stack without it (saved plans
     * stay valid across the upgrade).
     */
    void inventory(List<ResourceKind<?, ?, ?>> kinds, Map<ResourceKind<?, ?, ?>, SortedSet<String>> inventory) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        for (ResourceKind<?, ?, ?> kind : kinds) {
            SortedSet<String> names = inventory.getOrDefault(kind, new TreeSet<>());
            if (!names.isEmpty() || ALWAYS_DIGESTED.contains(kind.label())) {
                ArrayNode array = tree.putArray(kind.label() + "Names");
                names.forEach(array::add);
            }
        }
        pending.put("inventory", () -> digest(tree));
    }

    /** The digests, computed on the first call. */
    synchronized SortedMap<String, String> digests() {
        if (digests == null) {
            SortedMap<String, String> computed = new TreeMap<>();
            pending.forEach((key, digest) -> computed.put(key, digest.get()));
            digests = Collections.unmodifiableSortedMap(computed);
        }
        return digests;
    }

    private String digest(JsonNode value) {
        try {
            byte[] json = sensitive.redact(Fingerprints.json(value)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
                    .substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
