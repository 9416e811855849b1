package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.JavaSources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One entry of a zip, found through its central directory and read within bounds. */
class ZipLookupTest {
    @TempDir
    Path dir;

    private static ZipLookup open(byte[] zip) throws IOException {
        return ZipLookup.open(new SeekableInMemoryByteChannel(zip));
    }

    private byte[] jar() throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        entries.put(
                "com/example/Hello.class",
                "not really a class, but bytes".repeat(100).getBytes(StandardCharsets.UTF_8));
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        entries.put("lib/a.jar", new byte[] {1, 2, 3});
        entries.put("lib/nested/b.jar", new byte[] {4});
        return Files.readAllBytes(JavaSources.zip(entries, dir.resolve("app.jar")));
    }

    @Test
    void find_readsTheOneEntry_deflatedOrStored() throws IOException {
        ZipLookup zip = open(jar());

        ZipLookup.Entry entry = zip.find("com/example/Hello.class").orElseThrow();
        assertThat(new String(zip.read(entry, 1 << 20), StandardCharsets.UTF_8))
                .isEqualTo("not really a class, but bytes".repeat(100));
        assertThat(zip.find("com/example/Missing.class")).isEmpty();
        assertThat(zip.entries(n -> n.startsWith("lib/"), 10))
                .extracting(ZipLookup.Entry::name)
                .containsExactly("lib/a.jar", "lib/nested/b.jar");
        assertThatThrownBy(() -> zip.read(entry, 10)).isInstanceOf(BeyondBounds.class);
    }

    @Test
    void aZipAfterALaunchScript_isRead_asJavaReadsExecutableJars() throws IOException {
        byte[] jar = jar();
        byte[] script = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(StandardCharsets.UTF_8);
        byte[] launchable = new byte[script.length + jar.length];
        System.arraycopy(script, 0, launchable, 0, script.length);
        System.arraycopy(jar, 0, launchable, script.length, jar.length);

        ZipLookup zip = open(launchable);

        assertThat(zip.read(zip.find("META-INF/MANIFEST.MF").orElseThrow(), 100))
                .asString(StandardCharsets.UTF_8)
                .startsWith("Manifest-Version");
    }

    @Test
    void unixModesAndZip64Records_areRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            out.setUseZip64(Zip64Mode.Always);
            for (String name : new String[] {"bootstrap", "readme"}) {
                ZipArchiveEntry entry = new ZipArchiveEntry(name);
                entry.setUnixMode(name.equals("bootstrap") ? 0100755 : 0100644);
                out.putArchiveEntry(entry);
                out.write(("#!/bin/sh\necho " + name + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        ZipLookup zip = open(bytes.toByteArray());

        assertThat(zip.find("bootstrap").orElseThrow().unixMode()).hasValue(0100755);
        assertThat(zip.find("readme").orElseThrow().unixMode()).hasValue(0100644);
        assertThat(zip.read(zip.find("readme").orElseThrow(), 100))
                .asString(StandardCharsets.UTF_8)
                .contains("echo readme");
        // java.util.zip writes no unix mode: nothing is known of it.
        assertThat(open(jar()).find("lib/a.jar").orElseThrow().unixMode()).isEmpty();
    }

    @Test
    void damagedZips_areAnIOException_neverAnotherFailure() throws IOException {
        byte[] jar = jar();
        assertThatThrownBy(() -> open("not a zip".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        for (int length = 0; length < jar.length; length += 7) {
            readEverything(Arrays.copyOf(jar, length));
        }
        Random random = new Random(21);
        for (int i = 0; i < 3_000; i++) {
            byte[] damaged = jar.clone();
            for (int flips = 0; flips < 1 + random.nextInt(6); flips++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            readEverything(damaged);
        }
    }

    /** Opens the zip and reads every entry: an IOException is an answer; any other exception fails the test. */
    private static void readEverything(byte[] zip) {
        try {
            ZipLookup lookup = open(zip);
            for (ZipLookup.Entry entry : lookup.entries(n -> true, 100)) {
                lookup.read(entry, 1 << 20);
            }
        } catch (IOException expected) {
            // damaged: validation reports it as unreadable, or looks no further
        }
    }
}
