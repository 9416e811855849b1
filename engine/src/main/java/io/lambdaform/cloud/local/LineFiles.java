package io.lambdaform.cloud.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files of lines in one folder, bounded in size, that several processes append to: the local cloud's invocation logs
 * ({@link LocalLogStore}) and invocation records ({@link LocalDestinations}). A line is appended under the folder's
 * lock (a file lock, and a monitor for the threads of this process), after the file is moved to its one previous
 * file when the line would take it past the bound; a line left torn by a killed writer is ended first. New files are
 * readable by their owner only, as the state is: what handlers print and are given may be secret.
 */
final class LineFiles {
    private static final Object APPENDING = new Object();

    private LineFiles() {}

    /** Appends {@code bytes} (whole lines) to {@code file}, which is moved to {@code previous} first past {@code max}. */
    static void append(Path folder, Path file, Path previous, long max, byte[] bytes) throws IOException {
        locked(folder, () -> {
            long size = size(file);
            if (size > 0 && size + bytes.length > max) {
                move(file, previous);
                size = 0;
            }
            boolean torn = size > 0 && lastByte(file) != '\n';
            try (FileChannel channel = FileChannel.open(
                    file,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                    ownerOnly(folder))) {
                ByteBuffer buffer = ByteBuffer.allocate(bytes.length + (torn ? 1 : 0));
                if (torn) {
                    buffer.put((byte) '\n');
                }
                buffer.put(bytes).flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        });
    }

    /** What must not interleave with appends to the folder's files (deleting them, say). */
    interface Work {
        void run() throws IOException;
    }

    /** Runs {@code work} under the folder's lock, the folder made first. */
    static void locked(Path folder, Work work) throws IOException {
        synchronized (APPENDING) {
            Files.createDirectories(folder);
            try (FileChannel lockFile = FileChannel.open(
                            folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockFile.lock()) {
                work.run();
            }
        }
    }

    private static long size(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private static byte lastByte(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path folder) {
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            };
        }
        return new FileAttribute<?>[0];
    }
}
