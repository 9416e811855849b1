package io.lambdaform.cloud.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.lambdaform.LambdaformException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The local cloud's persistent state under the state folder: a snapshot ({@code state.json}), a journal of the changes
 * made since ({@code state.log}, one JSON line per record set or removed), and content-addressed code blobs. A change
 * appends its lines and syncs them before it returns, so it costs its own size and a crash loses no confirmed change;
 * a line torn by a crash is left out. The journal is folded into a new snapshot, written to a temporary file renamed
 * over the old one, once it holds more changes than the state has records. Every change holds an exclusive file
 * lock, so processes sharing the folder never lose each other's changes; a command parses the files once, and again
 * only when another process changed them.
 */
final class LocalStateStore {
    /** One monitor per state folder in this process, taken before the folder's file lock. */
    private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** One journal entry per line. */
    private static final ObjectWriter LINE = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    /** The journal is folded into the snapshot once it holds more changes than this or than the state's records. */
    static final int MIN_COMPACTION = 1000;

    /** The journal's file name, under the state folder. */
    static final String JOURNAL = "state.log";

    private final Path root;
    private final Path stateFile;
    private final Path logFile;
    /**
     * The state as last read or written, and the versions of the files it came from: a command reads and parses the
     * files once, not once per resource, and reads them again only when another process changed them.
     */
    private LocalState cached;

    private Optional<FileVersion> cachedSnapshot;
    private Optional<FileVersion> cachedLog;
    /** The cached state's snapshot format, the changes its journal holds, and whether the journal ends torn. */
    private int snapshotFormat;

    private int logEntries;
    private boolean tornLog;

    /** What tells two versions of the state file apart without reading it. */
    private record FileVersion(Object fileKey, long size, long modifiedNanos) {
        static Optional<FileVersion> of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return Optional.of(new FileVersion(
                        attributes.fileKey(),
                        attributes.size(),
                        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                // Unreadable attributes: let the read report it.
                return Optional.of(new FileVersion(null, -1, -1));
            }
        }
    }

    LocalStateStore(Path root) {
        this.root = root;
        this.stateFile = root.resolve("state.json");
        this.logFile = root.resolve(JOURNAL);
        requireNoSymbolicLinks(root);
    }

    /**
     * Refuses a state folder that is, or holds, a symbolic link. The default folder sits in the working folder, often
     * a checkout, and a pull request could commit links in it that make Lambdaform read or write files elsewhere.
     */
    static void requireNoSymbolicLinks(Path root) {
        if (Files.isSymbolicLink(root)) {
            throw LambdaformException.user("the local cloud state folder " + root + " is a symbolic link;"
                    + " Lambdaform uses only a real folder (pass another with --state-dir)");
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Three levels reach every file Lambdaform opens here (state.json, locks/*, code/*, runtime/*); extracted
        // packages below them are written by the runtime itself and walking them would cost every command.
        try (Stream<Path> paths = Files.walk(root, 3)) {
            Optional<Path> link = paths.filter(Files::isSymbolicLink).findFirst();
            if (link.isPresent()) {
                throw LambdaformException.user("the local cloud state folder " + root + " holds a symbolic link ("
                        + root.relativize(link.get()) + "); Lambdaform did not write it and will not follow it."
                        + " Remove it, or pass another folder with --state-dir");
            }
        } catch (IOException e) {
            throw LambdaformException.user("cannot read the local cloud state folder " + root + ": "
                    + e.getClass().getSimpleName());
        }
    }

    Path root() {
        return root;
    }

    synchronized LocalState read() {
        Optional<FileVersion> snapshot = FileVersion.of(stateFile);
        Optional<FileVersion> log = FileVersion.of(logFile);
        if (cached != null && snapshot.equals(cachedSnapshot) && log.equals(cachedLog)) {
            return cached;
        }
        // Another process may fold the journal into the snapshot while this one reads them (readers do not take the
        // file lock): a load counts only when neither file changed during it.
        for (int attempt = 1; ; attempt++) {
            LocalState state = null;
            LambdaformException failure = null;
            try {
                state = load(snapshot.isPresent(), log.isPresent());
            } catch (LambdaformException e) {
                failure = e;
            }
            Optional<FileVersion> snapshotAfter = FileVersion.of(stateFile);
            Optional<FileVersion> logAfter = FileVersion.of(logFile);
            boolean unchanged = snapshotAfter.equals(snapshot) && logAfter.equals(log);
            if (failure == null && unchanged) {
                cached = state;
                cachedSnapshot = snapshot;
                cachedLog = log;
                return state;
            }
            if (failure != null && (unchanged || attempt >= 10)) {
                throw failure;
            }
            snapshot = snapshotAfter;
            log = logAfter;
        }
    }

    /** Parses the snapshot (state.json) and replays the journal (state.log) over it. */
    private LocalState load(boolean hasSnapshot, boolean hasLog) {
        LocalState state;
        snapshotFormat = 0;
        logEntries = 0;
        tornLog = false;
        try {
            state = hasSnapshot ? snapshot() : LocalState.empty(JSON, stateFile);
            if (hasLog) {
                replay(state);
            }
            return state;
        } catch (IOException | RuntimeException e) {
            if (e instanceof LambdaformException le) {
                throw le;
            }
            throw LambdaformException.user("the local cloud state at " + stateFile + " cannot be read (it is not a"
                    + " state document Lambdaform wrote, or it is damaged); it is not changed. Restore it from a"
                    + " backup, or move it away to start from an empty local cloud");
        }
    }

    private LocalState snapshot() throws IOException {
        JsonNode tree = JSON.readTree(stateFile.toFile());
        if (tree == null || !tree.isObject() || !tree.path("version").isInt()) {
            throw new IOException("not a local cloud state document");
        }
        int format = tree.get("version").asInt();
        if (format > LocalState.CURRENT_VERSION) {
            throw LambdaformException.user("the local cloud state at " + stateFile + " was written by a newer"
                    + " Lambdaform (format " + format + "); upgrade Lambdaform to use it");
        }
        Map<String, Map<String, JsonNode>> sections = new LinkedHashMap<>();
        Map<String, JsonNode> otherFields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("version")) {
                continue;
            }
            if (!field.getValue().isObject()) {
                otherFields.put(field.getKey(), field.getValue());
                continue;
            }
            Map<String, JsonNode> records = new TreeMap<>();
            field.getValue().fields().forEachRemaining(e -> records.put(e.getKey(), e.getValue()));
            sections.put(field.getKey(), records);
        }
        snapshotFormat = format;
        return new LocalState(JSON, stateFile, sections, otherFields);
    }

    /**
     * Applies the journal's changes, one JSON line each. A process killed while appending may leave the last line
     * torn: that change was never confirmed to anyone, so it is left out (and the next change folds the journal).
     * Blank lines (an editor may add one at the end) hold no change and are passed over.
     */
    private void replay(LocalState state) throws IOException {
        byte[] bytes = Files.readAllBytes(logFile);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        tornLog = end < bytes.length;
        String complete = new String(bytes, 0, end, StandardCharsets.UTF_8);
        String[] lines = complete.isEmpty() ? new String[0] : complete.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue; // after the last newline, or added by hand
            }
            JsonNode entry;
            try {
                entry = JSON.readTree(lines[i]);
            } catch (JsonProcessingException e) {
                entry = null;
            }
            if (entry == null
                    || !entry.path("section").isTextual()
                    || !entry.path("name").isTextual()
                    || !entry.has("value")) {
                throw LambdaformException.user("the local cloud state at " + root + " cannot be read: line " + (i + 1)
                        + " of " + logFile + " is damaged, or was not written by Lambdaform; nothing is"
                        + " changed. Restore the folder from a backup, or move state.json and state.log away together"
                        + " to start from an empty local cloud");
            }
            JsonNode value = entry.get("value");
            state.replay(
                    new LocalState.Change(
                            entry.get("section").asText(),
                            entry.get("name").asText(),
                            value.isNull() ? Optional.empty() : Optional.of(value),
                            Optional.empty()),
                    i + 1);
            logEntries++;
        }
    }

    /**
     * Applies {@code change} to the current state under the state lock and makes it durable before returning: the
     * records it set or removed are appended to the journal (one line each, synced), so a change costs its own size,
     * not the state's. When the journal holds more changes than the state has records (and at least
     * {@value #MIN_COMPACTION}), it is folded into a new snapshot, written atomically. A change that throws, or
     * cannot be written, is undone.
     */
    synchronized LocalState update(UnaryOperator<LocalState> change) {
        // A file lock is held by the process: stacks applied side by side in one process (apply --all) on one state
        // folder take turns here first, then across processes at the file lock.
        synchronized (IN_PROCESS.computeIfAbsent(root.toAbsolutePath().normalize(), k -> new Object())) {
            return updateLocked(change);
        }
    }

    private LocalState updateLocked(UnaryOperator<LocalState> change) {
        ensureRoot();
        try (FileChannel channel = FileChannel.open(
                        root.resolve("state.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            removeStrayTemporaries();
            LocalState state = read();
            if (snapshotFormat < LocalState.CURRENT_VERSION || tornLog) {
                // Older Lambdaform versions read state.json alone: the first change marks it as format 2, which they
                // refuse, before any change goes to the journal. A torn journal line is folded away before appending.
                compact(state);
            }
            state.beginChanges();
            try {
                change.apply(state);
            } catch (RuntimeException e) {
                state.undo(state.endChanges());
                throw e;
            }
            List<LocalState.Change> changes = state.endChanges();
            long sizeBefore = Files.exists(logFile) ? Files.size(logFile) : 0;
            try {
                append(changes);
            } catch (IOException e) {
                // Not durable, so not done: the lines that made it are cut off again, and memory is undone.
                state.undo(changes);
                cached = null;
                truncate(sizeBefore);
                throw e;
            }
            logEntries += changes.size();
            if (logEntries > Math.max(MIN_COMPACTION, state.recordCount())) {
                try {
                    compact(state);
                } catch (IOException e) {
                    // The change is durable in the journal; folding it can wait for the next change.
                }
            }
            cachedSnapshot = FileVersion.of(stateFile);
            cachedLog = FileVersion.of(logFile);
            return state;
        } catch (IOException e) {
            throw LambdaformException.user("cannot write the local cloud state under " + root + ": " + e.getMessage());
        }
    }

    private void truncate(long size) {
        try (FileChannel log = FileChannel.open(logFile, StandardOpenOption.WRITE)) {
            log.truncate(size);
            log.force(true);
        } catch (IOException e) {
            // Cannot even truncate: the next read then sees the lines, which were written whole or are torn.
        }
    }

    private void append(List<LocalState.Change> changes) throws IOException {
        if (changes.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (LocalState.Change c : changes) {
            ObjectNode entry = JSON.createObjectNode();
            entry.put("section", c.section());
            entry.put("name", c.name());
            entry.set("value", c.value().orElse(NullNode.getInstance()));
            lines.append(LINE.writeValueAsString(entry)).append('\n');
        }
        boolean created = !Files.exists(logFile);
        try (FileChannel log = created
                ? FileChannel.open(
                        logFile,
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                        ownerOnly())
                : FileChannel.open(logFile, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                log.write(bytes);
            }
            log.force(true);
        }
        if (created) {
            syncDirectory(root);
        }
    }

    /** The permissions of a new state file where the file system has POSIX permissions: the owner's only. */
    private FileAttribute<?>[] ownerOnly() {
        if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            };
        }
        return new FileAttribute<?>[0];
    }

    /** Writes the whole state as a new snapshot of the current format, then drops the journal it now contains. */
    private void compact(LocalState state) throws IOException {
        write(state);
        state.snapshotted();
        if (Files.deleteIfExists(logFile)) {
            syncDirectory(root);
        }
        snapshotFormat = LocalState.CURRENT_VERSION;
        logEntries = 0;
        tornLog = false;
    }

    private void write(LocalState state) throws IOException {
        Path temp = Files.createTempFile(root, "state", ".json.tmp");
        try {
            ObjectNode tree = JSON.createObjectNode();
            tree.put("version", LocalState.CURRENT_VERSION);
            state.sections().forEach((name, records) -> {
                ObjectNode section = tree.putObject(name);
                records.forEach(section::set);
            });
            state.otherFields().forEach(tree::set);
            JSON.writeValue(temp.toFile(), tree);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(root);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes a rename in {@code folder} durable; where a folder cannot be opened (not POSIX), the rename suffices. */
    static void syncDirectory(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not supported on this file system; the rename itself is still atomic.
        }
    }

    /**
     * Deletes what a process killed mid-write left behind: state temporaries (safe under the state lock, which every
     * writer holds) and code temporaries older than an hour (code is stored without the lock).
     */
    private void removeStrayTemporaries() {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(root, "state*.json.tmp")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // Best effort: a leftover temporary is harmless.
        }
        Path code = root.resolve("code");
        if (!Files.isDirectory(code)) {
            return;
        }
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(code, "*.tmp")) {
            for (Path temp : temps) {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(hourAgo)) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException e) {
            // Best effort.
        }
    }

    /** Stores a code blob by its digest (idempotent) and returns its path. */
    Path storeCode(String hexDigest, byte[] zip) {
        Path blob = root.resolve("code").resolve(hexDigest + ".zip");
        try {
            if (!Files.exists(blob)) {
                Files.createDirectories(blob.getParent());
                Path temp = Files.createTempFile(blob.getParent(), hexDigest, ".tmp");
                try {
                    Files.write(temp, zip);
                    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                    Files.move(temp, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    syncDirectory(blob.getParent());
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            return blob;
        } catch (IOException e) {
            throw LambdaformException.user("cannot store code under " + blob.getParent() + ": " + e.getMessage());
        }
    }

    /** Removes the code blob of that digest (no function runs it); best effort. */
    void removeCode(String hexDigest) {
        try {
            Files.deleteIfExists(codePath(hexDigest));
        } catch (IOException e) {
            // A leftover package costs disk space only.
        }
    }

    /** Removes the code blobs whose digests are not among {@code kept} (no function runs them); best effort. */
    void removeCodeExcept(Set<String> kept) {
        Path code = root.resolve("code");
        if (!Files.isDirectory(code)) {
            return;
        }
        // Uploads in progress (*.tmp) are left to removeStrayTemporaries.
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(code, "*.zip")) {
            for (Path blob : blobs) {
                String name = blob.getFileName().toString();
                if (!kept.contains(name.substring(0, name.length() - ".zip".length()))) {
                    Files.deleteIfExists(blob);
                }
            }
        } catch (IOException e) {
            // A leftover package costs disk space only; the next removal tries again.
        }
    }

    /** The code blob of that digest, when it is stored. */
    Optional<byte[]> readCode(String hexDigest) {
        Path blob = codePath(hexDigest);
        try {
            return Files.isRegularFile(blob) ? Optional.of(Files.readAllBytes(blob)) : Optional.empty();
        } catch (IOException e) {
            throw LambdaformException.user("cannot read code at " + blob + ": " + e.getMessage());
        }
    }

    Path codePath(String hexDigest) {
        return root.resolve("code").resolve(hexDigest + ".zip");
    }

    void ensureRoot() {
        try {
            Files.createDirectories(root);
            Path ignore = root.resolve(".gitignore");
            if (!Files.exists(ignore)) {
                Files.writeString(ignore, "# Local cloud state of Lambdaform; not for version control.\n*\n");
            }
        } catch (IOException e) {
            throw LambdaformException.user("cannot create the state folder " + root + ": " + e.getMessage());
        }
    }
}
