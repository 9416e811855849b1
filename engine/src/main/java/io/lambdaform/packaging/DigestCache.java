package io.lambdaform.packaging;

import io.lambdaform.resource.SourceDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source digests of code folders kept between runs, each under a signature of what the file system says of every
 * file (name, size, modification time, mode, inode), as git's index does: a folder whose files were not touched since
 * is not read again. A digest is kept only when every file is older than a few seconds, so that a file changed within
 * the same tick of the clock as the digest was made is never taken for unchanged. Losing the cache costs only time.
 *
 * <p>The cache is a folder with one small file per code folder (named by the SHA-256 of the folder's path and
 * excludes; one line: a version, the signature, the digest and the unzipped size), so a run reads only the entries of
 * its own code, whatever else the machine planned before. The first digest a run keeps prunes it to the {@value
 * #MAX_ENTRIES} most recently written.
 */
final class DigestCache {
    static final DigestCache NONE = new DigestCache(Optional.empty());

    private static final int MAX_ENTRIES = 500;
    private static final long SETTLED_MILLIS = 3_000;
    private static final String VERSION = "v1";
    /** Where earlier versions kept every digest in one JSON file, read whole on every run. */
    private static final String LEGACY_FILE = "source-digests.json";

    private final Optional<Path> folder;
    /** Whether this run pruned the folder: once is enough, and a plan may keep hundreds of digests. */
    private boolean pruned;

    DigestCache(Optional<Path> folder) {
        this.folder = folder;
    }

    /** Whether digests are kept between runs at all. */
    boolean enabled() {
        return folder.isPresent();
    }

    synchronized Optional<SourceDigest> get(String key, String signature) {
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] fields =
                    Files.readString(entry(key), StandardCharsets.UTF_8).strip().split(" ");
            if (fields.length == 4 && fields[0].equals(VERSION) && fields[1].equals(signature)) {
                return Optional.of(new SourceDigest(fields[2], Long.parseLong(fields[3])));
            }
        } catch (IOException | RuntimeException e) {
            // Missing or damaged: digested again.
        }
        return Optional.empty();
    }

    /** Keeps {@code digest} when the newest of its files ({@code newestMillis}) has settled. */
    synchronized void put(String key, String signature, SourceDigest digest, long newestMillis) {
        if (folder.isEmpty() || System.currentTimeMillis() - newestMillis < SETTLED_MILLIS) {
            return;
        }
        String line = String.join(" ", VERSION, signature, digest.sourceSha256(), Long.toString(digest.unzippedSize()));
        if (line.chars().filter(c -> c == ' ').count() != 3) {
            return;
        }
        try {
            Path target = entry(key);
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "digest", ".tmp");
            Files.writeString(temp, line + "\n", StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (!pruned) {
                pruned = true;
                prune(target.getParent());
            }
        } catch (IOException e) {
            // A cache that cannot be written is no cache: the next run digests again.
        }
    }

    /** The entry's file: the SHA-256 of the key, in hexadecimal. */
    private Path entry(String key) {
        byte[] hash = Sha256.jvm().digest(key.getBytes(StandardCharsets.UTF_8));
        return folder.orElseThrow().resolve(HexFormat.of().formatHex(hash));
    }

    /**
     * Deletes the entries written longest ago beyond {@value #MAX_ENTRIES}, and the single file earlier versions kept
     * beside the folder.
     */
    private static void prune(Path cache) throws IOException {
        Files.deleteIfExists(cache.resolveSibling(LEGACY_FILE));
        List<Map.Entry<FileTime, Path>> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cache)) {
            for (Path file : files) {
                try {
                    entries.add(Map.entry(Files.getLastModifiedTime(file), file));
                } catch (NoSuchFileException e) {
                    // Pruned by another run meanwhile.
                }
            }
        }
        if (entries.size() <= MAX_ENTRIES) {
            return;
        }
        entries.sort(Map.Entry.comparingByKey());
        for (Map.Entry<FileTime, Path> old : entries.subList(0, entries.size() - MAX_ENTRIES)) {
            Files.deleteIfExists(old.getValue());
        }
    }
}
