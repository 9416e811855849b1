package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the local cloud knows, as stored in {@code state.json}: one section per kind of resource ("roles",
 * "functions", ...), each a map from name to the kind's live-state record. A kind's adapter declares its
 * {@link Section}; sections a version does not know are kept as they are.
 */
final class LocalState {
    static final int CURRENT_VERSION = 1;

    /** One kind's records in the state: {@code name} is its key in state.json. */
    record Section<T>(String name, Class<T> type) {
        Section {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    private final int version;
    private final ObjectMapper json;
    private final SortedMap<String, SortedMap<String, JsonNode>> sections;

    LocalState(int version, ObjectMapper json, Map<String, ? extends Map<String, JsonNode>> sections) {
        this.version = version;
        this.json = json;
        this.sections = new TreeMap<>();
        sections.forEach((k, v) -> this.sections.put(k, new TreeMap<>(v)));
    }

    static LocalState empty(ObjectMapper json) {
        return new LocalState(CURRENT_VERSION, json, Map.of());
    }

    int version() {
        return version;
    }

    SortedMap<String, SortedMap<String, JsonNode>> sections() {
        return sections;
    }

    /** The record of that name in a section. */
    <T> Optional<T> get(Section<T> section, String name) {
        JsonNode node = sections.getOrDefault(section.name(), new TreeMap<>()).get(name);
        return Optional.ofNullable(node).map(n -> convert(n, section.type()));
    }

    /** Every record of a section, by name. */
    <T> SortedMap<String, T> all(Section<T> section) {
        SortedMap<String, T> records = new TreeMap<>();
        sections.getOrDefault(section.name(), new TreeMap<>())
                .forEach((name, node) -> records.put(name, convert(node, section.type())));
        return records;
    }

    <T> void put(Section<T> section, String name, T record) {
        sections.computeIfAbsent(section.name(), k -> new TreeMap<>()).put(name, json.valueToTree(record));
    }

    /** Removes a record; whether there was one. */
    boolean remove(Section<?> section, String name) {
        SortedMap<String, JsonNode> records = sections.get(section.name());
        return records != null && records.remove(name) != null;
    }

    private <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw LambdaformException.user("the local cloud state holds a " + type.getSimpleName() + " that cannot be"
                    + " read (it is damaged, or was not written by Lambdaform); it is not changed. Restore it from a"
                    + " backup, or move the state folder away to start from an empty local cloud");
        }
    }
}
