package io.lambdaform.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.cloud.SourceDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Source digests of code folders kept between runs, each under a signature of what the file system says of every
 * file (name, size, modification time, mode, inode), as git's index does: a folder whose files were not touched since
 * is not read again. A digest is kept only when every file is older than a few seconds, so that a file changed within
 * the same tick of the clock as the digest was made is never taken for unchanged. Losing the cache costs only time.
 */
final class DigestCache {
    static final DigestCache NONE = new DigestCache(Optional.empty());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ENTRIES = 500;
    private static final long SETTLED_MILLIS = 3_000;

    private final Optional<Path> file;
    private ObjectNode entries;

    DigestCache(Optional<Path> file) {
        this.file = file;
    }

    /** Whether digests are kept between runs at all. */
    boolean enabled() {
        return file.isPresent();
    }

    synchronized Optional<SourceDigest> get(String key, String signature) {
        JsonNode entry = entries().get(key);
        if (entry == null || !signature.equals(entry.path("signature").asText())) {
            return Optional.empty();
        }
        return Optional.of(new SourceDigest(
                entry.path("sha256").asText(), entry.path("unzipped").asLong()));
    }

    /** Keeps {@code digest} when the newest of its files ({@code newestMillis}) has settled. */
    synchronized void put(String key, String signature, SourceDigest digest, long newestMillis) {
        if (file.isEmpty() || System.currentTimeMillis() - newestMillis < SETTLED_MILLIS) {
            return;
        }
        ObjectNode entry = entries().putObject(key);
        entry.put("signature", signature);
        entry.put("sha256", digest.sourceSha256());
        entry.put("unzipped", digest.unzippedSize());
        entry.put("stored", System.currentTimeMillis());
        if (entries.size() > MAX_ENTRIES) {
            List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
            entries.fields().forEachRemaining(all::add);
            all.sort(Comparator.comparingLong(e -> e.getValue().path("stored").asLong()));
            for (int i = 0; i < all.size() - MAX_ENTRIES; i++) {
                entries.remove(all.get(i).getKey());
            }
        }
        try {
            Path target = file.get();
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "digests", ".tmp");
            Files.writeString(temp, JSON.writeValueAsString(entries), StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // A cache that cannot be written is no cache: the next run digests again.
        }
    }

    private ObjectNode entries() {
        if (entries == null) {
            entries = JSON.createObjectNode();
            if (file.isPresent() && Files.isRegularFile(file.get())) {
                try {
                    JsonNode read = JSON.readTree(Files.readString(file.get(), StandardCharsets.UTF_8));
                    if (read instanceof ObjectNode object) {
                        entries = object;
                    }
                } catch (IOException | RuntimeException e) {
                    // Damaged: start afresh.
                }
            }
        }
        return entries;
    }
}
