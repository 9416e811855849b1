package io.lambdaform.cloud.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One invocation's private folder: a fresh read-only copy of the package as the task root, a writable {@code tmp}
 * folder, and the event and result files the runner reads and writes. Closing it deletes all of it, so nothing a
 * handler writes reaches the next invocation.
 */
final class InvocationFolder implements AutoCloseable {
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");
    private static final Set<PosixFilePermission> READ_ONLY_EXECUTABLE = PosixFilePermissions.fromString("r-xr-xr-x");
    private static final Set<PosixFilePermission> OWNER_ALL = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    private InvocationFolder(Path root) {
        this.root = root;
    }

    /** Creates the folder in the system's temporary folder, with a copy of {@code pristine} as the task root. */
    static InvocationFolder create(Path pristine) {
        Path root;
        try {
            root = Files.createTempDirectory("lambdaform-invoke-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        InvocationFolder folder = new InvocationFolder(root);
        try {
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

    Path event() {
        return root.resolve("event.json");
    }

    Path result() {
        return root.resolve("result.json");
    }

    @Override
    public void close() {
        deleteRecursively(root);
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
