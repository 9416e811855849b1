package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Everything the local cloud knows: one section per kind of resource ("roles", "functions", ...), each a map from name
 * to the kind's live-state record (kept as JSON, converted when read). A kind's adapter declares its {@link Section};
 * sections and fields a version does not know are kept as they are. Safe for reads from several threads while one
 * thread changes it: the {@link LocalStateStore} changes it under its lock, records each change in a journal it
 * appends to disk, and undoes the changes of an update that fails.
 */
final class LocalState {
    /** Format 1: state.json alone. Format 2: state.json as a snapshot plus state.log, the changes made since. */
    static final int CURRENT_VERSION = 2;

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

    /** One record set ({@code value} present) or removed (empty), with what it was before. */
    record Change(String section, String name, Optional<JsonNode> value, Optional<JsonNode> before) {}

    private final ObjectMapper json;
    private final Path file;
    private final Map<String, ConcurrentSkipListMap<String, JsonNode>> sections = new ConcurrentHashMap<>();
    /** Section names in the order the file has them, new ones last. */
    private final List<String> order = new CopyOnWriteArrayList<>();

    private final Map<String, JsonNode> otherFields = new ConcurrentHashMap<>();
    private final List<String> otherOrder = new CopyOnWriteArrayList<>();
    private List<Change> journal;
    /**
     * The line of the journal file (state.log) each record was read from when its value comes from there, not from
     * the snapshot (state.json) or this process: a damaged record is named where it is.
     */
    private final Map<String, Integer> journalLines = new ConcurrentHashMap<>();
    /** How many records all sections hold, kept as they change: counting a skip list walks it. */
    private final AtomicInteger records = new AtomicInteger();

    /**
     * @param file the state file, named in messages
     * @param sections the object-valued fields of the file, by name, in file order
     * @param otherFields the other fields (besides the version), kept as they are
     */
    LocalState(
            ObjectMapper json,
            Path file,
            Map<String, ? extends Map<String, JsonNode>> sections,
            Map<String, JsonNode> otherFields) {
        this.json = json;
        this.file = file;
        sections.forEach((k, v) -> {
            this.sections.put(k, new ConcurrentSkipListMap<>(v));
            order.add(k);
            records.addAndGet(v.size());
        });
        otherFields.forEach((k, v) -> {
            this.otherFields.put(k, v);
            otherOrder.add(k);
        });
    }

    static LocalState empty(ObjectMapper json, Path file) {
        return new LocalState(json, file, Map.of(), Map.of());
    }

    /** The sections in file order, each sorted by name. */
    Map<String, SortedMap<String, JsonNode>> sections() {
        Map<String, SortedMap<String, JsonNode>> ordered = new LinkedHashMap<>();
        order.forEach(name -> ordered.put(name, sections.get(name)));
        return ordered;
    }

    Map<String, JsonNode> otherFields() {
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        otherOrder.forEach(name -> ordered.put(name, otherFields.get(name)));
        return ordered;
    }

    int recordCount() {
        return records.get();
    }

    /** The record of that name in a section. */
    <T> Optional<T> get(Section<T> section, String name) {
        Map<String, JsonNode> records = sections.get(section.name());
        JsonNode node = records == null ? null : records.get(name);
        return Optional.ofNullable(node).map(n -> convert(section, name, n));
    }

    /** Every record of a section, by name. */
    <T> SortedMap<String, T> all(Section<T> section) {
        SortedMap<String, T> records = new TreeMap<>();
        Map<String, JsonNode> nodes = sections.get(section.name());
        if (nodes != null) {
            nodes.forEach((name, node) -> records.put(name, convert(section, name, node)));
        }
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
        apply(section.name(), name, Optional.of(json.valueToTree(record)));
    }

    /** Removes a record; whether there was one. */
    boolean remove(Section<?> section, String name) {
        Map<String, JsonNode> records = sections.get(section.name());
        if (records == null || !records.containsKey(name)) {
            return false;
        }
        apply(section.name(), name, Optional.empty());
        return true;
    }

    /** Sets or removes a record as line {@code line} of the journal says (replaying the journal does this). */
    void replay(Change change, int line) {
        apply(change.section(), change.name(), change.value());
        if (change.value().isPresent()) {
            journalLines.put(key(change.section(), change.name()), line);
        }
    }

    /** The journal was folded into a new snapshot: every record is read from there from now on. */
    void snapshotted() {
        journalLines.clear();
    }

    private static String key(String section, String name) {
        return section + "\0" + name;
    }

    private void apply(String section, String name, Optional<JsonNode> value) {
        ConcurrentSkipListMap<String, JsonNode> sectionRecords = sections.computeIfAbsent(section, k -> {
            order.add(k);
            return new ConcurrentSkipListMap<>();
        });
        JsonNode before = value.isPresent() ? sectionRecords.put(name, value.get()) : sectionRecords.remove(name);
        journalLines.remove(key(section, name));
        count(before != null, value.isPresent());
        if (journal != null) {
            journal.add(new Change(section, name, value, Optional.ofNullable(before)));
        }
    }

    /** Keeps the record count as a record goes from existing ({@code was}) or not to existing ({@code is}) or not. */
    private void count(boolean was, boolean is) {
        if (was != is) {
            records.addAndGet(is ? 1 : -1);
        }
    }

    /** Starts recording changes, for the store to persist (or undo) them. */
    void beginChanges() {
        journal = new ArrayList<>();
    }

    /** The changes since {@link #beginChanges}, which stops recording. */
    List<Change> endChanges() {
        List<Change> changes = journal;
        journal = null;
        return changes;
    }

    /** Undoes changes (the last first): the update that made them failed. */
    void undo(List<Change> changes) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            Change change = changes.get(i);
            ConcurrentSkipListMap<String, JsonNode> sectionRecords = sections.get(change.section());
            if (change.before().isPresent()) {
                sectionRecords.put(change.name(), change.before().get());
            } else {
                sectionRecords.remove(change.name());
            }
            count(change.value().isPresent(), change.before().isPresent());
        }
    }

    private <T> T convert(Section<T> section, String name, JsonNode node) {
        try {
            T record = json.treeToValue(node, section.type());
            if (record == null) {
                throw new IllegalArgumentException("null");
            }
            return record;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Integer line = journalLines.get(key(section.name(), name));
            if (line != null) {
                throw LambdaformException.user("the local cloud state at " + file.getParent() + " cannot be read: its "
                        + section.label() + " " + name + ", set by line " + line + " of "
                        + file.resolveSibling(LocalStateStore.JOURNAL) + ", is damaged, or was not written by"
                        + " Lambdaform; nothing is changed. Restore the folder from a backup, or move state.json and"
                        + " state.log away together to start from an empty local cloud");
            }
            throw LambdaformException.user("the local cloud state at " + file + " cannot be read: its "
                    + section.label()
                    + " " + name + " is damaged, or was not written by Lambdaform; it is not changed. Restore it from"
                    + " a backup, or move it away to start from an empty local cloud");
        }
    }
}
