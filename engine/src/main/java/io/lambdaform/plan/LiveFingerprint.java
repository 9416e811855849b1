package io.lambdaform.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.model.Function;
import io.lambdaform.model.ResourceKey;
import io.lambdaform.model.Sensitive;
import io.lambdaform.model.Stack;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Digests of the live facts a plan depends on, per resource: for a role everything IAM reports, for a function its
 * role, configuration, CodeSha256 and tags (not its State, which moves on its own), and the stack's inventory. Two
 * plans with equal fingerprints were computed from the same live state. Sensitive values are masked before hashing.
 */
final class LiveFingerprint {
    static final String ABSENT = "absent";
    private static final ObjectMapper JSON =
            new ObjectMapper().registerModule(new Jdk8Module()).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final SortedMap<String, String> digests = new TreeMap<>();
    private final Sensitive sensitive;

    LiveFingerprint(Sensitive sensitive) {
        this.sensitive = sensitive;
    }

    void role(String name, Optional<RoleState> live) {
        digests.put(
                ResourceKey.role(name).toString(),
                live.map(r -> digest(hideIfMarked(JSON.valueToTree(r), r.tags())))
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
     * A function's digest leaves out the live values of the environment variables that are secret or sensitive in
     * {@code desired}: a saved plan records this digest, and must not let anyone confirm a guess of such a value.
     */
    void function(Function desired, Optional<FunctionState> live) {
        Set<String> masked = new TreeSet<>(desired.secretEnvironmentKeys());
        desired.settings().environment().forEach((key, value) -> {
            if (sensitive.appearsIn(value)) {
                masked.add(key);
            }
        });
        digests.put(
                ResourceKey.function(desired.name()).toString(),
                live.map(f -> {
                            ObjectNode settings = JSON.valueToTree(f.settings());
                            if (settings.get("environment") instanceof ObjectNode environment) {
                                // Also variables the manifests no longer declare: they may have been secret.
                                List<String> keys = new ArrayList<>();
                                environment.fieldNames().forEachRemaining(keys::add);
                                keys.stream()
                                        .filter(k -> masked.contains(k)
                                                || !desired.settings()
                                                        .environment()
                                                        .containsKey(k))
                                        .forEach(k -> environment.put(k, Sensitive.MASK));
                            }
                            return digest(hideIfMarked(
                                    JSON.valueToTree(List.of(f.roleArn(), settings, f.codeSha256(), f.tags())),
                                    f.tags()));
                        })
                        .orElse(ABSENT));
    }

    void inventory(StackInventory inventory) {
        digests.put("inventory", digest(inventory));
    }

    SortedMap<String, String> digests() {
        return digests;
    }

    private String digest(Object value) {
        try {
            byte[] json = sensitive.redact(JSON.writeValueAsString(value)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json))
                    .substring(0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
