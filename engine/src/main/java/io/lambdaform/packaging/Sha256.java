package io.lambdaform.packaging;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * SHA-256 of many bytes at the processor's speed. The launcher runs the JVM with the C1 compiler only, which starts
 * fastest but leaves SHA-256 in Java code, about 90 MB/s; OpenSSL uses the processor's SHA instructions (1.6 GB/s on
 * the machines the bench runs on). So an input of at least {@link #OFFLOAD_BYTES} is hashed by the system's OpenSSL
 * library in this process ({@link Libcrypto}) or, where that is not found, piped to {@code openssl dgst -sha256
 * -binary}. Both are looked for only at fixed system paths, never through {@code PATH} or the library path, which a CI
 * job may point into the repository being planned, and checked once per process against a known answer. Whenever
 * they are missing or fail, the JVM hashes the same bytes: the digest never depends on which one computed it.
 */
final class Sha256 {
    /** Below this, starting a process costs more than hashing in the JVM. */
    static final long OFFLOAD_BYTES = 8L * 1024 * 1024;

    private static final List<Path> SYSTEM_OPENSSL =
            List.of(Path.of("/usr/bin/openssl"), Path.of("/bin/openssl"), Path.of("/usr/local/bin/openssl"));
    static final byte[] ABC_DIGEST =
            HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    private static final Sha256 SYSTEM = new Sha256(Libcrypto::system, SYSTEM_OPENSSL);

    /** A sink for bytes that may fail. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] buffer, int offset, int length) throws IOException;
    }

    /** Writes every byte to be hashed into the sink; called a second time when OpenSSL failed on the way. */
    @FunctionalInterface
    interface Feed {
        void into(Sink sink) throws IOException;
    }

    /** A SHA-256 computed as the bytes arrive. Closing it unfinished stops OpenSSL. */
    interface Incremental extends AutoCloseable {
        void update(byte[] buffer, int offset, int length);

        /** The digest of the bytes given; empty when OpenSSL failed on the way: they must be hashed again. */
        Optional<byte[]> digest();

        @Override
        void close();
    }

    private final Supplier<Optional<Libcrypto>> inProcess;
    private final List<Path> candidates;
    /** The OpenSSL to use, and its check against a known answer, which runs beside its first use. */
    private Optional<Path> openssl;

    private CompletableFuture<Boolean> checked;

    /**
     * A hasher that offloads to OpenSSL's library in this process when {@code inProcess} gives one (asked on the
     * first large input), else to the first of {@code candidates} that is an executable, working {@code openssl}.
     */
    Sha256(Supplier<Optional<Libcrypto>> inProcess, List<Path> candidates) {
        this.inProcess = inProcess;
        this.candidates = List.copyOf(candidates);
    }

    /** The hasher of this process: OpenSSL from the system's folders. */
    static Sha256 system() {
        return SYSTEM;
    }

    /** The digest of what {@code feed} writes, about {@code length} bytes. */
    byte[] digest(long length, Feed feed) throws IOException {
        try (Incremental hasher = incremental(length)) {
            feed.into(hasher::update);
            Optional<byte[]> digest = hasher.digest();
            if (digest.isPresent()) {
                return digest.get();
            }
        }
        MessageDigest digest = jvm();
        feed.into(digest::update);
        return digest.digest();
    }

    /** The digest of {@code bytes}. */
    byte[] digest(byte[] bytes) {
        try {
            return digest(bytes.length, sink -> sink.write(bytes, 0, bytes.length));
        } catch (IOException e) {
            throw new IllegalStateException("hashing bytes in memory cannot fail", e);
        }
    }

    /**
     * A hasher for about {@code length} bytes: from {@link #OFFLOAD_BYTES} on OpenSSL, in this process or else as a
     * command, when it works; else the JVM.
     */
    Incremental incremental(long length) {
        if (length >= OFFLOAD_BYTES) {
            Optional<Libcrypto> library = inProcess.get();
            if (library.isPresent()) {
                return library.get().incremental();
            }
            Optional<OpenSsl> started = openssl().flatMap(OpenSsl::start);
            if (started.isPresent()) {
                return started.get().onFailure(this::disable).trusted(checked());
            }
        }
        return new Jvm();
    }

    /** Whether OpenSSL computes large digests (for tests). */
    boolean offloads() {
        return openssl().isPresent() && checked().join();
    }

    /** The first executable OpenSSL, whose check starts with this first call; empty when none is usable. */
    private synchronized Optional<Path> openssl() {
        if (openssl == null) {
            openssl = candidates.stream().filter(Files::isExecutable).findFirst();
            Optional<Path> command = openssl;
            CompletableFuture<Boolean> check = new CompletableFuture<>();
            checked = check;
            Thread thread = new Thread(() -> {
                boolean answers = false;
                try {
                    answers = command.filter(Sha256::answersAbc).isPresent();
                } finally {
                    check.complete(answers);
                }
            });
            thread.setName("lambdaform-openssl-check");
            thread.setDaemon(true);
            thread.start();
        }
        return openssl;
    }

    private synchronized CompletableFuture<Boolean> checked() {
        return checked;
    }

    /** After a failure the JVM hashes everything for the rest of the process. */
    private synchronized void disable() {
        openssl = Optional.empty();
    }

    /** Whether the command gives SHA-256's known answer for "abc". */
    private static boolean answersAbc(Path command) {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        return OpenSsl.start(command)
                .flatMap(hasher -> {
                    try (hasher) {
                        hasher.update(abc, 0, abc.length);
                        return hasher.digest();
                    }
                })
                .filter(digest -> Arrays.equals(digest, ABC_DIGEST))
                .isPresent();
    }

    static MessageDigest jvm() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM's SHA-256. */
    private static final class Jvm implements Incremental {
        private final MessageDigest digest = jvm();

        @Override
        public void update(byte[] buffer, int offset, int length) {
            digest.update(buffer, offset, length);
        }

        @Override
        public Optional<byte[]> digest() {
            return Optional.of(digest.digest());
        }

        @Override
        public void close() {}
    }

    /** {@code openssl dgst -sha256 -binary}, fed through its standard input. */
    private static final class OpenSsl implements Incremental {
        private static final int ANSWER_SECONDS = 10;

        private final Process process;
        private final OutputStream input;
        private Runnable onFailure = () -> {};
        private CompletableFuture<Boolean> trusted = CompletableFuture.completedFuture(true);
        private boolean failed;

        private OpenSsl(Process process) {
            this.process = process;
            this.input = process.getOutputStream();
        }

        /**
         * Starts OpenSSL with nothing of this process's environment (no configuration, module or engine path can
         * make it load a library) in the root folder; it is stopped if it has not answered {@link #ANSWER_SECONDS}
         * after its input ended.
         */
        static Optional<OpenSsl> start(Path command) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command.toString(), "dgst", "-sha256", "-binary")
                        .directory(new File("/"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
                builder.environment().clear();
                return Optional.of(new OpenSsl(builder.start()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        OpenSsl onFailure(Runnable action) {
            this.onFailure = action;
            return this;
        }

        /** Gives its digest only once {@code check} says that this OpenSSL computes SHA-256 right. */
        OpenSsl trusted(CompletableFuture<Boolean> check) {
            this.trusted = check;
            return this;
        }

        @Override
        public void update(byte[] buffer, int offset, int length) {
            if (failed) {
                return;
            }
            try {
                input.write(buffer, offset, length);
            } catch (IOException e) {
                fail();
            }
        }

        @Override
        public Optional<byte[]> digest() {
            if (failed) {
                return Optional.empty();
            }
            try (InputStream output = process.getInputStream()) {
                input.close();
                // Reading waits for OpenSSL to answer and exit; one that hangs is ended, which ends the read.
                CompletableFuture.delayedExecutor(ANSWER_SECONDS, TimeUnit.SECONDS)
                        .execute(process::destroyForcibly);
                byte[] digest = output.readNBytes(33);
                if (process.waitFor(ANSWER_SECONDS, TimeUnit.SECONDS)
                        && process.exitValue() == 0
                        && digest.length == 32
                        && trusted.join()) {
                    return Optional.of(digest);
                }
            } catch (IOException e) {
                // OpenSSL stopped reading or answering: the JVM hashes the bytes again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fail();
            return Optional.empty();
        }

        private void fail() {
            failed = true;
            process.destroyForcibly();
            onFailure.run();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
