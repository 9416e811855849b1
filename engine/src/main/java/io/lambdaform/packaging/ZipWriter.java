package io.lambdaform.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the zips Lambdaform uploads: entries already deflated, with their CRC-32 and sizes in the local headers (no
 * data descriptors), names in UTF-8 (flag 11), the fixed time 1980-02-01 00:00, Unix modes, no extra fields, and
 * Zip64 end records only from 65,535 entries on (APPNOTE 6.3, sections 4.3 and 4.4). These are the
 * bytes commons-compress writes for such entries (a test holds them equal); writing them directly costs a fraction of
 * its per-entry work, which shows with thousands of files.
 */
final class ZipWriter {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int VERSION = 20;
    private static final int ZIP64_VERSION = 45;
    private static final int UNIX = 3;
    private static final int UTF8_NAMES = 1 << 11;
    private static final int DEFLATED = 8;
    /** 1980-02-01 in MS-DOS date format ((year - 1980) << 9 | month << 5 | day); the time is 00:00. */
    private static final int DOS_DATE = 2 << 5 | 1;

    private static final long MAX_32 = 0xFFFFFFFFL;
    private static final int MAX_ENTRIES_16 = 0xFFFF;

    private final OutputStream out;
    private final ByteArrayOutputStream central = new ByteArrayOutputStream();
    private long written;
    private long entries;

    ZipWriter(OutputStream out) {
        this.out = out;
    }

    /** Adds a file entry of {@code size} bytes, deflated into {@code deflated}. */
    void add(String name, int mode, long crc, long size, byte[] deflated) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 0xFFFF) {
            throw new IOException("the name of " + name.substring(0, 64) + "... is longer than a zip allows");
        }
        if (size > MAX_32 || deflated.length > MAX_32 || written > MAX_32) {
            throw new IOException("entry " + name + " needs Zip64 sizes, which Lambda's limits never reach");
        }
        // Both headers hold the same fields from the flags to the extra field's length.
        Header local = new Header(30 + nameBytes.length)
                .int32(LOCAL_HEADER)
                .int16(VERSION)
                .entry(crc, deflated.length, size, nameBytes.length)
                .bytes(nameBytes);
        Header centralEntry = new Header(46 + nameBytes.length)
                .int32(CENTRAL_HEADER)
                .int16(UNIX << 8 | VERSION)
                .int16(VERSION)
                .entry(crc, deflated.length, size, nameBytes.length)
                .int16(0) // comment length
                .int16(0) // disk
                .int16(0) // internal attributes
                .int32((long) mode << 16)
                .int32(written)
                .bytes(nameBytes);
        write(local.bytes);
        write(deflated);
        central.write(centralEntry.bytes);
        entries++;
    }

    /** Writes the central directory and the end records. */
    void finish() throws IOException {
        long centralOffset = written;
        long centralSize = central.size();
        if (centralOffset > MAX_32) {
            throw new IOException("the zip needs a Zip64 offset, which Lambda's limits never reach");
        }
        write(central.toByteArray());
        if (entries >= MAX_ENTRIES_16) {
            long zip64End = written;
            write(new Header(56)
                    .int32(ZIP64_END)
                    .int64(44)
                    .int16(ZIP64_VERSION)
                    .int16(ZIP64_VERSION)
                    .int32(0)
                    .int32(0)
                    .int64(entries)
                    .int64(entries)
                    .int64(centralSize)
                    .int64(centralOffset)
                    .bytes);
            write(new Header(20).int32(ZIP64_LOCATOR).int32(0).int64(zip64End).int32(1).bytes);
        }
        int count = (int) Math.min(entries, MAX_ENTRIES_16);
        write(new Header(22)
                .int32(END)
                .int16(0)
                .int16(0)
                .int16(count)
                .int16(count)
                .int32(centralSize)
                .int32(centralOffset)
                .int16(0)
                .bytes);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes, 0, bytes.length);
        written += bytes.length;
    }

    /** A record being filled, little-endian. */
    private static final class Header {
        final byte[] bytes;
        private int position;

        Header(int size) {
            bytes = new byte[size];
        }

        Header int16(int value) {
            bytes[position++] = (byte) value;
            bytes[position++] = (byte) (value >>> 8);
            return this;
        }

        Header int32(long value) {
            for (int i = 0; i < 4; i++) {
                bytes[position++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        Header int64(long value) {
            for (int i = 0; i < 8; i++) {
                bytes[position++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        /** Flags, method, time, date, CRC-32, sizes, name length and no extra field: what both headers of an entry hold. */
        Header entry(long crc, long compressedSize, long size, int nameLength) {
            return int16(UTF8_NAMES)
                    .int16(DEFLATED)
                    .int16(0)
                    .int16(DOS_DATE)
                    .int32(crc)
                    .int32(compressedSize)
                    .int32(size)
                    .int16(nameLength)
                    .int16(0);
        }

        Header bytes(byte[] value) {
            System.arraycopy(value, 0, bytes, position, value.length);
            position += value.length;
            return this;
        }
    }
}
