package io.lambdaform.cloud.local;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The last bytes of a handler's output, however much it writes: a ring of fixed capacity, and a count of what fell
 * out of it. Memory grows with what is written up to the capacity, and stays there whether the handler prints one
 * line or a gigabyte.
 */
final class LogTail {
    /** What an invocation's log keeps of its handler's output. Lambda's LogResult returns only the last 4 KB. */
    static final int DEFAULT_CAPACITY = 1024 * 1024;

    private final int capacity;
    /** The kept bytes: linear while fewer than the capacity were written (grown as they come), then a ring. */
    private byte[] ring;

    private long total;

    LogTail(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.ring = new byte[Math.min(capacity, 8 * 1024)];
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        if (total + length <= capacity) {
            if (total + length > ring.length) {
                ring = Arrays.copyOf(ring, (int) Math.min(capacity, Math.max(2L * ring.length, total + length)));
            }
            System.arraycopy(bytes, offset, ring, (int) total, length);
            total += length;
            return;
        }
        if (ring.length < capacity) {
            ring = Arrays.copyOf(ring, capacity);
        }
        if (length >= capacity) {
            offset += length - capacity;
            total += length - capacity;
            length = capacity;
        }
        int position = (int) (total % capacity);
        int first = Math.min(length, capacity - position);
        System.arraycopy(bytes, offset, ring, position, first);
        System.arraycopy(bytes, offset + first, ring, 0, length - first);
        total += length;
    }

    /** How many bytes were written in all. */
    synchronized long total() {
        return total;
    }

    /** How many bytes were written but are no longer kept. */
    synchronized long dropped() {
        return Math.max(0, total - capacity);
    }

    /**
     * The kept output as text, preceded by a line saying how much was dropped when something was. A character cut in
     * two by the start of the ring is skipped.
     */
    synchronized String text() {
        byte[] kept;
        if (total <= capacity) {
            kept = Arrays.copyOf(ring, (int) total);
        } else {
            int position = (int) (total % capacity);
            kept = new byte[capacity];
            System.arraycopy(ring, position, kept, 0, capacity - position);
            System.arraycopy(ring, 0, kept, capacity - position, position);
        }
        int start = 0;
        if (total > capacity) {
            while (start < Math.min(3, kept.length) && (kept[start] & 0xC0) == 0x80) {
                start++;
            }
        }
        String text = new String(kept, start, kept.length - start, StandardCharsets.UTF_8);
        long dropped = dropped() + start;
        if (dropped == 0) {
            return text;
        }
        return String.format(
                        Locale.ROOT,
                        "[lambdaform] %d bytes of handler output were dropped; the log keeps the" + " last %d bytes%n",
                        dropped,
                        kept.length - start)
                + text;
    }
}
