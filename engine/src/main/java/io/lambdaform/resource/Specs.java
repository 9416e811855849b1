package io.lambdaform.resource;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reading values out of a schema-valid document's tree, as every kind's reader does. */
public final class Specs {
    private Specs() {}

    /** The field's text; empty when it is absent or null. */
    public static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** An object of strings (tags, say), sorted by key; empty when absent. */
    public static SortedMap<String, String> strings(JsonNode object) {
        SortedMap<String, String> values = new TreeMap<>();
        object.fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    /** An array's values as text; empty when absent. */
    public static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    /** The JSON pointer to a child, escaped as RFC 6901 requires. */
    public static String pointer(String parent, String child) {
        return parent + "/" + child.replace("~", "~0").replace("/", "~1");
    }
}
