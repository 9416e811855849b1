package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemLibraryTest {
    private static final Path ZLIB = Path.of("/usr/lib/x86_64-linux-gnu/libz.so.1");

    @TempDir
    Path dir;

    /** Functions zlib has. */
    private static final class Zlib {
        static native Pointer zlibVersion();
    }

    /** Another function zlib has. */
    private static final class ZlibCrc {
        static native long crc32(long crc, byte[] bytes, int length);
    }

    /** A function zlib does not have. */
    private static final class NotZlib {
        static native Pointer libdeflate_alloc_compressor(int level);
    }

    @Test
    void binds_theFirstCandidateThatExists() {
        Assumptions.assumeTrue(Files.isRegularFile(ZLIB), "no zlib at " + ZLIB);

        assertThat(SystemLibrary.bind(Zlib.class, List.of(dir.resolve("missing.so"), ZLIB)))
                .isTrue();
        assertThat(Zlib.zlibVersion().getString(0)).startsWith("1.");
    }

    @Test
    void binds_theNextCandidate_whenOneIsNoLibrary() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ZLIB), "no zlib at " + ZLIB);
        Path notALibrary = Files.writeString(dir.resolve("libfake.so"), "not a library");

        assertThat(SystemLibrary.bind(ZlibCrc.class, List.of(notALibrary, ZLIB)))
                .isTrue();
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(ZlibCrc.crc32(0, abc, abc.length)).isEqualTo(0x352441C2L);
    }

    @Test
    void refuses_aLibraryWithoutTheFunctions_aRelativePath_andAFileThatIsNoLibrary() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ZLIB), "no zlib at " + ZLIB);
        Path notALibrary = Files.writeString(dir.resolve("libfake.so"), "not a library");

        assertThat(SystemLibrary.bind(NotZlib.class, List.of(ZLIB))).isFalse();
        assertThat(SystemLibrary.bind(Zlib.class, List.of(Path.of("libz.so.1"))))
                .isFalse();
        assertThat(SystemLibrary.bind(NotZlib.class, List.of(notALibrary))).isFalse();
        assertThat(SystemLibrary.bind(NotZlib.class, List.of())).isFalse();
    }
}
