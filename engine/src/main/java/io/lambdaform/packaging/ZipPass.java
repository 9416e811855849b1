package io.lambdaform.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One pass that zips a source's files. A reader thread reads each file once, in name order, into one of a few reused
 * {@link Buffers}, feeds it to the source digest (when asked) and hands it to a compressor thread, which deflates it
 * on its own (a file over {@link #SMALL_FILE_BYTES} the reader hashes and deflates itself, in pieces); the calling
 * thread writes the entries into the zip in name order as they complete, with their sizes in
 * the local headers, so the bytes depend only on the contents, and the zip's SHA-256 (Lambda's CodeSha256) follows
 * the bytes as they are written. Memory stays bounded and the collector idle: read files wait for a compressor only
 * in the buffers, each entry is dropped once written, and the pass stops once the entries pass the zipped limit.
 */
final class ZipPass {
    /** Files up to this size are read into a buffer; larger ones are read, hashed and deflated in pieces. */
    static final int SMALL_FILE_BYTES = 1024 * 1024;

    private static final int BUFFER = 64 * 1024;
    /** Compressors keep a larger output buffer only while it serves one file. */
    private static final int KEPT_OUTPUT_BYTES = 4 * 1024 * 1024;

    /** Raw deflaters by level, one set per compressing thread, made on first use and reset for every file. */
    private static final ThreadLocal<Deflater[]> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater[Deflater.BEST_COMPRESSION + 1]);
    /** libdeflate's compressors by level, one set per compressing thread, where the system has libdeflate. */
    private static final ThreadLocal<Libdeflate.Compressor[]> NATIVE =
            ThreadLocal.withInitial(() -> new Libdeflate.Compressor[Deflater.BEST_COMPRESSION + 1]);

    /** Each compressing thread's output buffer, reused from file to file. */
    private static final ThreadLocal<byte[]> OUTPUT = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    /** The buffers small files are read into, {@code count} at most, shared by the passes of one packager. */
    static final class Buffers {
        private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
        private final AtomicInteger made = new AtomicInteger();
        private final int count;

        Buffers(int count) {
            this.count = count;
        }

        /** A free buffer, made while fewer than {@code count} exist, else the next one given back. */
        byte[] take() throws InterruptedException {
            byte[] buffer = free.poll();
            if (buffer != null) {
                return buffer;
            }
            if (made.incrementAndGet() <= count) {
                return new byte[SMALL_FILE_BYTES];
            }
            made.decrementAndGet();
            return free.take();
        }

        void give(byte[] buffer) {
            free.add(buffer);
        }
    }

    /**
     * A zip, its CodeSha256, the source digest when the pass computed it, and what deflated it: {@code libdeflate}
     * when it deflated any entry (zlib the larger files), else {@code zlib}.
     */
    record Result(byte[] zip, String codeSha256, Optional<byte[]> sourceSha256, String deflater) {}

    private final List<SourceFile> files;
    private final Optional<Libdeflate> libdeflate;
    private final int level;
    private final long zippedLimit;
    private final Executor compressors;
    private final Buffers buffers;
    private final List<CompletableFuture<Optional<Compressed>>> entries;
    private final CompletableFuture<Optional<byte[]>> sourceSha256 = new CompletableFuture<>();
    private final AtomicLong compressedBytes = new AtomicLong();
    private volatile boolean stopped;

    private ZipPass(
            List<SourceFile> files,
            Optional<Libdeflate> libdeflate,
            int level,
            long zippedLimit,
            Executor compressors,
            Buffers buffers) {
        this.files = files;
        this.libdeflate = libdeflate;
        this.level = level;
        this.zippedLimit = zippedLimit;
        this.compressors = compressors;
        this.buffers = buffers;
        this.entries = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            entries.add(new CompletableFuture<>());
        }
    }

    /**
     * The files zipped at {@code level} (by {@code libdeflate} when given, a file of at most {@link
     * #SMALL_FILE_BYTES} at a time, else by zlib), with the source digest of their {@code unzipped} bytes when {@code
     * hashSource} (and OpenSSL or the JVM could compute it); empty when the zip passes {@code zippedLimit}.
     */
    static Optional<Result> run(
            List<SourceFile> files,
            long unzipped,
            Optional<Libdeflate> libdeflate,
            int level,
            long zippedLimit,
            boolean hashSource,
            Executor reader,
            Executor compressors,
            Buffers buffers)
            throws IOException {
        ZipPass pass = new ZipPass(files, libdeflate, level, zippedLimit, compressors, buffers);
        reader.execute(() -> pass.read(hashSource, unzipped));
        return pass.assemble(unzipped);
    }

    /**
     * Reads every file once, in name order, until the pass stops: a small one into a buffer, hashed here and deflated
     * by a compressor; a large one in pieces, hashed and deflated here (one deflate stream is one thread's work
     * anyway). The hash is started here too (OpenSSL, for much code), while the first files are being compressed.
     * Whatever happens, every entry and the source digest end completed.
     */
    private void read(boolean hashSource, long unzipped) {
        int next = 0;
        Optional<Sha256.Incremental> hasher = Optional.empty();
        Optional<byte[]> digest = Optional.empty();
        try {
            hasher = hashSource ? Optional.of(Sha256.system().incremental(unzipped)) : Optional.empty();
            boolean whole = true;
            for (; next < files.size() && !stopped && !over(); next++) {
                SourceFile file = files.get(next);
                CompletableFuture<Optional<Compressed>> entry = entries.get(next);
                if (file.size() <= SMALL_FILE_BYTES) {
                    readSmall(file, entry, hasher);
                } else {
                    Optional<Compressed> compressed = compress(file, null, hasher);
                    entry.complete(compressed);
                    whole &= compressed.isPresent();
                }
            }
            if (whole && next == files.size()) {
                digest = hasher.flatMap(Sha256.Incremental::digest);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(next++, new InterruptedIOException("packaging interrupted"));
        } catch (Throwable e) {
            fail(next++, e);
        } finally {
            hasher.ifPresent(Sha256.Incremental::close);
            for (int i = next; i < files.size(); i++) {
                entries.get(i).complete(Optional.empty());
            }
            sourceSha256.complete(digest);
        }
    }

    /** Reads a small file into a buffer, hands it to a compressor and hashes it, both at once. */
    private void readSmall(
            SourceFile file, CompletableFuture<Optional<Compressed>> entry, Optional<Sha256.Incremental> hasher)
            throws IOException, InterruptedException {
        byte[] buffer = buffers.take();
        try {
            file.readInto(buffer);
        } catch (IOException | RuntimeException e) {
            buffers.give(buffer);
            throw e;
        }
        // The buffer is free again once deflated and, when hashed, hashed.
        AtomicInteger users = new AtomicInteger(hasher.isPresent() ? 2 : 1);
        Runnable release = () -> {
            if (users.decrementAndGet() == 0) {
                buffers.give(buffer);
            }
        };
        compressors.execute(() -> {
            try {
                complete(entry, () -> compress(file, buffer, Optional.empty()));
            } finally {
                release.run();
            }
        });
        if (hasher.isPresent()) {
            byte[] header = file.header();
            hasher.get().update(header, 0, header.length);
            hasher.get().update(buffer, 0, (int) file.size());
            release.run();
        }
    }

    /** The reader failed at entry {@code index} (or after the last one, computing the digest). */
    private void fail(int index, Throwable failure) {
        if (index < entries.size()) {
            entries.get(index).completeExceptionally(failure);
        }
    }

    /** Something that deflates one file. */
    @FunctionalInterface
    private interface Compression {
        Optional<Compressed> run() throws IOException;
    }

    private static void complete(CompletableFuture<Optional<Compressed>> entry, Compression compression) {
        try {
            entry.complete(compression.run());
        } catch (Throwable e) {
            entry.completeExceptionally(e);
        }
    }

    /**
     * Writes the entries into the zip in name order as they complete; empty when they pass the zipped limit (the
     * files not read by then never are).
     */
    private Optional<Result> assemble(long unzipped) throws IOException {
        // Source code deflates to about a third: the zip's hash goes to OpenSSL when that is large.
        ZipBuffer buffer = new ZipBuffer(zippedLimit, Sha256.system().incremental(unzipped / 3));
        try (buffer) {
            ZipWriter out = new ZipWriter(buffer);
            boolean libdeflated = false;
            for (int i = 0; i < entries.size(); i++) {
                Optional<Compressed> compressed = take(i);
                if (compressed.isEmpty()) {
                    return stop(buffer);
                }
                Compressed entry = compressed.get();
                libdeflated |= entry.libdeflated();
                out.add(entry.name(), entry.mode(), entry.crc(), entry.size(), entry.bytes());
            }
            out.finish();
            byte[] zip = buffer.toByteArray();
            byte[] sha256 = buffer.sha256().orElseGet(() -> Sha256.jvm().digest(zip));
            return Optional.of(new Result(
                    zip,
                    Base64.getEncoder().encodeToString(sha256),
                    digestOfSource(),
                    libdeflated ? "libdeflate" : "zlib"));
        } catch (ZipBuffer.LimitExceeded e) {
            return stop(buffer);
        } catch (IOException | RuntimeException e) {
            stop(buffer);
            throw e;
        }
    }

    /** The next deflated file in name order, forgotten by the pass once taken. */
    private Optional<Compressed> take(int index) throws IOException {
        try {
            Optional<Compressed> entry = entries.get(index).get();
            entries.set(index, null);
            return entry;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("packaging interrupted");
        }
    }

    private Optional<byte[]> digestOfSource() throws IOException {
        try {
            return sourceSha256.get();
        } catch (ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("packaging interrupted");
        }
    }

    /** Gives the pass up: the reader stops, and what was written is dropped. */
    private Optional<Result> stop(ZipBuffer buffer) {
        stopped = true;
        buffer.abandon();
        return Optional.empty();
    }

    private boolean over() {
        return compressedBytes.get() > zippedLimit;
    }

    /** One file, deflated on its own. */
    private record Compressed(String name, int mode, long crc, long size, byte[] bytes, boolean libdeflated) {}

    /**
     * The file deflated, from the {@code buffer} it was read into, else read from the file in pieces, each also fed
     * to {@code hasher}; empty once the package's entries pass the zipped limit.
     */
    private Optional<Compressed> compress(SourceFile file, byte[] buffer, Optional<Sha256.Incremental> hasher)
            throws IOException {
        if (stopped || over()) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        if (buffer != null && libdeflate.isPresent()) {
            Libdeflate.Compressor[] natives = NATIVE.get();
            if (natives[level] == null) {
                natives[level] = libdeflate.get().compressor(level, SMALL_FILE_BYTES);
            }
            int size = (int) file.size();
            crc.update(buffer, 0, size);
            byte[] deflated = natives[level].deflate(buffer, size);
            if (compressedBytes.addAndGet(deflated.length) > zippedLimit) {
                return Optional.empty();
            }
            return Optional.of(new Compressed(file.name(), file.mode(), crc.getValue(), size, deflated, true));
        }
        // One deflater per thread and level: zlib's state is a few hundred KB, which the C library would map and
        // clear again for each of thousands of files.
        Deflater[] deflaters = DEFLATERS.get();
        if (deflaters[level] == null) {
            deflaters[level] = new Deflater(level, true);
        }
        Deflater deflater = deflaters[level];
        deflater.reset();
        Output out = new Output(OUTPUT.get());
        long size;
        if (buffer != null) {
            size = file.size();
            crc.update(buffer, 0, (int) size);
            deflater.setInput(buffer, 0, (int) size);
            out.deflate(deflater);
        } else {
            size = 0;
            byte[] header = file.header();
            hasher.ifPresent(h -> h.update(header, 0, header.length));
            try (InputStream in = Files.newInputStream(file.path())) {
                byte[] chunk = new byte[BUFFER];
                for (int n = in.read(chunk); n >= 0 && !over(); n = in.read(chunk)) {
                    int length = n;
                    hasher.ifPresent(h -> h.update(chunk, 0, length));
                    crc.update(chunk, 0, n);
                    size += n;
                    deflater.setInput(chunk, 0, n);
                    out.deflate(deflater);
                }
            }
            file.requireUnchanged(size == file.size() || over());
        }
        out.finish(deflater);
        OUTPUT.set(out.bytes.length <= KEPT_OUTPUT_BYTES ? out.bytes : new byte[BUFFER]);
        if (over()) {
            return Optional.empty();
        }
        return Optional.of(new Compressed(
                file.name(), file.mode(), crc.getValue(), size, Arrays.copyOf(out.bytes, out.length), false));
    }

    /** Deflated bytes of one file, in a buffer that doubles when full; each addition counts toward the limit. */
    private final class Output {
        byte[] bytes;
        int length;

        Output(byte[] bytes) {
            this.bytes = bytes;
        }

        /** Takes what the deflater gives of its input. */
        void deflate(Deflater deflater) {
            while (!deflater.needsInput() && !over()) {
                take(deflater);
            }
        }

        /** Takes the rest, once the input is complete. */
        void finish(Deflater deflater) {
            deflater.finish();
            while (!deflater.finished() && !over()) {
                take(deflater);
            }
        }

        private void take(Deflater deflater) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, 2 * bytes.length);
            }
            int n = deflater.deflate(bytes, length, bytes.length - length);
            length += n;
            compressedBytes.addAndGet(n);
        }
    }
}
