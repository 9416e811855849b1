package io.lambdaform.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

/** The one JSON mapping of live-state records that fingerprints digest: map entries sorted, Optional unwrapped. */
public final class Fingerprints {
    private static final ObjectMapper JSON =
            new ObjectMapper().registerModule(new Jdk8Module()).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Fingerprints() {}

    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /** The tree as compact JSON text, as digests hash it. */
    public static String json(JsonNode tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
