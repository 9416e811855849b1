package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.resource.SourceDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestCacheTest {
    private static final long SETTLED = 0;

    @TempDir
    Path dir;

    private static SourceDigest digest(int i) {
        return new SourceDigest("sha" + i + "=", 1000L + i);
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    @Test
    void anEntry_isFoundUnderItsKeyAndSignature_only() {
        DigestCache cache = new DigestCache(Optional.of(dir.resolve("digests")));
        cache.put("/code/a\0", "sig-a", digest(1), SETTLED);

        DigestCache next = new DigestCache(Optional.of(dir.resolve("digests")));
        assertThat(next.get("/code/a\0", "sig-a")).contains(digest(1));
        assertThat(next.get("/code/a\0", "sig-b")).isEmpty();
        assertThat(next.get("/code/b\0", "sig-a")).isEmpty();
    }

    @Test
    void aDamagedEntry_isAMiss_andTheNextDigestReplacesIt() throws IOException {
        Path folder = dir.resolve("digests");
        DigestCache cache = new DigestCache(Optional.of(folder));
        cache.put("/code/a\0", "sig-a", digest(1), SETTLED);
        try (Stream<Path> files = Files.list(folder)) {
            Files.writeString(files.findFirst().orElseThrow(), "v1 sig-a not-a-number\n");
        }

        assertThat(cache.get("/code/a\0", "sig-a")).isEmpty();
        cache.put("/code/a\0", "sig-a", digest(2), SETTLED);
        assertThat(cache.get("/code/a\0", "sig-a")).contains(digest(2));
    }

    @Test
    void aRunThatKeepsADigest_prunesTheCacheToThe500WrittenLast_andDropsTheOldSingleFile() throws IOException {
        Path folder = dir.resolve("digests");
        Files.writeString(dir.resolve("source-digests.json"), "{}");
        DigestCache earlier = new DigestCache(Optional.of(folder));
        for (int i = 0; i < 502; i++) {
            earlier.put("/code/" + i, "sig", digest(i), SETTLED);
        }
        // Entries 0, 1 and 2 were written longest ago.
        long now = System.currentTimeMillis();
        for (int i = 0; i < 502; i++) {
            byte[] key = ("/code/" + i).getBytes(StandardCharsets.UTF_8);
            Path entry = folder.resolve(HexFormat.of().formatHex(Sha256.jvm().digest(key)));
            Files.setLastModifiedTime(entry, FileTime.fromMillis(now - 1_000_000 + i * 1000L));
        }
        assertThat(count(folder)).as("one prune per run, at its first digest").isEqualTo(502);

        DigestCache next = new DigestCache(Optional.of(folder));
        next.put("/code/new", "sig", digest(1000), SETTLED);

        assertThat(count(folder)).isEqualTo(500);
        assertThat(next.get("/code/0", "sig")).isEmpty();
        assertThat(next.get("/code/2", "sig")).isEmpty();
        assertThat(next.get("/code/3", "sig")).contains(digest(3));
        assertThat(next.get("/code/new", "sig")).contains(digest(1000));
        assertThat(dir.resolve("source-digests.json")).doesNotExist();
    }

    @Test
    void aDigestOfFilesChangedMomentsAgo_isNotKept() {
        DigestCache cache = new DigestCache(Optional.of(dir.resolve("digests")));
        cache.put("/code/a\0", "sig-a", digest(1), System.currentTimeMillis());

        assertThat(cache.get("/code/a\0", "sig-a")).isEmpty();
        assertThat(dir.resolve("digests")).doesNotExist();
    }
}
