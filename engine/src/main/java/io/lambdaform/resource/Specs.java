package io.lambdaform.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reading values out of a schema-valid document's tree, as every kind's reader does. The typed readers take a JSON
 * pointer into the document ({@code "/spec/timeout"}) and report a value of the wrong type at it: a YAML integer is
 * not always Jackson's {@code IntNode}, so asking {@code isInt()} would drop a value silently.
 */
public final class Specs {
    private Specs() {}

    /** The node at {@code pointer} of the document ({@code /spec/...}), missing when absent. */
    private static JsonNode at(ReadContext document, String pointer) {
        if (!pointer.startsWith("/spec")) {
            throw new IllegalArgumentException("a typed reader reads under /spec: " + pointer);
        }
        return document.spec().at(pointer.substring("/spec".length()));
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    /** An integer that fits a long; empty when absent, or (reported) when it is not a whole number that fits. */
    public static Optional<Long> integer(ReadContext document, String pointer) {
        JsonNode node = at(document, pointer);
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            report(document, pointer, "'" + field(pointer) + "' must be a whole number, found " + type(node));
            return Optional.empty();
        }
        return Optional.of(node.longValue());
    }

    /** An integer within {@code [min, max]}; otherwise reported, and empty. */
    public static Optional<Integer> integer(ReadContext document, String pointer, int min, int max) {
        Optional<Long> value = integer(document, pointer);
        if (value.isPresent() && (value.get() < min || value.get() > max)) {
            report(
                    document,
                    pointer,
                    "'" + field(pointer) + "' is " + value.get() + ", expected " + min + " to " + max);
            return Optional.empty();
        }
        return value.map(Long::intValue);
    }

    /** A boolean ({@code true} or {@code false}); empty when absent, or (reported) of another type. */
    public static Optional<Boolean> bool(ReadContext document, String pointer) {
        JsonNode node = at(document, pointer);
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            report(document, pointer, "'" + field(pointer) + "' must be true or false, found " + type(node));
            return Optional.empty();
        }
        return Optional.of(node.booleanValue());
    }

    /**
     * A duration: a whole number of seconds, a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m},
     * {@code 2h}, {@code 1d}) or ISO 8601 ({@code PT30S}); empty when absent, or (reported) when it is none of these.
     */
    public static Optional<Duration> duration(ReadContext document, String pointer) {
        JsonNode node = at(document, pointer);
        if (absent(node)) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
            return Optional.of(Duration.ofSeconds(node.longValue()));
        }
        if (node.isTextual()) {
            Optional<Duration> parsed = Durations.parse(node.asText());
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        report(
                document,
                pointer,
                "'" + field(pointer) + "' must be a duration (seconds, or 500ms, 30s, 5m, 2h, 1d, or PT30S), found "
                        + type(node));
        return Optional.empty();
    }

    /**
     * One of {@code allowed}, as written (case matters); empty when absent, or (reported) when it is not one of
     * them.
     */
    public static Optional<String> oneOf(ReadContext document, String pointer, List<String> allowed) {
        JsonNode node = at(document, pointer);
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual() || !allowed.contains(node.asText())) {
            report(
                    document,
                    pointer,
                    "'" + field(pointer) + "' must be one of " + String.join(", ", allowed) + ", found " + type(node)
                            + (node.isTextual() ? document.suggestion(node.asText(), Set.copyOf(allowed)) : ""));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    /** Reports a value of the wrong type, unless the schema already reported that value. */
    private static void report(ReadContext document, String pointer, String message) {
        if (!document.hasProblemAt(pointer)) {
            document.problemAt(pointer, message);
        }
    }

    /** "/spec/ephemeralStorage/size" → "spec.ephemeralStorage.size". */
    private static String field(String pointer) {
        return pointer.substring(1).replace('/', '.').replace("~1", "/").replace("~0", "~");
    }

    /** The kind of a value, without quoting a string (it may be long, or hold a sensitive value). */
    private static String type(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? "the number " + node.asText() : "a number too large";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        return node.isArray() ? "a list" : "a mapping";
    }

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
