package io.lambdaform.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.model.ResourceKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Digests of the live facts a plan depends on, per resource: for a role everything IAM reports, for a function its
 * role, configuration, CodeSha256 and tags (not its State, which moves on its own), and the stack's inventory. Two
 * plans with equal fingerprints were computed from the same live state.
 */
final class LiveFingerprint {
    static final String ABSENT = "absent";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final SortedMap<String, String> digests = new TreeMap<>();

    void role(String name, Optional<RoleState> live) {
        digests.put(ResourceKey.role(name).toString(), live.map(LiveFingerprint::digest).orElse(ABSENT));
    }

    void function(String name, Optional<FunctionState> live) {
        digests.put(ResourceKey.function(name).toString(), live.map(f -> digest(List.of(f.roleArn(), f.settings(),
                f.codeSha256(), f.tags()))).orElse(ABSENT));
    }

    void inventory(StackInventory inventory) {
        digests.put("inventory", digest(inventory));
    }

    SortedMap<String, String> digests() {
        return digests;
    }

    private static String digest(Object value) {
        try {
            byte[] json = JSON.writeValueAsBytes(value);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
