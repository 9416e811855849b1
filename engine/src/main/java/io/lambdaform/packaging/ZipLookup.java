package io.lambdaform.packaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Finds entries of a zip (or jar) through its central directory and reads one of them, without trusting it: the
 * directory is read only when it is at most {@value #MAX_DIRECTORY_BYTES} bytes, an entry only up to a limit the
 * caller sets ({@link BeyondBounds} past them), whatever its headers declare, and anything malformed is an
 * {@link IOException}. Validation reads a
 * handler's class or module this way, not the whole archive.
 */
final class ZipLookup {
    /** A central directory larger than this (some 200,000 entries) is not read. */
    static final int MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

    private static final int END = 0x06054b50;
    private static final int END_LENGTH = 22;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int CENTRAL_LENGTH = 46;
    private static final int LOCAL = 0x04034b50;
    private static final int LOCAL_LENGTH = 30;
    private static final int UNIX = 3;
    private static final long MASK32 = 0xFFFFFFFFL;

    private final SeekableByteChannel channel;
    private final ByteBuffer directory;
    /** Where the archive starts in the channel: bytes before it (a launch script) shift every offset. */
    private final long shift;

    private ZipLookup(SeekableByteChannel channel, ByteBuffer directory, long shift) {
        this.channel = channel;
        this.directory = directory;
        this.shift = shift;
    }

    /** One entry as the central directory describes it. */
    record Entry(
            String name,
            int method,
            long compressedSize,
            long size,
            long localHeaderOffset,
            int flags,
            int madeBy,
            long externalAttributes) {
        /** The entry's unix mode, when the tool that made the zip recorded one. */
        Optional<Integer> unixMode() {
            int mode = (int) (externalAttributes >>> 16);
            return (madeBy >>> 8) == UNIX && mode != 0 ? Optional.of(mode) : Optional.empty();
        }

        boolean isDirectory() {
            return name.endsWith("/");
        }
    }

    /** Reads the end records and the central directory of the zip in {@code channel}, which stays the caller's. */
    static ZipLookup open(SeekableByteChannel channel) throws IOException {
        long size = channel.size();
        int tail = (int) Math.min(size, END_LENGTH + 65535);
        if (tail < END_LENGTH) {
            throw new IOException("not a zip archive (too short)");
        }
        ByteBuffer end = read(channel, size - tail, tail);
        int at = -1;
        for (int i = tail - END_LENGTH; i >= 0; i--) {
            if (end.getInt(i) == END && i + END_LENGTH + (end.getShort(i + 20) & 0xFFFF) <= tail) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new IOException("not a zip archive (no end of central directory)");
        }
        long endOffset = size - tail + at;
        long directorySize = end.getInt(at + 12) & MASK32;
        long directoryOffset = end.getInt(at + 16) & MASK32;
        long directoryEnd = endOffset;
        // A zip64 archive has its own end record before the locator that precedes this one: its values count.
        if (endOffset >= 20 + 56) {
            ByteBuffer locator = read(channel, endOffset - 20, 20);
            if (locator.getInt(0) == ZIP64_LOCATOR) {
                long recordAt = endOffset - 20 - 56;
                ByteBuffer record = read(channel, recordAt, 56);
                if (record.getInt(0) != ZIP64_END) {
                    // A record with extensible data is longer: where the locator says.
                    recordAt = locator.getLong(8);
                    if (recordAt < 0 || recordAt > endOffset - 20 - 56) {
                        throw new IOException("damaged zip64 archive (end record outside the file)");
                    }
                    record = read(channel, recordAt, 56);
                    if (record.getInt(0) != ZIP64_END) {
                        throw new IOException("damaged zip64 archive (no zip64 end record)");
                    }
                }
                directorySize = record.getLong(40);
                directoryOffset = record.getLong(48);
                directoryEnd = recordAt;
            }
        }
        if (directorySize < 0 || directorySize > MAX_DIRECTORY_BYTES) {
            throw new BeyondBounds("its central directory is larger than " + MAX_DIRECTORY_BYTES / (1024 * 1024)
                    + " MB, more than is looked into");
        }
        long shift = directoryEnd - directorySize - directoryOffset;
        if (directoryOffset < 0 || shift < 0 || directoryEnd - directorySize < 0) {
            throw new IOException("damaged zip archive (central directory outside the file)");
        }
        return new ZipLookup(channel, read(channel, directoryEnd - directorySize, (int) directorySize), shift);
    }

    /** The bytes of the central directory. */
    long directorySize() {
        return directory.limit();
    }

    /** The entry named {@code name}, when the directory holds one. */
    Optional<Entry> find(String name) throws IOException {
        List<Entry> found = entries(name::equals, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The first {@code max} entries whose name {@code wanted} accepts, in the directory's order. */
    List<Entry> entries(Predicate<String> wanted, int max) throws IOException {
        List<Entry> entries = new ArrayList<>();
        ByteBuffer in = directory.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int position = 0;
        while (position + CENTRAL_LENGTH <= in.limit() && entries.size() < max) {
            if (in.getInt(position) != CENTRAL) {
                throw new IOException("damaged zip archive (a central directory record is not one)");
            }
            int nameLength = in.getShort(position + 28) & 0xFFFF;
            int extraLength = in.getShort(position + 30) & 0xFFFF;
            int commentLength = in.getShort(position + 32) & 0xFFFF;
            int next = position + CENTRAL_LENGTH + nameLength + extraLength + commentLength;
            if (next > in.limit()) {
                throw new IOException("damaged zip archive (a central directory record is cut short)");
            }
            byte[] nameBytes = new byte[nameLength];
            in.get(position + CENTRAL_LENGTH, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            if (wanted.test(name)) {
                entries.add(entry(in, position, name, nameLength, extraLength));
            }
            position = next;
        }
        return entries;
    }

    private static Entry entry(ByteBuffer in, int at, String name, int nameLength, int extraLength) throws IOException {
        long compressed = in.getInt(at + 20) & MASK32;
        long size = in.getInt(at + 24) & MASK32;
        long offset = in.getInt(at + 42) & MASK32;
        // The zip64 extra field holds, in this order, each value the record marks as too large for 32 bits.
        int extra = at + CENTRAL_LENGTH + nameLength;
        int extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
            int id = in.getShort(extra) & 0xFFFF;
            int length = in.getShort(extra + 2) & 0xFFFF;
            int data = extra + 4;
            if (data + length > extraEnd) {
                break;
            }
            if (id == 0x0001) {
                int field = data;
                if (size == MASK32 && field + 8 <= data + length) {
                    size = in.getLong(field);
                    field += 8;
                }
                if (compressed == MASK32 && field + 8 <= data + length) {
                    compressed = in.getLong(field);
                    field += 8;
                }
                if (offset == MASK32 && field + 8 <= data + length) {
                    offset = in.getLong(field);
                }
            }
            extra = data + length;
        }
        if (size < 0 || compressed < 0 || offset < 0) {
            throw new IOException("damaged zip archive (entry " + name + " has a negative size or offset)");
        }
        return new Entry(
                name,
                in.getShort(at + 10) & 0xFFFF,
                compressed,
                size,
                offset,
                in.getShort(at + 8) & 0xFFFF,
                in.getShort(at + 4) & 0xFFFF,
                in.getInt(at + 38) & MASK32);
    }

    /**
     * The bytes of {@code entry}, stored or deflated, when it holds at most {@code limit} bytes; what it actually
     * inflates to is counted, whatever its headers declare.
     */
    byte[] read(Entry entry, int limit) throws IOException {
        if ((entry.flags() & 1) != 0) {
            throw new IOException(entry.name() + " is encrypted");
        }
        if (entry.size() > limit) {
            throw new BeyondBounds(
                    entry.name() + " holds " + entry.size() + " bytes, more than the " + limit + " looked into");
        }
        long local = shift + entry.localHeaderOffset();
        if (local + LOCAL_LENGTH > channel.size()) {
            throw new IOException("damaged zip archive (entry " + entry.name() + " starts outside the file)");
        }
        ByteBuffer header = read(channel, local, LOCAL_LENGTH);
        if (header.getInt(0) != LOCAL) {
            throw new IOException("damaged zip archive (no local header for " + entry.name() + ")");
        }
        long data = local + LOCAL_LENGTH + (header.getShort(26) & 0xFFFF) + (header.getShort(28) & 0xFFFF);
        int size = (int) entry.size();
        return switch (entry.method()) {
            case 0 -> {
                if (entry.compressedSize() != entry.size() || data + size > channel.size()) {
                    throw new IOException("damaged zip archive (stored entry " + entry.name() + " is cut short)");
                }
                yield read(channel, data, size).array();
            }
            case 8 -> inflate(entry, data, size);
            default ->
                throw new IOException(entry.name() + " is compressed with method " + entry.method()
                        + ", neither stored nor deflated");
        };
    }

    private byte[] inflate(Entry entry, long data, int size) throws IOException {
        // A deflated entry is never much larger than what it holds: more input than that is not read.
        long available = Math.min(entry.compressedSize(), channel.size() - data);
        int input = (int) Math.min(available, size + size / 8L + 1024);
        if (input < 0) {
            throw new IOException("damaged zip archive (entry " + entry.name() + " starts outside the file)");
        }
        byte[] compressed = read(channel, data, input).array();
        byte[] out = new byte[size];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            int written = 0;
            while (written < size && !inflater.finished()) {
                int n = inflater.inflate(out, written, size - written);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                written += n;
            }
            byte[] probe = new byte[1];
            if (written != size || (!inflater.finished() && inflater.inflate(probe) > 0)) {
                throw new IOException("damaged zip archive (" + entry.name() + " does not inflate to the " + size
                        + " bytes its header says)");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException("damaged zip archive (" + entry.name() + " is not valid deflate data)", e);
        } finally {
            inflater.end();
        }
    }

    private static ByteBuffer read(SeekableByteChannel channel, long position, int length) throws IOException {
        if (position < 0 || length < 0 || position + length > channel.size()) {
            throw new IOException("damaged zip archive (a record lies outside the file)");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        channel.position(position);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("damaged zip archive (cut short)");
            }
        }
        return buffer.flip();
    }
}
