package io.lambdaform.packaging;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * SHA-256 in this process with the system's OpenSSL library, which uses the processor's SHA instructions (1.6 GB/s
 * on the machines the bench runs on, where the JVM under the launcher's C1-only JIT manages 90 MB/s). Found at fixed
 * system paths only ({@link SystemLibrary}), told before anything else never to read a configuration file (whose
 * path the environment could give, and which could load modules), and checked once against SHA-256's known answer
 * for "abc"; {@link Sha256} falls back to the {@code openssl} command or the JVM without it.
 */
final class Libcrypto {
    private static final List<Path> SYSTEM_LIBRARIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"),
            Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.3"),
            Path.of("/usr/lib64/libcrypto.so.3"),
            Path.of("/usr/lib/libcrypto.so.3"),
            Path.of("/lib/libcrypto.so.3"),
            Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.1.1"),
            Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.1.1"),
            Path.of("/usr/lib64/libcrypto.so.1.1"),
            Path.of("/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib"),
            Path.of("/usr/local/opt/openssl@3/lib/libcrypto.3.dylib"));

    /**
     * OpenSSL's {@code OPENSSL_INIT_NO_LOAD_CONFIG} and {@code OPENSSL_INIT_NO_ATEXIT}: no configuration file, and no
     * clean-up when the JVM exits, which could free what a daemon thread is still hashing with.
     */
    private static final long NO_LOAD_CONFIG = 0x00000080L | 0x00080000L;

    private static final byte[] ABC_DIGEST = Sha256.ABC_DIGEST;

    /** Bytes copied to native memory and hashed at a time. */
    private static final int CHUNK = 256 * 1024;

    /** OpenSSL's functions (JNA's direct mapping: one native call each). */
    private static final class Functions {
        static native int OPENSSL_init_crypto(long options, Pointer settings);

        static native Pointer EVP_sha256();

        static native Pointer EVP_MD_CTX_new();

        static native void EVP_MD_CTX_free(Pointer context);

        static native int EVP_DigestInit_ex(Pointer context, Pointer type, Pointer engine);

        static native int EVP_DigestUpdate(Pointer context, Pointer data, long count);

        static native int EVP_DigestFinal_ex(Pointer context, Pointer digest, Pointer size);
    }

    private static final Optional<Libcrypto> SYSTEM = load();

    private Libcrypto() {}

    /** The system's OpenSSL library once it passed its check; empty where there is none. */
    static Optional<Libcrypto> system() {
        return SYSTEM;
    }

    private static Optional<Libcrypto> load() {
        try {
            if (!SystemLibrary.bind(Functions.class, SYSTEM_LIBRARIES)
                    || Functions.OPENSSL_init_crypto(NO_LOAD_CONFIG, null) != 1) {
                return Optional.empty();
            }
            Libcrypto library = new Libcrypto();
            byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
            try (Sha256.Incremental hasher = library.incremental()) {
                hasher.update(abc, 0, abc.length);
                return hasher.digest().filter(d -> Arrays.equals(d, ABC_DIGEST)).map(d -> library);
            }
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A SHA-256 for one thread at a time. */
    Sha256.Incremental incremental() {
        return new Hasher();
    }

    private static final class Hasher implements Sha256.Incremental {
        private final Memory scratch = new Memory(CHUNK);
        private Pointer context;
        private boolean failed;

        Hasher() {
            context = Functions.EVP_MD_CTX_new();
            failed = context == null || Functions.EVP_DigestInit_ex(context, Functions.EVP_sha256(), null) != 1;
        }

        @Override
        public void update(byte[] buffer, int offset, int length) {
            for (int done = 0; done < length && !failed; ) {
                int n = Math.min(CHUNK, length - done);
                scratch.write(0, buffer, offset + done, n);
                failed = Functions.EVP_DigestUpdate(context, scratch, n) != 1;
                done += n;
            }
        }

        @Override
        public Optional<byte[]> digest() {
            Optional<byte[]> digest = Optional.empty();
            if (!failed && context != null) {
                Memory out = new Memory(64);
                if (Functions.EVP_DigestFinal_ex(context, out, null) == 1) {
                    digest = Optional.of(out.getByteArray(0, 32));
                }
            }
            close();
            failed = true;
            return digest;
        }

        @Override
        public void close() {
            if (context != null) {
                Functions.EVP_MD_CTX_free(context);
                context = null;
            }
        }
    }
}
