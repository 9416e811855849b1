package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.resource.Specs;
import java.util.Optional;

/**
 * One YAML document converted to a JSON tree, with the source position of every value and key by JSON pointer, so
 * that any later check can point at the user's text.
 */
public record YamlDocument(SourceFile file, Position start, JsonNode root, Positions positions) {
    public YamlDocument {
        requireNonNull(file, "file is null");
        requireNonNull(start, "start is null");
        requireNonNull(root, "root is null");
        requireNonNull(positions, "positions is null");
    }

    /** Where the value at that JSON pointer starts, or the nearest enclosing value that exists. */
    public Position valueAt(String pointer) {
        return positions.valueAt(pointer);
    }

    /** Where the value at that JSON pointer starts, when there is one. */
    public Optional<Position> valueExactlyAt(String pointer) {
        return positions.valueExactlyAt(pointer);
    }

    /** Where the key of the member at that JSON pointer is, falling back to its value. */
    public Position keyAt(String pointer) {
        return positions.keyAt(pointer).orElseGet(() -> valueAt(pointer));
    }

    /** The same document with another tree (its values substituted), positions unchanged. */
    YamlDocument withRoot(JsonNode newRoot) {
        return new YamlDocument(file, start, newRoot, positions);
    }

    public static String child(String pointer, String key) {
        return Specs.pointer(pointer, key);
    }
}
