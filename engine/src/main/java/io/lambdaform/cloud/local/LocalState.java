package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Everything the local cloud knows, as stored in {@code state.json}: one section per kind of resource ("roles",
 * "functions", ...), each a map from name to the kind's live-state record, in the order the file has them. A kind's
 * adapter declares its {@link Section}; sections and fields a version does not know are kept as they are.
 */
final class LocalState {
    static final int CURRENT_VERSION = 1;

    /**
     * One kind's records in the state.
     *
     * @param name its key in state.json
     * @param label what one record is, for messages: "role"
     */
    record Section<T>(String name, String label, Class<T> type) {
        Section {
            requireNonNull(name, "name is null");
            requireNonNull(label, "label is null");
            requireNonNull(type, "type is null");
        }
    }

    private final int version;
    private final ObjectMapper json;
    private final Path file;
    private final Map<String, SortedMap<String, JsonNode>> sections = new LinkedHashMap<>();
    private final Map<String, JsonNode> otherFields = new LinkedHashMap<>();

    /**
     * @param file the state file, named in messages
     * @param sections the object-valued fields of the file, by name, in file order
     * @param otherFields the other fields (besides the version), kept as they are
     */
    LocalState(
            int version,
            ObjectMapper json,
            Path file,
            Map<String, ? extends Map<String, JsonNode>> sections,
            Map<String, JsonNode> otherFields) {
        this.version = version;
        this.json = json;
        this.file = file;
        sections.forEach((k, v) -> this.sections.put(k, new TreeMap<>(v)));
        this.otherFields.putAll(otherFields);
    }

    static LocalState empty(ObjectMapper json, Path file) {
        return new LocalState(CURRENT_VERSION, json, file, Map.of(), Map.of());
    }

    /** A copy to change: the records are shared (they are never changed in place), the maps are not. */
    LocalState copy() {
        return new LocalState(version, json, file, sections, otherFields);
    }

    int version() {
        return version;
    }

    Map<String, SortedMap<String, JsonNode>> sections() {
        return sections;
    }

    Map<String, JsonNode> otherFields() {
        return otherFields;
    }

    /** The record of that name in a section. */
    <T> Optional<T> get(Section<T> section, String name) {
        JsonNode node = sections.getOrDefault(section.name(), new TreeMap<>()).get(name);
        return Optional.ofNullable(node).map(n -> convert(section, name, n));
    }

    /** Every record of a section, by name. */
    <T> SortedMap<String, T> all(Section<T> section) {
        SortedMap<String, T> records = new TreeMap<>();
        sections.getOrDefault(section.name(), new TreeMap<>())
                .forEach((name, node) -> records.put(name, convert(section, name, node)));
        return records;
    }

    /** The names of a section's records that carry {@code stackName}'s owner tag, other than {@code except}. */
    <T> SortedSet<String> ownedBy(
            Section<T> section, String stackName, Set<String> except, Function<T, Map<String, String>> tags) {
        SortedSet<String> names = new TreeSet<>();
        all(section).forEach((name, record) -> {
            if (!except.contains(name) && stackName.equals(tags.apply(record).get(Stack.OWNER_TAG))) {
                names.add(name);
            }
        });
        return names;
    }

    <T> void put(Section<T> section, String name, T record) {
        sections.computeIfAbsent(section.name(), k -> new TreeMap<>()).put(name, json.valueToTree(record));
    }

    /** Removes a record; whether there was one. */
    boolean remove(Section<?> section, String name) {
        SortedMap<String, JsonNode> records = sections.get(section.name());
        return records != null && records.remove(name) != null;
    }

    private <T> T convert(Section<T> section, String name, JsonNode node) {
        try {
            T record = json.treeToValue(node, section.type());
            if (record == null) {
                throw new IllegalArgumentException("null");
            }
            return record;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw LambdaformException.user("the local cloud state at " + file + " cannot be read: its "
                    + section.label()
                    + " " + name + " is damaged, or was not written by Lambdaform; it is not changed. Restore it from"
                    + " a backup, or move it away to start from an empty local cloud");
        }
    }
}
