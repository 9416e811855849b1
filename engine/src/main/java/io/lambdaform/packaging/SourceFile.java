package io.lambdaform.packaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A file to package: its entry name, where it is, and what one stat call saw of it: what changes when its contents
 * do (size, modification time, and 32 bits of its device and inode, as git's index keeps them) and its mode, normalized to 0644 or, with the
 * owner's execute bit, 0755.
 */
record SourceFile(String name, Path path, long size, long modifiedNanos, int fileKey, int mode) {
    static final int REGULAR_MODE = 0100644;
    static final int EXECUTABLE_MODE = 0100755;

    /** The file as one stat call (following links) sees it. */
    static SourceFile of(String name, Path path) throws IOException {
        return of(name, path, attributes(path));
    }

    /** The file with the {@link #attributes} read of it. */
    static SourceFile of(String name, Path path, BasicFileAttributes attributes) throws IOException {
        boolean executable = attributes instanceof PosixFileAttributes posix
                ? posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
                : Files.isExecutable(path);
        return new SourceFile(
                name,
                path,
                attributes.size(),
                attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                Objects.hashCode(attributes.fileKey()),
                executable ? EXECUTABLE_MODE : REGULAR_MODE);
    }

    /** A path's attributes from one stat call: POSIX ones (with the mode) where the file system has them. */
    static BasicFileAttributes attributes(Path path, LinkOption... options) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, options);
        } catch (UnsupportedOperationException e) {
            return Files.readAttributes(path, BasicFileAttributes.class, options);
        }
    }

    /** What the source digest records of this file before its contents. */
    byte[] header() {
        return header(name, mode, size);
    }

    /** What the source digest records of an entry before its contents. */
    static byte[] header(String name, int mode, long length) {
        return (name + "\0" + Integer.toOctalString(mode) + "\0" + length + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads the whole file into {@code buffer}; it must still hold the size the walk saw. */
    void readInto(byte[] buffer) throws IOException {
        try (FileChannel channel = FileChannel.open(path)) {
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, (int) size);
            while (target.hasRemaining() && channel.read(target) >= 0) {
                // reads until the buffer holds the file
            }
            requireUnchanged(!target.hasRemaining() && channel.size() == size);
        }
    }

    /** Fails when the file no longer holds what the walk saw: a digest of neither version would be made. */
    void requireUnchanged(boolean unchanged) throws IOException {
        if (!unchanged) {
            throw new Changed(this);
        }
    }

    /** A file changed while it was being packaged. */
    static final class Changed extends IOException {
        Changed(SourceFile file) {
            super(file.path() + " changed while it was being packaged (the walk saw " + file.size()
                    + " bytes); run the command again");
        }
    }
}
