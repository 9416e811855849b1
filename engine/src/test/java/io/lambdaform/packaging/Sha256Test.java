package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SHA-256 through OpenSSL gives the JVM's digest, and every way OpenSSL can be missing, wrong or failing ends with the
 * JVM's digest too. The failing "OpenSSL"s are shell scripts: the real one cannot be made to fail on demand.
 */
class Sha256Test {
    private static final Path SYSTEM_OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path dir;

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private static byte[] jvm(byte[] bytes) {
        return Sha256.jvm().digest(bytes);
    }

    /** The digest of {@code bytes} fed in pieces of 64 KB, as packaging feeds files. */
    private static byte[] inPieces(Sha256 sha256, byte[] bytes) throws IOException {
        return sha256.digest(bytes.length, sink -> {
            for (int at = 0; at < bytes.length; at += 65536) {
                sink.write(bytes, at, Math.min(65536, bytes.length - at));
            }
        });
    }

    private Path script(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void largeInputs_areHashedByTheSystemsOpenSsl_toTheJvmsDigest() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(SYSTEM_OPENSSL), "no OpenSSL at " + SYSTEM_OPENSSL);
        Sha256 sha256 = new Sha256(Optional::empty, List.of(SYSTEM_OPENSSL));
        byte[] bytes = random(20 * 1024 * 1024 + 13);

        assertThat(sha256.offloads()).isTrue();
        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
        assertThat(sha256.digest(bytes)).isEqualTo(jvm(bytes));
    }

    @Test
    void largeInputs_areHashedInThisProcessByOpenSslsLibrary_toTheJvmsDigest() throws IOException {
        Assumptions.assumeTrue(Libcrypto.system().isPresent(), "no OpenSSL library on this machine");
        // Its command is broken: the library hashes.
        Sha256 sha256 = new Sha256(Libcrypto::system, List.of(script("openssl", "exit 1")));
        byte[] bytes = random(20 * 1024 * 1024 + 13);

        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
        assertThat(sha256.digest(bytes)).isEqualTo(jvm(bytes));
        try (Sha256.Incremental hasher = sha256.incremental(Sha256.OFFLOAD_BYTES)) {
            hasher.update(bytes, 7, 3 * 1024 * 1024 + 1);
            assertThat(hasher.digest()).contains(jvm(Arrays.copyOfRange(bytes, 7, 3 * 1024 * 1024 + 8)));
            assertThat(hasher.digest()).as("a hasher gives its digest once").isEmpty();
        }
    }

    @Test
    void smallInputs_stayInTheJvm() throws IOException {
        Sha256 sha256 = new Sha256(Optional::empty, List.of(script("openssl", "exit 1")));
        byte[] bytes = random(1000);

        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
    }

    @Test
    void noOpenSsl_meansTheJvm() throws IOException {
        Sha256 sha256 = new Sha256(Optional::empty, List.of(dir.resolve("missing/openssl")));
        byte[] bytes = random(9 * 1024 * 1024);

        assertThat(sha256.offloads()).isFalse();
        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
    }

    @Test
    void anOpenSslThatGivesAWrongAnswer_isNotTrusted() throws IOException {
        // 32 bytes, exit 0: a digest in form, but not SHA-256's answer for "abc".
        Sha256 sha256 =
                new Sha256(Optional::empty, List.of(script("openssl", "cat > /dev/null; head -c 32 /dev/zero")));
        byte[] bytes = random(9 * 1024 * 1024);

        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
        assertThat(sha256.offloads()).isFalse();
    }

    @Test
    void anOpenSslThatStopsReadingHalfWay_leavesTheDigestToTheJvm() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(SYSTEM_OPENSSL), "no OpenSSL at " + SYSTEM_OPENSSL);
        // Right for the check's three bytes; gone after 100 KB of a large input, so the writes break.
        Path openssl = script(
                "openssl",
                "n=$(head -c 102400 | wc -c); if [ \"$n\" -lt 102400 ]; then printf abc | " + SYSTEM_OPENSSL
                        + " dgst -sha256 -binary; else exit 3; fi");
        Sha256 sha256 = new Sha256(Optional::empty, List.of(openssl));
        byte[] bytes = random(12 * 1024 * 1024);

        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
        assertThat(sha256.offloads())
                .as("a failure turns OpenSSL off for the process")
                .isFalse();
        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
    }

    @Test
    void anOpenSslThatFailsAtTheEnd_leavesTheDigestToTheJvm() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(SYSTEM_OPENSSL), "no OpenSSL at " + SYSTEM_OPENSSL);
        Path openssl = script(
                "openssl",
                "n=$(wc -c); if [ \"$n\" -lt 100 ]; then printf abc | " + SYSTEM_OPENSSL
                        + " dgst -sha256 -binary; else exit 3; fi");
        Sha256 sha256 = new Sha256(Optional::empty, List.of(openssl));
        byte[] bytes = random(9 * 1024 * 1024);

        assertThat(inPieces(sha256, bytes)).isEqualTo(jvm(bytes));
    }

    @Test
    void theDigestIsStandardSha256() throws Exception {
        byte[] bytes = random(9 * 1024 * 1024);

        assertThat(Sha256.system().digest(bytes))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
