package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The zip writer writes the bytes commons-compress writes for the same raw entries (what packages were made with
 * before), with and without Zip64 end records, and zips that JDK and commons-compress readers read back.
 */
class ZipWriterTest {
    private record Entry(String name, int mode, byte[] content) {
        long crc() {
            CRC32 crc = new CRC32();
            crc.update(content);
            return crc.getValue();
        }

        byte[] deflated() {
            Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            return out.toByteArray();
        }
    }

    private static byte[] ours(List<Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ZipWriter zip = new ZipWriter(out);
        for (Entry entry : entries) {
            zip.add(entry.name(), entry.mode(), entry.crc(), entry.content().length, entry.deflated());
        }
        zip.finish();
        return out.toByteArray();
    }

    /** The same entries as commons-compress writes them, as the packager did before it had its own writer. */
    private static byte[] commonsCompress(List<Entry> entries) throws IOException {
        long time = LocalDateTime.of(1980, 2, 1, 0, 0)
                .atZone(ZoneId.systemDefault())
                .toInstant()
                .toEpochMilli();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setUseZip64(Zip64Mode.AsNeeded);
            zip.setEncoding("UTF-8");
            for (Entry entry : entries) {
                ZipArchiveEntry raw = new ZipArchiveEntry(entry.name());
                raw.setTime(time);
                raw.setUnixMode(entry.mode());
                raw.setMethod(ZipArchiveEntry.DEFLATED);
                raw.setCrc(entry.crc());
                raw.setSize(entry.content().length);
                byte[] deflated = entry.deflated();
                raw.setCompressedSize(deflated.length);
                zip.addRawArchiveEntry(raw, new ByteArrayInputStream(deflated));
            }
            zip.finish();
        }
        return out.toByteArray();
    }

    private static List<Entry> sample() {
        return List.of(
                new Entry("bootstrap", 0100755, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)),
                new Entry("empty.txt", 0100644, new byte[0]),
                new Entry(
                        "lib/données/ünïcode-名前.py",
                        0100644,
                        "X = 1\n".repeat(500).getBytes(StandardCharsets.UTF_8)),
                new Entry("lib/util.py", 0100644, "def f():\n    return 1\n".getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Entry> tiny(int count) {
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new Entry(String.format("f%06d", i), 0100644, new byte[] {(byte) i}));
        }
        return entries;
    }

    @Test
    void writesTheBytesCommonsCompressWrites() throws IOException {
        assertThat(ours(sample())).isEqualTo(commonsCompress(sample()));
        assertThat(ours(List.of())).isEqualTo(commonsCompress(List.of()));
    }

    @Test
    void writesZip64EndRecordsFrom65535Entries_asCommonsCompressDoes() throws IOException {
        for (int count : List.of(65_534, 65_535, 65_536)) {
            byte[] zip = ours(tiny(count));

            assertThat(zip).as("%d entries", count).isEqualTo(commonsCompress(tiny(count)));
            boolean zip64 = new String(zip, StandardCharsets.ISO_8859_1).contains("PK\u0006\u0006");
            assertThat(zip64).as("Zip64 end record with %d entries", count).isEqualTo(count >= 65_535);
            try (ZipFile read = ZipFile.builder().setByteArray(zip).get()) {
                assertThat(Collections.list(read.getEntries())).hasSize(count);
            }
        }
    }

    @Test
    void isReadBackByTheJdksStreamingReader_withItsModesByCommonsCompress() throws IOException {
        byte[] zip = ours(sample());

        Map<String, String> contents = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                contents.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Map<String, Integer> modes = new LinkedHashMap<>();
        try (ZipFile read = ZipFile.builder().setByteArray(zip).get()) {
            for (ZipArchiveEntry entry : Collections.list(read.getEntries())) {
                modes.put(entry.getName(), entry.getUnixMode());
            }
        }

        for (Entry entry : sample()) {
            assertThat(contents.get(entry.name())).isEqualTo(new String(entry.content(), StandardCharsets.UTF_8));
            assertThat(modes.get(entry.name())).isEqualTo(entry.mode());
        }
    }
}
