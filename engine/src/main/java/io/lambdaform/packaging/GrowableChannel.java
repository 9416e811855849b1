package io.lambdaform.packaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * An in-memory seekable channel whose buffer doubles as it fills, so that writing n bytes costs O(n). (The
 * commons-compress in-memory channel grows by exactly what each write needs, copying its whole buffer every time:
 * quadratic, 60 s for 45 MB.) The zip writer needs a seekable target to write sizes into local headers instead of
 * data descriptors, which keeps the package's bytes the same as before. Writing past {@code limit} bytes fails, so a
 * package that cannot be uploaded never takes more memory than Lambda would accept.
 */
final class GrowableChannel implements SeekableByteChannel {
    private final long limit;
    private byte[] data = new byte[64 * 1024];
    private int size;
    private int position;
    private boolean open = true;

    GrowableChannel(long limit) {
        this.limit = limit;
    }

    /** Thrown when a write would take the channel past its limit. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        requireOpen();
        if (position >= size) {
            return -1;
        }
        int n = Math.min(dst.remaining(), size - position);
        dst.put(data, position, n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        requireOpen();
        int n = src.remaining();
        long end = (long) position + n;
        if (end > limit) {
            throw new LimitExceeded(limit);
        }
        if (end > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(Math.max(end, 2L * data.length), Integer.MAX_VALUE - 8));
        }
        src.get(data, position, n);
        position = (int) end;
        size = Math.max(size, position);
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        requireOpen();
        if (newPosition < 0 || newPosition > Integer.MAX_VALUE - 8) {
            throw new IOException("position out of range: " + newPosition);
        }
        position = (int) newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        if (newSize < size) {
            size = (int) newSize;
        }
        position = Math.min(position, size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    /** A copy of the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    private void requireOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
