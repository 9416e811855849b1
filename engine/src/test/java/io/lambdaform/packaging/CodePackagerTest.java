package io.lambdaform.packaging;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lambdaform.HostileCorpus;
import io.lambdaform.LambdaformException;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.SourceDigest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodePackagerTest {
    @TempDir
    Path dir;

    private static DeploymentPackage pack(Path folder, String... excludes) {
        return new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of(excludes)));
    }

    private Path sampleFolder(Path root) {
        write(root, "app.py", "def handler(e, c):\n    return 1\n");
        write(root, "lib/util.py", "X = 1\n");
        write(root, "lib/data.json", "{}\n");
        return root;
    }

    @Test
    void pack_sameContent_givesByteIdenticalZip_whateverMtimesUmaskAndFolder() throws IOException {
        Path a = sampleFolder(dir.resolve("a"));
        Path b = dir.resolve("elsewhere/b");
        // Written in the other order, with other mtimes and permissions that are not the executable bit.
        write(b, "lib/data.json", "{}\n");
        write(b, "lib/util.py", "X = 1\n");
        write(b, "app.py", "def handler(e, c):\n    return 1\n");
        Files.setLastModifiedTime(b.resolve("app.py"), FileTime.fromMillis(1_000_000_000L));
        Files.setPosixFilePermissions(b.resolve("lib/util.py"), PosixFilePermissions.fromString("rw-------"));

        assertThat(pack(b).codeSha256()).isEqualTo(pack(a).codeSha256());
    }

    @Test
    void pack_inAnotherTimeZone_givesTheSameBytes() {
        Path folder = sampleFolder(dir.resolve("f"));
        TimeZone original = TimeZone.getDefault();
        byte[] utc;
        byte[] tokyo;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            utc = pack(folder).zip();
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            tokyo = pack(folder).zip();
        } finally {
            TimeZone.setDefault(original);
        }
        assertThat(CodePackager.codeSha256(tokyo)).isEqualTo(CodePackager.codeSha256(utc));
    }

    @Test
    void pack_codeSha256_isBase64OfSha256OfTheZip() throws Exception {
        DeploymentPackage pkg = pack(sampleFolder(dir.resolve("f")));

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(pkg.zip());
        assertThat(pkg.codeSha256()).isEqualTo(Base64.getEncoder().encodeToString(digest));
    }

    @Test
    void pack_entriesAreSortedWithNormalizedModes_andExecutablesStayExecutable() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        write(folder, "bootstrap", "#!/bin/sh\n");
        Files.setPosixFilePermissions(folder.resolve("bootstrap"), PosixFilePermissions.fromString("rwxr-x---"));

        Map<String, Integer> modes = entries(pack(folder).zip());

        assertThat(modes.keySet()).containsExactly("app.py", "bootstrap", "lib/data.json", "lib/util.py");
        assertThat(modes).containsEntry("bootstrap", 0100755).containsEntry("app.py", 0100644);
    }

    @Test
    void pack_defaultAndManifestExcludes_leaveFilesOut() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        write(folder, ".git/config", "x");
        write(folder, "__pycache__/app.cpython-311.pyc", "x");
        write(folder, "lib/old.pyc", "x");
        write(folder, "tests/test_app.py", "x");
        write(folder, "notes.md", "x");

        Map<String, Integer> names = entries(pack(folder, "tests", "*.md").zip());

        assertThat(names.keySet()).containsExactly("app.py", "lib/data.json", "lib/util.py");
    }

    @Test
    void pack_symlinkOutsideTheFolder_isRefused() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        Path secret = write(dir, "secret.txt", "password");
        Files.createSymbolicLink(folder.resolve("link.txt"), secret);

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("outside the folder");
    }

    @Test
    void pack_symlinkInsideTheFolder_isPackagedAsItsContent() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        Files.createSymbolicLink(folder.resolve("alias.py"), folder.resolve("app.py"));

        assertThat(entries(pack(folder).zip())).containsKey("alias.py");
    }

    @Test
    void pack_overTheUnzippedLimit_isRefusedBeforeZipping() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        try (RandomAccessFile sparse =
                new RandomAccessFile(folder.resolve("huge.bin").toFile(), "rw")) {
            sparse.setLength(CodePackager.MAX_UNZIPPED_BYTES + 1);
        }

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("250 MB unzipped")
                .hasMessageContaining("layer");
    }

    @Test
    void pack_singleFile_zipsItUnderItsName() throws IOException {
        Path file = write(dir, "one/handler.py", "x = 1\n");

        DeploymentPackage pkg = new CodePackager().pack(new CodeSource(file, CodeSource.Kind.FILE, List.of()));

        assertThat(entries(pkg.zip()).keySet()).containsExactly("handler.py");
    }

    @Test
    void pack_prebuiltArchive_isUploadedAsItIs() throws IOException {
        byte[] zip = pack(sampleFolder(dir.resolve("f"))).zip();
        Path archive = dir.resolve("built.zip");
        Files.write(archive, zip);

        DeploymentPackage pkg = new CodePackager().pack(new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of()));

        assertThat(pkg.zip()).isEqualTo(zip);
    }

    @Test
    void pack_archiveThatIsNotAZip_isAClearError() {
        Path archive = write(dir, "bad.zip", "not a zip");

        assertThatThrownBy(() -> new CodePackager().pack(new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of())))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("not a valid zip");
    }

    private static Map<String, Integer> entries(byte[] zip) throws IOException {
        Map<String, Integer> modes = new TreeMap<>();
        List<String> order = new ArrayList<>();
        try (ZipFile file = ZipFile.builder().setByteArray(zip).get()) {
            for (ZipArchiveEntry entry : Collections.list(file.getEntriesInPhysicalOrder())) {
                modes.put(entry.getName(), entry.getUnixMode());
                order.add(entry.getName());
            }
        }
        assertThat(order).isSorted();
        return modes;
    }

    @Test
    void pack_aFolderHoldingAFifo_isAnErrorNamingIt_notAHang() throws Exception {
        Path folder = sampleFolder(dir.resolve("src"));
        assertThat(new ProcessBuilder("mkfifo", folder.resolve("lib/pipe").toString())
                        .start()
                        .waitFor())
                .isZero();

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("lib/pipe")
                .hasMessageContaining("not a regular file");
    }

    @Test
    void pack_fileNamesThatAreNotUtf8_areAnErrorNamingTheFile_neverARenameOrADrop() throws Exception {
        Assumptions.assumeTrue(
                "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names are decoded as UTF-8 only under a UTF-8 locale");
        Path folder = sampleFolder(dir.resolve("src"));
        Process python = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import sys, os\n"
                                + "for n in (b'caf\\xe9.txt', b'caf\\xe8.txt'):\n"
                                + "    open(os.path.join(os.fsencode(sys.argv[1]), n), 'wb').write(n)\n",
                        folder.toString())
                .start();
        assertThat(python.waitFor()).isZero();

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("caf\uFFFD.txt")
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void pack_aCodeFileThatIsADevice_isRefusedBeforeReading() {
        assertThatThrownBy(() ->
                        new CodePackager().pack(new CodeSource(Path.of("/dev/zero"), CodeSource.Kind.FILE, List.of())))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void digest_isThePackagesSourceDigest_withoutZipping_forAFolderAFileAndAnArchive() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        write(folder, "bootstrap", "#!/bin/sh\n");
        Files.setPosixFilePermissions(folder.resolve("bootstrap"), PosixFilePermissions.fromString("rwxr-xr-x"));
        CodeSource folderSource = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());
        CodeSource fileSource = new CodeSource(folder.resolve("app.py"), CodeSource.Kind.FILE, List.of());
        Path archive = dir.resolve("built.zip");
        Files.write(archive, new CodePackager().pack(folderSource).zip());
        CodeSource archiveSource = new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of());

        for (CodeSource source : List.of(folderSource, fileSource, archiveSource)) {
            DeploymentPackage built = new CodePackager().pack(source);
            assertThat(new CodePackager().digest(source))
                    .as(source.kind().toString())
                    .isEqualTo(new SourceDigest(built.sourceSha256(), built.unzippedSize()));
        }
        write(folder, "lib/util.py", "X = 2\n");
        assertThat(new CodePackager().digest(folderSource).sourceSha256())
                .isNotEqualTo(new CodePackager().pack(fileSource).sourceSha256());
    }

    @Test
    void pack_ofCodeThatZipsToMoreThanTheDirectLimit_isMadeForStaging_andRefusedPastTheStagedLimit()
            throws IOException {
        long mb = 1024 * 1024;
        Path two = noise(dir.resolve("two"), 2);
        Path five = noise(dir.resolve("five"), 5);

        // Neither deflate fits 1 MB: the fast one makes the package, which the plan stages in S3.
        DeploymentPackage staged = new CodePackager(mb, 3 * mb, Long.MAX_VALUE)
                .pack(new CodeSource(two, CodeSource.Kind.FOLDER, List.of()));
        assertThat(staged.size()).isBetween(2 * mb, 3 * mb);
        assertThat(contents(staged.zip())).containsOnlyKeys("blob.bin");

        assertThatThrownBy(() -> new CodePackager(mb, 3 * mb, Long.MAX_VALUE)
                        .pack(new CodeSource(five, CodeSource.Kind.FOLDER, List.of())))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("more than 3 MB zipped");
        assertThatThrownBy(() -> new CodePackager(mb).pack(new CodeSource(two, CodeSource.Kind.FOLDER, List.of())))
                .as("a packager that stages nothing")
                .hasMessageContaining("more than 1 MB zipped");
    }

    /** A folder holding one file of {@code megabytes} random (incompressible) bytes. */
    private static Path noise(Path folder, int megabytes) throws IOException {
        Files.createDirectories(folder);
        byte[] noise = new byte[1024 * 1024];
        Random random = new Random(7);
        try (var out = Files.newOutputStream(folder.resolve("blob.bin"))) {
            for (int i = 0; i < megabytes; i++) {
                random.nextBytes(noise);
                out.write(noise);
            }
        }
        return folder;
    }

    /** Source-like text: words and numbers drawn at random, so it compresses like code and differs per seed. */
    private static String sourceText(Random random, int length) {
        String[] words = {"def ", "return ", "self.", "import ", "value", "(", ")", ":\n    ", " = ", "if ", "for "};
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000));
        }
        return text.substring(0, length);
    }

    private Path manyFiles(Path root, int count, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            write(root, "pkg" + (i % 7) + "/mod_" + i + ".py", sourceText(random, random.nextInt(40_000)));
        }
        return root;
    }

    @Test
    void pack_ofManyFiles_compressedInParallel_givesTheSameBytesEveryTime() {
        Path folder = manyFiles(dir.resolve("many"), 300, 11);

        String first = pack(folder).codeSha256();

        for (int i = 0; i < 3; i++) {
            assertThat(pack(folder).codeSha256()).isEqualTo(first);
        }
    }

    /** Every entry's name, mode and bytes, read with the JDK's streaming reader (which checks each CRC). */
    private static Map<String, String> contents(byte[] zip) throws IOException {
        Map<String, Integer> modes = entries(zip);
        Map<String, String> read = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                read.put(
                        entry.getName(),
                        Integer.toOctalString(modes.get(entry.getName())) + " "
                                + Base64.getEncoder()
                                        .encodeToString(Sha256.jvm().digest(bytes)));
            }
        }
        return read;
    }

    @Test
    void pack_withLibdeflate_holdsWhatZlibsPackageHolds_andGivesTheSameBytesEveryTime() throws IOException {
        Assumptions.assumeTrue(Libdeflate.system().isPresent(), "no libdeflate on this machine");
        Path folder = manyFiles(dir.resolve("many"), 200, 17);
        // One file larger than the compressors' buffers, deflated in pieces by zlib in the same package.
        write(folder, "big.txt", sourceText(new Random(5), 3 * ZipPass.SMALL_FILE_BYTES));
        write(folder, "empty.txt", "");
        Files.setPosixFilePermissions(folder.resolve("pkg1/mod_1.py"), PosixFilePermissions.fromString("rwxr-xr-x"));
        CodeSource source = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());

        DeploymentPackage zlib = new CodePackager(CodePackager.MAX_DIRECT_UPLOAD_BYTES, Long.MAX_VALUE).pack(source);
        DeploymentPackage fast = new CodePackager(CodePackager.MAX_DIRECT_UPLOAD_BYTES, 0).pack(source);

        assertThat(fast.codeSha256()).as("another compressor made it").isNotEqualTo(zlib.codeSha256());
        assertThat(contents(fast.zip())).hasSize(202).isEqualTo(contents(zlib.zip()));
        assertThat(fast.sourceSha256()).isEqualTo(zlib.sourceSha256());
        assertThat(CodePackager.digestZip(fast.zip()).sourceSha256()).isEqualTo(zlib.sourceSha256());
        for (int i = 0; i < 3; i++) {
            assertThat(new CodePackager(CodePackager.MAX_DIRECT_UPLOAD_BYTES, 0)
                            .pack(source)
                            .codeSha256())
                    .isEqualTo(fast.codeSha256());
        }
        assertThatThrownBy(() -> new CodePackager(fast.size() / 3, 0).pack(source))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("zipped");
    }

    @Test
    void pack_isReadByStreamingUnzippers_withSizesInTheLocalHeaders() throws IOException {
        Path folder = manyFiles(dir.resolve("many"), 40, 3);
        write(folder, "empty.txt", "");
        DeploymentPackage pkg = pack(folder);

        Map<String, byte[]> read = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(pkg.zip()))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                // A streaming reader knows the sizes before the data only from the local header.
                assertThat(entry.getCompressedSize()).as(entry.getName()).isNotEqualTo(-1);
                read.put(entry.getName(), in.readAllBytes());
            }
        }

        assertThat(read).hasSize(41);
        for (Map.Entry<String, byte[]> entry : read.entrySet()) {
            assertThat(entry.getValue())
                    .as(entry.getKey())
                    .isEqualTo(Files.readAllBytes(folder.resolve(entry.getKey())));
        }
        // The zip carries no Zip64 records: every reader Lambda's runtimes use can open it.
        assertThat(new String(pkg.zip(), StandardCharsets.ISO_8859_1)).doesNotContain("PK\u0006\u0006");
    }

    @Test
    void pack_thatTheFastDeflateMakesTooLarge_isMadeWithTheSmallest_whenThatFits() throws IOException {
        Path folder = manyFiles(dir.resolve("many"), 60, 5);
        long fast = deflated(folder, CodePackager.FAST_LEVEL);
        long smallest = deflated(folder, Deflater.BEST_COMPRESSION);
        assertThat(smallest)
                .as("level 9 must be smaller for this test to mean anything")
                .isLessThan(fast);
        CodeSource source = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());

        // The zip's headers count against the limit as well: measured on the fast package.
        long headers = new CodePackager().pack(source).size() - fast;
        DeploymentPackage pkg = new CodePackager((fast + smallest) / 2 + headers).pack(source);

        long entries = 0;
        try (ZipFile zip = ZipFile.builder().setByteArray(pkg.zip()).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                entries += entry.getCompressedSize();
            }
        }
        assertThat(entries).isEqualTo(smallest);
        assertThatThrownBy(() -> new CodePackager(smallest / 2).pack(source))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("zipped");
    }

    /** A zip as another tool makes it: stored entries, a folder entry, its own order and timestamps. */
    private static byte[] handMadeZip(Map<String, String> files, String executable) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.putArchiveEntry(new ZipArchiveEntry("lib/"));
            zip.closeArchiveEntry();
            List<String> names = new ArrayList<>(files.keySet());
            Collections.reverse(names);
            for (String name : names) {
                ZipArchiveEntry entry = new ZipArchiveEntry(name);
                entry.setUnixMode(name.equals(executable) ? 0100775 : 0100664);
                zip.putArchiveEntry(entry);
                zip.write(files.get(name).getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void digestZip_ofAZipMadeByAnotherTool_equalsTheDigestOfTheFolderItWasMadeFrom() throws IOException {
        Path folder = sampleFolder(dir.resolve("f"));
        write(folder, "bootstrap", "#!/bin/sh\n");
        Files.setPosixFilePermissions(folder.resolve("bootstrap"), PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] other = handMadeZip(
                Map.of(
                        "app.py", "def handler(e, c):\n    return 1\n",
                        "lib/util.py", "X = 1\n",
                        "lib/data.json", "{}\n",
                        "bootstrap", "#!/bin/sh\n"),
                "bootstrap");
        DeploymentPackage ours = pack(folder);
        assertThat(CodePackager.codeSha256(other)).isNotEqualTo(ours.codeSha256());

        SourceDigest expected = new SourceDigest(ours.sourceSha256(), ours.unzippedSize());
        assertThat(CodePackager.digestZip(other)).isEqualTo(expected);
        assertThat(CodePackager.digestZip(ours.zip())).isEqualTo(expected);
    }

    @Test
    void unzip_writesTheFilesWithTheirExecutableBit_soTheFolderPacksToTheZipsDigest() throws IOException {
        byte[] zip = handMadeZip(
                Map.of("bootstrap", "#!/bin/sh\necho hi\n", "lib/util.py", "X = 1\n", "app.py", "print(1)\n"),
                "bootstrap");
        Path into = dir.resolve("out/fn");

        CodePackager.unzip(zip, into);

        assertThat(Files.readString(into.resolve("lib/util.py"))).isEqualTo("X = 1\n");
        assertThat(Files.isExecutable(into.resolve("bootstrap"))).isTrue();
        assertThat(Files.isExecutable(into.resolve("app.py"))).isFalse();
        assertThat(new CodePackager().digest(new CodeSource(into, CodeSource.Kind.FOLDER, List.of())))
                .isEqualTo(CodePackager.digestZip(zip));
    }

    @Test
    void unzip_ofAnEntryThatClimbsOutOfTheFolder_isRefusedBeforeAnythingIsWritten() throws IOException {
        for (String evil : List.of("../evil.py", "a/../../evil.py", "/etc/evil.py", "a\\..\\evil.py")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
                zip.putArchiveEntry(new ZipArchiveEntry("app.py"));
                zip.write("ok".getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
                zip.putArchiveEntry(new ZipArchiveEntry(evil));
                zip.write("evil".getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
            Path into = dir.resolve("slip/inner");

            assertThatThrownBy(() -> CodePackager.unzip(bytes.toByteArray(), into))
                    .as(evil)
                    .isInstanceOf(LambdaformException.class)
                    .hasMessageContaining("outside");
            assertThat(into.resolve("app.py")).doesNotExist();
            assertThat(dir.resolve("slip/evil.py")).doesNotExist();
        }
    }

    @Test
    void digestZip_ofBytesThatAreNotAZip_isAClearError() {
        assertThatThrownBy(() -> CodePackager.digestZip("not a zip".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("not a valid zip");
    }

    /** The total size of the folder's files deflated one by one at {@code level}. */
    private static long deflated(Path folder, int level) throws IOException {
        long total = 0;
        try (var files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Deflater deflater = new Deflater(level, true);
                deflater.setInput(Files.readAllBytes(file));
                deflater.finish();
                byte[] buffer = new byte[64 * 1024];
                while (!deflater.finished()) {
                    total += deflater.deflate(buffer);
                }
                deflater.end();
            }
        }
        return total;
    }

    @Test
    void pack_ofMoreThan65535Files_writesTheZip64RecordsAZipThatSizeNeeds() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("many-files"));
        for (int i = 0; i < 65_600; i++) {
            Files.write(folder.resolve("f" + i), new byte[] {(byte) i});
        }

        DeploymentPackage pkg = pack(folder);

        try (ZipFile zip = ZipFile.builder().setByteArray(pkg.zip()).get()) {
            assertThat(Collections.list(zip.getEntries())).hasSize(65_600);
        }
        assertThat(pack(folder).codeSha256()).isEqualTo(pkg.codeSha256());
    }

    /** Sets every file's modification time {@code seconds} ago. */
    private static void age(Path folder, int seconds) throws IOException {
        FileTime then = FileTime.fromMillis(System.currentTimeMillis() - seconds * 1000L);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, then);
            }
        }
    }

    @Test
    void digest_ofAFolderNobodyTouched_comesFromTheCache_withoutReadingAFile() throws IOException {
        Path folder = sampleFolder(dir.resolve("cached"));
        age(folder, 60);
        Path cache = dir.resolve("cache/source-digests");
        CodeSource source = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());
        SourceDigest first = new CodePackager(cache).digest(source);
        assertThat(cache).exists();

        // Same size, same time, same file: what the cache trusts, so the new contents are not even read.
        FileTime time = Files.getLastModifiedTime(folder.resolve("app.py"));
        Files.writeString(folder.resolve("app.py"), "def handler(e, c):\n    return 2\n");
        Files.setLastModifiedTime(folder.resolve("app.py"), time);
        assertThat(new CodePackager(cache).digest(source)).isEqualTo(first);
        assertThat(new CodePackager().digest(source)).isNotEqualTo(first);

        // Any other change (here the time, as an editor's save makes it) is digested again.
        Files.setLastModifiedTime(folder.resolve("app.py"), FileTime.fromMillis(time.toMillis() + 1000));
        assertThat(new CodePackager(cache).digest(source)).isEqualTo(new CodePackager().digest(source));
    }

    @Test
    void digest_ofAFolderChangedMomentsAgo_isNotCached() throws IOException {
        Path folder = sampleFolder(dir.resolve("fresh"));
        Path cache = dir.resolve("cache/source-digests");
        CodeSource source = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());

        new CodePackager(cache).digest(source);

        assertThat(cache).doesNotExist();
    }

    @Test
    void problem_findsWhatPackWouldRefuse_withoutReadingAFile_namingTheCodeAsShown() throws IOException {
        Path folder = sampleFolder(dir.resolve("fine"));
        Path script = dir.resolve("huge.py");
        Path archive = dir.resolve("huge.zip");
        for (Path sparse : List.of(script, archive)) {
            try (RandomAccessFile file = new RandomAccessFile(sparse.toFile(), "rw")) {
                file.setLength(251L * 1024 * 1024);
            }
        }

        assertThat(SourceWalk.problem(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()), "'fine'"))
                .isEmpty();
        assertThat(SourceWalk.problem(new CodeSource(script, CodeSource.Kind.FILE, List.of()), "'huge.py'"))
                .hasValueSatisfying(m -> assertThat(m)
                        .isEqualTo("the deployment package for 'huge.py' is 251.0 MB unzipped; Lambda accepts at"
                                + " most 250 MB unzipped. Make it smaller, or move dependencies to a layer."));
        assertThat(SourceWalk.problem(new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of()), "'huge.zip'"))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("the deployment package for 'huge.zip' is 251.0 MB zipped; Lambda accepts at most"
                                + " 250 MB zipped."));
        // A folder that cannot be listed: the error in words, naming no path.
        assertThat(SourceWalk.problem(new CodeSource(script, CodeSource.Kind.FOLDER, List.of()), "'huge.py'"))
                .hasValue("cannot read the folder of code 'huge.py': NotDirectoryException");
    }

    @Test
    void problem_ofATreeThousandsOfFoldersDeep_walksItWithoutRecursion_evenOnASmallStack() throws Exception {
        Path folder = dir.resolve("deep");
        Path bottom = folder;
        for (int level = 0; level < 1500; level++) {
            bottom = bottom.resolve("d");
        }
        Files.createDirectories(bottom);
        Files.writeString(bottom.resolve("app.py"), "x = 1\n");
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread small = new Thread(
                null,
                () -> {
                    try {
                        outcome.set(SourceWalk.problem(
                                new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()), "'deep'"));
                    } catch (Throwable e) {
                        outcome.set(e);
                    }
                },
                "small-stack",
                128 * 1024);

        small.start();
        small.join();

        assertThat(outcome.get()).isEqualTo(Optional.empty());
    }

    @Test
    void problem_ofLinksThatTakeMillionsOfNamesToResolve_stopsAtABudget_notAfterMinutes() throws IOException {
        // Chains of 39 links, each target 1,600 names of d/.., reached from hundreds of links: minutes of lstat calls.
        Path folder = sampleFolder(dir.resolve("costly"));
        Files.createDirectories(folder.resolve("h/d"));
        String detour = "d/../".repeat(800);
        for (int i = 0; i < 38; i++) {
            Files.createSymbolicLink(folder.resolve("h/l" + i), Path.of(detour + "l" + (i + 1)));
        }
        Files.createSymbolicLink(folder.resolve("h/l38"), Path.of(detour + "../app.py"));
        Files.createDirectories(folder.resolve("f"));
        for (int k = 0; k < 250; k++) {
            Files.createSymbolicLink(folder.resolve("f/x" + k), Path.of("../h/l0"));
        }

        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThat(SourceWalk.problem(
                                new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()), "'costly'"))
                        .hasValueSatisfying(m -> assertThat(m)
                                .startsWith("code folder 'costly' holds symbolic links that take more than 1,000,000"
                                        + " names to resolve")));
    }

    @Test
    void excludes_thatWouldMakeARegularExpressionBacktrackForHours_areMatchedAtOnce() throws IOException {
        Path folder = sampleFolder(dir.resolve("backtracking"));
        write(folder, "a".repeat(200), "x\n");
        write(folder, "a".repeat(199) + "b", "x\n");
        CodeSource source =
                new CodeSource(folder, CodeSource.Kind.FOLDER, List.of("*a*a*a*a*a*a*a*a*a*a*a*a*b", "lib/**"));

        DeploymentPackage pkg =
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new CodePackager().pack(source));

        assertThat(entries(pkg.zip()).keySet()).containsExactly("a".repeat(200), "app.py");
    }

    @Test
    void pack_ofASymbolicLinkLoop_isAnErrorNamingTheLink() throws IOException {
        Path folder = sampleFolder(dir.resolve("loop"));
        Files.createSymbolicLink(folder.resolve("lib/again"), folder.resolve("lib"));

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("contains lib/again, a symbolic link loop");
    }

    @Test
    void pack_ofABrokenSymbolicLink_isAnErrorNamingTheLink() throws IOException {
        Path folder = sampleFolder(dir.resolve("broken"));
        Files.createSymbolicLink(folder.resolve("gone.py"), folder.resolve("never-there.py"));

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("contains gone.py, a broken symbolic link: remove it or exclude it");
    }

    @Test
    void pack_ofALinkToAFolderInside_packagesItsFilesUnderTheLinksName() throws IOException {
        Path folder = sampleFolder(dir.resolve("linked"));
        Files.createSymbolicLink(folder.resolve("vendor"), folder.resolve("lib"));

        assertThat(entries(pack(folder).zip()).keySet())
                .containsExactly("app.py", "lib/data.json", "lib/util.py", "vendor/data.json", "vendor/util.py");
    }

    @Test
    void pack_excludes_matchNamesAndEndingsAtAnyDepth_andGlobsOnTheRelativePath() throws IOException {
        Path folder = sampleFolder(dir.resolve("excludes"));
        write(folder, "lib/__pycache__/util.cpython-311.pyc", "x");
        write(folder, "lib/deep/cached.pyc", "x");
        write(folder, "lib/deep/.DS_Store", "x");
        write(folder, ".git/HEAD", "ref");
        write(folder, "data1.csv", "a");
        write(folder, "data10.csv", "a");
        write(folder, "lib/deep/data2.csv", "a");
        write(folder, "lib/keep.json", "{}");
        write(folder, "notes.md.bak", "x");

        Map<String, Integer> names =
                entries(pack(folder, "lib/*.json", "data?.csv", "*.bak").zip());

        assertThat(names.keySet()).containsExactly("app.py", "data10.csv", "lib/util.py");
    }

    @Test
    void pack_ofSmallAndLargeFiles_recordsTheDigestOfTheFolder_asDigestAndTheZipsContentsSay() throws IOException {
        Path folder = manyFiles(dir.resolve("mixed"), 40, 3);
        Random random = new Random(5);
        // Larger than the buffers small files are read into: hashed and compressed from the file, in pieces.
        write(folder, "model/weights.txt", sourceText(random, 3 * 1024 * 1024 + 17));
        write(folder, "model/vocab.txt", sourceText(random, ZipPass.SMALL_FILE_BYTES));
        CodeSource source = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());

        DeploymentPackage pkg = new CodePackager().pack(source);

        assertThat(pkg.sourceSha256())
                .isEqualTo(new CodePackager().digest(source).sourceSha256());
        assertThat(CodePackager.digestZip(pkg.zip()).sourceSha256()).isEqualTo(pkg.sourceSha256());
        assertThat(pkg.unzippedSize())
                .isEqualTo(CodePackager.digestZip(pkg.zip()).unzippedSize());
    }

    @Test
    void pack_keepsTheDigestItComputed_soTheNextRunReadsNoFile() throws IOException {
        Path folder = sampleFolder(dir.resolve("packed"));
        age(folder, 60);
        Path cache = dir.resolve("cache/source-digests");
        CodeSource source = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());
        DeploymentPackage pkg = new CodePackager(cache).pack(source);

        // Same size, same time, same file: the cache answers, so the new contents are not read.
        FileTime time = Files.getLastModifiedTime(folder.resolve("app.py"));
        Files.writeString(folder.resolve("app.py"), "def handler(e, c):\n    return 2\n");
        Files.setLastModifiedTime(folder.resolve("app.py"), time);
        assertThat(new CodePackager(cache).digest(source).sourceSha256()).isEqualTo(pkg.sourceSha256());
    }

    @Test
    void aFileThatChangesSizeWhileBeingPackaged_stopsPackaging() throws IOException {
        Path file = write(dir, "growing.py", "x = 1\n");
        SourceFile seen = SourceFile.of("growing.py", file);
        Files.writeString(file, "x = 1\ny = 2\n");

        assertThatThrownBy(() -> seen.readInto(new byte[ZipPass.SMALL_FILE_BYTES]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("changed while it was being packaged");
    }

    @Test
    void pack_ofALinkToItself_isAnErrorNamingTheLink() throws IOException {
        Path folder = sampleFolder(dir.resolve("self"));
        Files.createSymbolicLink(folder.resolve("me"), folder.resolve("me"));

        assertThatThrownBy(() -> pack(folder))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("contains me, a symbolic link that cannot be followed");
    }

    @Test
    void pack_ofLinksThatMultiplyAFolder_stopsWhileWalking_whetherTheFolderHoldsFilesOrNot() throws IOException {
        // Each level links twice to the next: 2^40 paths to the last folder, which a walk to the end would never
        // finish. With a 1 MB file there, or with only a file excluded by default, so that no file is ever counted.
        for (String last : List.of("data.bin", ".DS_Store")) {
            Path folder = Files.createDirectories(dir.resolve("bomb-" + last));
            for (int level = 0; level < 40; level++) {
                Path here = Files.createDirectories(folder.resolve("d" + level));
                Path next = Files.createDirectories(folder.resolve("d" + (level + 1)));
                Files.createSymbolicLink(here.resolve("a"), next);
                Files.createSymbolicLink(here.resolve("b"), Path.of("..", "d" + (level + 1)));
            }
            Files.write(folder.resolve("d40").resolve(last), new byte[1024 * 1024]);

            assertTimeoutPreemptively(
                    Duration.ofSeconds(60),
                    () -> assertThatThrownBy(() -> pack(folder))
                            .isInstanceOf(LambdaformException.class)
                            .hasMessageContaining("more than 8 times through symbolic links to folders"));
        }
    }

    @Test
    void pack_ofAZipWhoseHeadersUnderstateItsSize_isRefusedAtLambdasLimit_whileInflating() throws IOException {
        Path archive = dir.resolve("lying.zip");
        HostileCorpus.writeLyingZip(archive, "app.py", CodePackager.MAX_UNZIPPED_BYTES + 1024 * 1024, 100);
        CodeSource source = new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of());

        assertThatThrownBy(() -> new CodePackager().pack(source))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("holds more than 250 MB unzipped")
                .hasMessageContaining("whatever its headers declare");
    }

    @Test
    void pack_ofAZipWhoseHeadersOverstateNothing_countsWhatItHolds() throws IOException {
        Path archive = dir.resolve("small-lie.zip");
        HostileCorpus.writeLyingZip(archive, "app.py", 5000, 100);

        DeploymentPackage pkg = new CodePackager().pack(new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of()));

        assertThat(pkg.unzippedSize()).isEqualTo(5000);
    }

    @Test
    void pack_ofAZipWithABzip2Entry_isRefusedNamingTheEntryAndItsMethod() throws IOException {
        Path archive = dir.resolve("bzip2.zip");
        writeBzip2Zip(archive, "lib/app.py", 100_000);
        CodeSource source = new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of());

        assertThatThrownBy(() -> new CodePackager().pack(source))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("the deployment package for " + archive + " holds lib/app.py compressed with"
                        + " bzip2 (method 12)")
                .hasMessageContaining("Lambda reads only entries stored (method 0) or deflated (method 8)");
    }

    @Test
    void pack_ofCopiesOfOneRefusedZip_inflatesItOnce_andNamesEachCopy() throws IOException {
        Path first = dir.resolve("copies/f0/code.zip");
        Files.createDirectories(first.getParent());
        HostileCorpus.writeLyingZip(first, "app.py", CodePackager.MAX_UNZIPPED_BYTES + 1024 * 1024, 100);
        CodePackager packager = new CodePackager();

        for (int i = 0; i < 20; i++) {
            Path copy = dir.resolve("copies/f" + i + "/code.zip");
            if (i > 0) {
                Files.createDirectories(copy.getParent());
                Files.copy(first, copy);
            }
            CodeSource source = new CodeSource(copy, CodeSource.Kind.ARCHIVE, List.of());
            assertThatThrownBy(() -> packager.pack(source))
                    .hasMessageContaining("the deployment package for " + copy + " holds more than 250 MB unzipped");
            assertThatThrownBy(() -> packager.digest(source)).hasMessageContaining(copy.toString());
        }

        assertThat(packager.inflations()).isEqualTo(1);
    }

    @Test
    void pack_ofCopiesOfOneZip_inflatesItOnce() throws IOException {
        byte[] zip = pack(sampleFolder(dir.resolve("f"))).zip();
        CodePackager packager = new CodePackager();

        for (int i = 0; i < 5; i++) {
            Path archive = dir.resolve("built" + i + ".zip");
            Files.write(archive, zip);
            DeploymentPackage pkg = packager.pack(new CodeSource(archive, CodeSource.Kind.ARCHIVE, List.of()));
            assertThat(pkg.zip()).isEqualTo(zip);
        }

        assertThat(packager.inflations()).isEqualTo(1);
    }

    /** A zip of one entry of {@code size} spaces compressed with bzip2 (method 12), its headers true. */
    private static void writeBzip2Zip(Path zip, String name, int size) throws IOException {
        byte[] content = new byte[size];
        Arrays.fill(content, (byte) ' ');
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream out = new BZip2CompressorOutputStream(compressed)) {
            out.write(content);
        }
        CRC32 crc = new CRC32();
        crc.update(content);
        byte[] data = compressed.toByteArray();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes =
                ByteBuffer.allocate(200 + 2 * nameBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0x04034b50).putShort((short) 46).putShort((short) 0).putShort((short) 12);
        bytes.putInt(0).putInt((int) crc.getValue()).putInt(data.length).putInt(size);
        bytes.putShort((short) nameBytes.length)
                .putShort((short) 0)
                .put(nameBytes)
                .put(data);
        int central = bytes.position();
        bytes.putInt(0x02014b50)
                .putShort((short) ((3 << 8) | 46))
                .putShort((short) 46)
                .putShort((short) 0);
        bytes.putShort((short) 12)
                .putInt(0)
                .putInt((int) crc.getValue())
                .putInt(data.length)
                .putInt(size);
        bytes.putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0);
        bytes.putShort((short) 0)
                .putShort((short) 0)
                .putInt(0100644 << 16)
                .putInt(0)
                .put(nameBytes);
        int centralSize = bytes.position() - central;
        bytes.putInt(0x06054b50)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 1)
                .putShort((short) 1);
        bytes.putInt(centralSize).putInt(central).putShort((short) 0);
        Files.write(zip, Arrays.copyOf(bytes.array(), bytes.position()));
    }
}
