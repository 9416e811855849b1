package io.lambdaform.cloud.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.lambdaform.LambdaformException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The local cloud's persistent state: one JSON document and content-addressed code blobs under the state folder.
 * Every write goes to a temporary file that is then renamed over the old one, so a crash leaves either the old or the
 * new state, never a torn one; every read-modify-write holds an exclusive file lock, so processes sharing the folder
 * never lose each other's changes.
 */
final class LocalStateStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path root;
    private final Path stateFile;
    /**
     * The state as last read or written, and the version of the file it came from: a command reads and parses the
     * file once, not once per resource, and reads it again only when another process changed it. It is never changed
     * in place (updates change a copy), so readers may hold it.
     */
    private LocalState cached;

    private FileVersion cachedVersion;

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
        Optional<FileVersion> version = FileVersion.of(stateFile);
        if (version.isEmpty()) {
            return LocalState.empty(JSON, stateFile);
        }
        if (cached != null && version.get().equals(cachedVersion)) {
            return cached;
        }
        try {
            JsonNode tree = JSON.readTree(stateFile.toFile());
            if (tree == null || !tree.isObject() || !tree.path("version").isInt()) {
                throw new IOException("not a local cloud state document");
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
            LocalState state = new LocalState(tree.get("version").asInt(), JSON, stateFile, sections, otherFields);
            if (state.version() > LocalState.CURRENT_VERSION) {
                throw LambdaformException.user("the local cloud state at " + stateFile + " was written by a newer"
                        + " Lambdaform (format " + state.version() + "); upgrade Lambdaform to use it");
            }
            cached = state;
            cachedVersion = version.get();
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

    /** Applies {@code change} to the current state under the state lock and persists the result atomically. */
    synchronized LocalState update(UnaryOperator<LocalState> change) {
        ensureRoot();
        try (FileChannel channel = FileChannel.open(
                        root.resolve("state.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            removeStrayTemporaries();
            LocalState updated = change.apply(read().copy());
            write(updated);
            return updated;
        } catch (IOException e) {
            throw LambdaformException.user("cannot write the local cloud state under " + root + ": " + e.getMessage());
        }
    }

    private void write(LocalState state) throws IOException {
        Path temp = Files.createTempFile(root, "state", ".json.tmp");
        try {
            ObjectNode tree = JSON.createObjectNode();
            tree.put("version", state.version());
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
            cached = state;
            cachedVersion = FileVersion.of(stateFile).orElse(null);
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
