package io.lambdaform.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a package is written: memory in chunks of {@link #CHUNK} bytes outside the Java heap, so that writing n bytes
 * costs O(n) and a garbage collection during packaging has none of it to copy, and a SHA-256 that follows the bytes as
 * they come, so that Lambda's CodeSha256 is known as soon as the zip is. Writing past {@code limit} bytes fails with
 * {@link LimitExceeded}, so a package that cannot be uploaded never takes more memory than Lambda would accept. Once
 * {@linkplain #abandon abandoned}, writes are dropped.
 */
final class ZipBuffer extends OutputStream {
    private static final int CHUNK = 1024 * 1024;

    private final long limit;
    private final Sha256.Incremental sha256;
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private long size;
    private boolean abandoned;

    ZipBuffer(long limit, Sha256.Incremental sha256) {
        this.limit = limit;
        this.sha256 = sha256;
    }

    /** Thrown when a write would take the buffer past its limit. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (abandoned) {
            return;
        }
        if (size + length > limit) {
            throw new LimitExceeded(limit);
        }
        sha256.update(bytes, offset, length);
        for (int done = 0; done < length; ) {
            if (size % CHUNK == 0) {
                chunks.add(ByteBuffer.allocateDirect(CHUNK));
            }
            ByteBuffer chunk = chunks.get(chunks.size() - 1);
            int n = Math.min(length - done, chunk.remaining());
            chunk.put(bytes, offset + done, n);
            done += n;
            size += n;
        }
    }

    /** Drops what was written and what will be, and stops the hash. */
    void abandon() {
        abandoned = true;
        chunks.clear();
        size = 0;
        sha256.close();
    }

    /** The bytes written. */
    byte[] toByteArray() {
        byte[] bytes = new byte[Math.toIntExact(size)];
        for (int i = 0; i < chunks.size(); i++) {
            chunks.get(i).get(0, bytes, i * CHUNK, chunks.get(i).position());
        }
        return bytes;
    }

    /** The SHA-256 of the bytes written; empty when OpenSSL failed on the way. */
    Optional<byte[]> sha256() {
        return sha256.digest();
    }

    @Override
    public void close() {
        sha256.close();
    }
}
