package io.lambdaform.cloud.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One execution environment's private folder: a fresh read-only copy of the package as the task root, a writable
 * {@code tmp} folder, kept across the environment's invocations as Lambda keeps /tmp while it reuses an environment.
 * Closing it deletes all of it, so nothing a handler writes reaches another
 * environment. A process killed while an environment lives cannot: the folder is named after the process and holds a
 * file it keeps locked, and the first environment of a later process removes the folders of processes that are no
 * longer alive.
 */
final class EnvironmentFolder implements AutoCloseable {
    static final String PREFIX = "lambdaform-invoke-";
    /** The file the owning process keeps locked (an OS lock, released with the process however it ends). */
    static final String OWNER_LOCK = "owner.lock";
    /**
     * How old a folder whose owner cannot be told (no lock yet, or named by an earlier version) must be to count as
     * left over: no invocation lasts more than Lambda's 15 minutes.
     */
    static final Duration UNOWNED_AGE = Duration.ofHours(1);

    private static final AtomicBoolean SWEPT = new AtomicBoolean();

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
    private static final Set<PosixFilePermission> READ_ONLY_EXECUTABLE = PosixFilePermissions.fromString("r-xr-xr-x");
    private static final Set<PosixFilePermission> OWNER_ALL = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private FileChannel owner;

    private EnvironmentFolder(Path root) {
        this.root = root;
    }

    /**
     * Creates the folder in the system's temporary folder, with a copy of {@code pristine} as the task root. The first
     * time in a process, removes what invocations of processes that were killed left there.
     */
    static EnvironmentFolder create(Path pristine) {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        if (SWEPT.compareAndSet(false, true)) {
            sweep(temp);
        }
        Path root;
        try {
            root = Files.createTempDirectory(
                    temp, PREFIX + ProcessHandle.current().pid() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EnvironmentFolder folder = new EnvironmentFolder(root);
        try {
            folder.owner =
                    FileChannel.open(root.resolve(OWNER_LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            folder.owner.lock();
            copyReadOnly(pristine, folder.taskRoot());
            Files.createDirectory(folder.tmp());
            return folder;
        } catch (IOException | RuntimeException e) {
            folder.close();
            if (e instanceof IOException) {
                throw new UncheckedIOException((IOException) e);
            }
            throw (RuntimeException) e;
        }
    }

    Path taskRoot() {
        return root.resolve("task");
    }

    /** The handler's TMPDIR and HOME. */
    Path tmp() {
        return root.resolve("tmp");
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (IOException e) {
                // Closing releases the lock; the folder goes all the same.
            }
        }
        deleteRecursively(root);
    }

    /**
     * Removes the invocation folders in {@code temp} that processes no longer alive left behind: a process killed
     * during an invocation (SIGKILL, a crash) cannot delete its own. A folder is another run's, and kept, while the
     * process it is named after is alive or while its lock is held (a process of another PID namespace sharing the
     * folder); a folder with no lock to ask, or of an earlier version (named without a process), is removed only once
     * older than {@link #UNOWNED_AGE}. Best effort.
     */
    static void sweep(Path temp) {
        long self = ProcessHandle.current().pid();
        Instant unownedBefore = Instant.now().minus(UNOWNED_AGE);
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path folder : folders) {
                String[] parts = folder.getFileName()
                        .toString()
                        .substring(PREFIX.length())
                        .split("-");
                OptionalLong pid = parts.length == 2 ? parse(parts[0]) : OptionalLong.empty();
                if (pid.isPresent()
                        && (pid.getAsLong() == self
                                || ProcessHandle.of(pid.getAsLong())
                                        .filter(ProcessHandle::isAlive)
                                        .isPresent())) {
                    continue;
                }
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        && ownerEnded(folder, pid.isPresent(), unownedBefore)) {
                    deleteRecursively(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A leftover folder costs disk space only.
        }
    }

    /**
     * Whether the process that made the folder has ended: its lock is free, or it has none and is old. Not when that
     * cannot be told (another user's folder).
     */
    private static boolean ownerEnded(Path folder, boolean named, Instant unownedBefore) {
        Path lockFile = folder.resolve(OWNER_LOCK);
        try {
            if (named && Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                        FileLock lock = channel.tryLock()) {
                    return lock != null;
                }
            }
            return Files.getLastModifiedTime(folder, LinkOption.NOFOLLOW_LINKS)
                    .toInstant()
                    .isBefore(unownedBefore);
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    private static OptionalLong parse(String digits) {
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Makes the files of a folder read-only (for users other than root), keeping its folders writable so it can be removed. */
    static void makeFilesReadOnly(Path folder) throws IOException {
        if (!POSIX) {
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile()) {
                    Files.setPosixFilePermissions(file, Files.isExecutable(file) ? READ_ONLY_EXECUTABLE : READ_ONLY);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Copies a tree; files and folders of the copy are read-only (permissions do not bind root: see the docs). */
    private static void copyReadOnly(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectory(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!attributes.isRegularFile()) {
                    return FileVisitResult.CONTINUE;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                Files.copy(file, copy);
                if (POSIX) {
                    Files.setPosixFilePermissions(copy, Files.isExecutable(file) ? READ_ONLY_EXECUTABLE : READ_ONLY);
                } else {
                    copy.toFile().setWritable(false);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (POSIX) {
                    Files.setPosixFilePermissions(
                            target.resolve(source.relativize(dir).toString()), READ_ONLY_EXECUTABLE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Best effort, and through folders a handler made unreadable or read-only: they are ours to open again. */
    static void deleteRecursively(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                if (POSIX) {
                    Files.setPosixFilePermissions(path, OWNER_ALL);
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                    for (Path entry : entries) {
                        deleteRecursively(entry);
                    }
                }
            } else if (!POSIX) {
                path.toFile().setWritable(true);
            }
            Files.deleteIfExists(path);
        } catch (IOException | SecurityException e) {
            // A leftover in the temporary folder is harmless; the next invocation gets a folder of its own anyway.
        }
    }
}
