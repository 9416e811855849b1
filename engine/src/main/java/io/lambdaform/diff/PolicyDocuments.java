package io.lambdaform.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares IAM policy documents by meaning: statement order, a string versus a one-element list, the order of
 * actions, resources and principals, URL-encoding (as IAM returns documents) and whitespace do not matter.
 */
public final class PolicyDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LIST_FIELDS = Set.of("Action", "NotAction", "Resource", "NotResource");

    private PolicyDocuments() {}

    public static boolean equivalent(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    /** A canonical, compact JSON text of the document; equal texts mean equivalent documents. */
    public static String canonical(String document) {
        JsonNode node = parse(document);
        return node == null ? document.strip() : normalize(node).toString();
    }

    /** Decodes a document that IAM returned URL-encoded; leaves plain JSON as it is. */
    public static String decode(String document) {
        String trimmed = document.strip();
        if (trimmed.startsWith("{")) {
            return trimmed;
        }
        return URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String document) {
        try {
            return JSON.readTree(decode(document));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode normalize(JsonNode document) {
        if (!document.isObject()) {
            return document;
        }
        ObjectNode result = sortedObject(document);
        JsonNode statements = document.get("Statement");
        if (statements != null) {
            List<JsonNode> normalized = new ArrayList<>();
            for (JsonNode statement :
                    statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
                normalized.add(statement(statement));
            }
            normalized.sort((x, y) -> x.toString().compareTo(y.toString()));
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            normalized.forEach(array::add);
            result.set("Statement", array);
        }
        return result;
    }

    private static JsonNode statement(JsonNode statement) {
        if (!statement.isObject()) {
            return statement;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (String field : new TreeSet<>(fieldNames(statement))) {
            JsonNode value = statement.get(field);
            if (LIST_FIELDS.contains(field)) {
                result.set(field, sortedList(value));
            } else if ((field.equals("Principal") || field.equals("NotPrincipal")) && value.isObject()) {
                ObjectNode principal = JsonNodeFactory.instance.objectNode();
                for (String type : new TreeSet<>(fieldNames(value))) {
                    principal.set(type, sortedList(value.get(type)));
                }
                result.set(field, principal);
            } else if (field.equals("Condition") && value.isObject()) {
                ObjectNode condition = JsonNodeFactory.instance.objectNode();
                for (String operator : new TreeSet<>(fieldNames(value))) {
                    ObjectNode keys = JsonNodeFactory.instance.objectNode();
                    JsonNode entries = value.get(operator);
                    for (String key : new TreeSet<>(fieldNames(entries))) {
                        keys.set(key, sortedList(entries.get(key)));
                    }
                    condition.set(operator, keys);
                }
                result.set(field, condition);
            } else {
                result.set(field, value);
            }
        }
        return result;
    }

    private static ArrayNode sortedList(JsonNode value) {
        TreeSet<String> texts = new TreeSet<>();
        if (value.isArray()) {
            value.forEach(v -> texts.add(v.isTextual() ? v.asText() : v.toString()));
        } else {
            texts.add(value.isTextual() ? value.asText() : value.toString());
        }
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        texts.forEach(array::add);
        return array;
    }

    private static ObjectNode sortedObject(JsonNode object) {
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        object.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        fields.forEach(result::set);
        return result;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
