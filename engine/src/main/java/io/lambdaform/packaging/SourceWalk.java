package io.lambdaform.packaging;

import static io.lambdaform.packaging.PackagingErrors.MAX_UNZIPPED_BYTES;
import static io.lambdaform.packaging.PackagingErrors.SMALLER;
import static io.lambdaform.packaging.PackagingErrors.requireRegularFile;

import io.lambdaform.ConfinedPath;
import io.lambdaform.LambdaformException;
import io.lambdaform.PathWords;
import io.lambdaform.model.CodeSource;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files of a code source, found by a walk confined to its folder: iterative, over real paths only (a file is read
 * from where its link was resolved to, under the link's name), one lstat per file, links resolved inside the folder by
 * {@link ConfinedPath}, a folder walked at most {@value #MAX_WALKS_PER_FOLDER} times through links, and a budget of
 * names for resolving links.
 */
final class SourceWalk {
    /** More files than any package needs: where a walk stops. */
    static final int MAX_FILES = 300_000;
    /**
     * How many times one folder may be walked: once, and again through a few links to it. Links that lead twice to
     * the same next folder, level after level, would otherwise make a small tree take the walk hours, with no file
     * for {@link #MAX_FILES} to count.
     */
    static final int MAX_WALKS_PER_FOLDER = 8;
    /**
     * How many names the links of one code folder may take to resolve, in all: far more than thousands of links of a
     * real tree need, and a second or two of a walk at most.
     */
    static final long MAX_LINK_NAMES = 1_000_000;

    static final List<String> DEFAULT_EXCLUDES = List.of(".git", "__pycache__", "*.pyc", ".DS_Store");

    private SourceWalk() {}

    /** Entry name to file, sorted by name: the folder's files that are not excluded, or the one file. */
    static Map<String, SourceFile> files(CodeSource source) throws IOException {
        if (source.kind() == CodeSource.Kind.FILE) {
            requireRegularFile(
                    source.path(), MAX_UNZIPPED_BYTES, "unzipped", source.path().toString());
            String name = source.path().getFileName().toString();
            return new TreeMap<>(Map.of(name, SourceFile.of(name, source.path())));
        }
        return collect(source, source.path().toString());
    }

    /**
     * Why {@code source} could not be packaged, found without reading a file's contents: what a walk of the folder
     * refuses (links that leave it or loop, FIFOs and devices, names that are not UTF-8, unreadable folders, more than
     * Lambda's unzipped limit or {@value #MAX_FILES} files), or a file or archive over Lambda's limit. Messages name
     * the code as {@code shown} and its files relative to it. {@code validate} reports them, offline; an archive's
     * contents and the zipped size are known only once it is read or zipped, by {@code plan}.
     */
    static Optional<String> problem(CodeSource source, String shown) {
        try {
            switch (source.kind()) {
                case FOLDER -> collect(source, shown);
                case FILE -> requireRegularFile(source.path(), MAX_UNZIPPED_BYTES, "unzipped", shown);
                case ARCHIVE -> requireRegularFile(source.path(), CodePackager.MAX_STAGED_BYTES, "zipped", shown);
            }
            return Optional.empty();
        } catch (LambdaformException e) {
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            return Optional.of("cannot read " + unreadablePart(source.path(), e) + " of code " + shown + ": "
                    + PathWords.reason(e));
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The file or folder an I/O error is about, relative to the code; the code itself when it names none. */
    private static String unreadablePart(Path code, IOException e) {
        if (e instanceof FileSystemException failed && failed.getFile() != null) {
            Path file = Path.of(failed.getFile()).toAbsolutePath().normalize();
            // The walk lists real paths only.
            Path base = realPath(code);
            if (file.startsWith(base) && !file.equals(base)) {
                return PathWords.shortened(Exclusions.entryName(base.relativize(file)));
            }
        }
        return "the folder";
    }

    /** Relative entry name (with '/') to file, for every file of the folder that is not excluded. */
    private static Map<String, SourceFile> collect(CodeSource source, String shown) throws IOException {
        Path root = source.path().toRealPath();
        List<String> patterns = new ArrayList<>(DEFAULT_EXCLUDES);
        patterns.addAll(source.excludes());
        Exclusions excludes = Exclusions.of(patterns);
        Found found = new Found(shown);
        walk(root, excludes, found);
        return found.files;
    }

    /**
     * A folder to walk: {@code real}, whose files are packaged under {@code name} (relative to the root; symbolic
     * links make it differ from the real path), under the folders {@code within} (real paths, innermost first), which
     * a link in it must not lead back to.
     */
    private record Folder(Path name, Path real, Within within) {}

    /** The real paths of the folders that hold a folder, innermost first. */
    private record Within(Path real, Within outer) {
        boolean contains(Path folder) {
            for (Within at = this; at != null; at = at.outer()) {
                if (at.real().equals(folder)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Adds the files of the root and of its folders, one folder at a time (no recursion: a tree thousands of folders
     * deep takes no stack, and one folder is open at a time). A file that is not a symbolic link costs one lstat; a
     * link is resolved inside the root ({@link ConfinedPath}), and a link to a folder must not lead back to a folder
     * that holds it.
     */
    private static void walk(Path root, Exclusions excludes, Found found) throws IOException {
        Deque<Folder> folders = new ArrayDeque<>();
        folders.push(new Folder(Path.of(""), root, new Within(root, null)));
        while (!folders.isEmpty()) {
            Folder folder = folders.pop();
            // Only real paths are listed, looked at and read: a link is resolved before anything it leads to is.
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.real())) {
                for (Path entry : entries) {
                    walkEntry(root, folder, entry, excludes, found).ifPresent(folders::push);
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Adds {@code entry} (in the real folder) when it is a file to package; a folder to walk next, when it is one.
     */
    private static Optional<Folder> walkEntry(Path root, Folder folder, Path entry, Exclusions excludes, Found found)
            throws IOException {
        Path relative = folder.name().resolve(entry.getFileName());
        if (excludes.excludes(relative)) {
            return Optional.empty();
        }
        Path real = entry;
        BasicFileAttributes attributes = SourceFile.attributes(entry, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            real = resolveLink(root, entry, Exclusions.entryName(relative), found);
            attributes = SourceFile.attributes(real, LinkOption.NOFOLLOW_LINKS);
        }
        if (attributes.isDirectory()) {
            if (folder.within().contains(real)) {
                throw LambdaformException.user(
                        "code folder " + found.shown + " contains " + Exclusions.entryName(relative)
                                + ", a symbolic link loop (it leads back to a folder that holds it): remove it or"
                                + " exclude it (code.exclude)");
            }
            found.enter(real, relative);
            return Optional.of(new Folder(relative, real, new Within(real, folder.within())));
        }
        String name = Exclusions.entryName(relative);
        if (name.indexOf('\uFFFD') >= 0) {
            throw LambdaformException.user("code folder " + found.shown + " contains a file whose name is not valid"
                    + " UTF-8 (shown as " + name + "); Lambda packages name files in UTF-8: rename it or"
                    + " exclude it (code.exclude)");
        }
        if (!attributes.isRegularFile()) {
            throw LambdaformException.user("code folder " + found.shown + " contains " + name + ", which is not a"
                    + " regular file (a FIFO, device or socket); Lambdaform packages only regular files:"
                    + " remove it or exclude it (code.exclude)");
        }
        found.add(SourceFile.of(name, real, attributes));
        return Optional.empty();
    }

    /**
     * The files a walk found, refused as soon as they pass Lambda's unzipped limit or {@link #MAX_FILES}: links to
     * folders can make a small tree look enormous, and a plan must end anyway.
     */
    private static final class Found {
        final Map<String, SourceFile> files = new TreeMap<>();
        /** How messages name the code. */
        final String shown;
        /** What resolving the folder's links may cost, in all. */
        final ConfinedPath.Budget links = new ConfinedPath.Budget(MAX_LINK_NAMES);

        /** How many times each folder was walked: links to folders can make the walk exponential in them. */
        private final Map<Path, Integer> walked = new HashMap<>();

        private long bytes;

        Found(String shown) {
            this.shown = shown;
        }

        /** Counts a walk into the folder {@code real}, reached as {@code reached}. */
        void enter(Path real, Path reached) {
            if (walked.merge(real, 1, Integer::sum) > MAX_WALKS_PER_FOLDER) {
                throw LambdaformException.user(String.format(
                        "code folder %s reaches the folder %s more than %d times through symbolic links to folders;"
                                + " the files of a folder a link leads to are packaged under each link's name, so"
                                + " they would be repeated that many times: exclude links (code.exclude)",
                        shown, Exclusions.entryName(reached), MAX_WALKS_PER_FOLDER));
            }
        }

        void add(SourceFile file) {
            files.put(file.name(), file);
            bytes += file.size();
            if (bytes > MAX_UNZIPPED_BYTES) {
                throw LambdaformException.user(String.format(
                        "the deployment package for %s is more than %d MB unzipped; Lambda accepts at most %d MB"
                                + " unzipped. %s",
                        shown, MAX_UNZIPPED_BYTES / 1048576, MAX_UNZIPPED_BYTES / 1048576, SMALLER));
            }
            if (files.size() > MAX_FILES) {
                throw LambdaformException.user(String.format(
                        "the code at %s holds more than %,d files, more than any package needs (links to folders"
                                + " count each time they are followed). %s",
                        shown, MAX_FILES, SMALLER));
            }
        }
    }

    /** The real path a symbolic link leads to, which must exist inside the root. */
    private static Path resolveLink(Path root, Path link, String name, Found found) {
        String shown = found.shown;
        ConfinedPath.Resolution resolved;
        try {
            resolved = ConfinedPath.resolve(root, root.relativize(link), found.links);
        } catch (ConfinedPath.Exhausted e) {
            throw LambdaformException.user(String.format(
                    "code folder %s holds symbolic links that take more than %,d names to resolve in all (the last"
                            + " one tried: %s): simplify them or exclude them (code.exclude)",
                    shown, MAX_LINK_NAMES, name));
        } catch (IOException e) {
            throw LambdaformException.user("code folder " + shown + " contains " + name
                    + ", a symbolic link that cannot be followed (" + PathWords.reason(e) + "): remove it or exclude it"
                    + " (code.exclude)");
        }
        return switch (resolved.outcome()) {
            case INSIDE -> resolved.real().orElseThrow();
            case OUTSIDE ->
                throw LambdaformException.user("code folder " + shown + " contains " + name
                        + ", a symbolic link that leads outside the folder; Lambdaform refuses to package it."
                        + " Copy the file into the folder or exclude the link.");
            case MISSING ->
                throw LambdaformException.user("code folder " + shown + " contains " + name
                        + ", a broken symbolic link: remove it or exclude it (code.exclude)");
            case LOOP ->
                throw LambdaformException.user("code folder " + shown + " contains " + name
                        + ", a symbolic link that cannot be followed (a loop of links): remove it or exclude it"
                        + " (code.exclude)");
        };
    }
}
