package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.resource.Specs;
import java.util.Map;

/**
 * One YAML document converted to a JSON tree, with the source position of every value and key by JSON pointer, so
 * that any later check can point at the user's text.
 */
public record YamlDocument(
        SourceFile file, Position start, JsonNode root, Map<String, Position> values, Map<String, Position> keys) {
    public YamlDocument {
        requireNonNull(file, "file is null");
        requireNonNull(start, "start is null");
        requireNonNull(root, "root is null");
        values = Map.copyOf(values);
        keys = Map.copyOf(keys);
    }

    /** Where the value at that JSON pointer starts, or the nearest enclosing value that exists. */
    public Position valueAt(String pointer) {
        String at = pointer;
        while (true) {
            Position position = values.get(at);
            if (position != null) {
                return position;
            }
            if (at.isEmpty()) {
                return start;
            }
            at = at.substring(0, at.lastIndexOf('/'));
        }
    }

    /** Where the key of the member at that JSON pointer is, falling back to its value. */
    public Position keyAt(String pointer) {
        Position position = keys.get(pointer);
        return position != null ? position : valueAt(pointer);
    }

    public static String child(String pointer, String key) {
        return Specs.pointer(pointer, key);
    }
}
