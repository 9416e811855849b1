package io.lambdaform.manifest;

import io.lambdaform.ConfinedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Resolves the paths that manifests name ({@code code:}, {@code eventFile:}) and keeps them inside one root, the git
 * work tree of the manifests unless {@code --root} names another: no absolute path, no {@code ..} above the root, no
 * symbolic link that leads out of it, only regular files (and folders for code). A manifest comes from a pull request
 * that anyone can open, and a file outside the repository must never be packaged, sent or quoted.
 */
final class ConfinedFiles {
    private final SortedSet<Path> named = new TreeSet<>();
    /** Lambda's limit for a synchronous invocation's request payload. */
    static final long MAX_EVENT_BYTES = 6L * 1024 * 1024;
    /** Names that resolving paths through links may take, in all: far more than real repositories need. */
    static final long MAX_LINK_NAMES = 1_000_000;

    private final Path root;
    private final Path realRoot;
    private final Path displayBase;
    /** What resolving the paths manifests name may cost, in all, for one reading of them. */
    private final ConfinedPath.Budget budget = new ConfinedPath.Budget(MAX_LINK_NAMES);

    ConfinedFiles(Path root, Path displayBase) {
        this.root = root.toAbsolutePath().normalize();
        Path real;
        try {
            real = this.root.toRealPath();
        } catch (IOException e) {
            real = this.root;
        }
        this.realRoot = real;
        this.displayBase = displayBase;
    }

    /** What a manifest may point to. */
    enum Want {
        FILE_OR_FOLDER("code path"),
        FILE("event file"),
        /** What a build makes: it may not exist yet, and is checked once it does. */
        BUILD_OUTPUT("code path");

        private final String label;

        Want(String label) {
            this.label = label;
        }
    }

    /**
     * The path, or empty after reporting at {@code at} why it may not be read. {@code written} is the user's text,
     * relative to the folder of {@code document}.
     */
    Optional<Path> resolve(YamlDocument document, String written, Want want, Position at, Problems problems) {
        Optional<Path> resolved = check(document, written, want, at, problems);
        // Where the manifest names it, under the root as git lists it (not where a link inside leads).
        resolved.ifPresent(r -> named.add(document.file()
                .path()
                .toAbsolutePath()
                .normalize()
                .getParent()
                .resolve(written)
                .normalize()));
        return resolved;
    }

    /** Every file or folder the manifests named that was resolved, as written (absolute, under the root). */
    SortedSet<Path> named() {
        return Collections.unmodifiableSortedSet(named);
    }

    private Optional<Path> check(YamlDocument document, String written, Want want, Position at, Problems problems) {
        String label = want.label;
        if (written.isEmpty()) {
            problems.at(at, label + " is empty");
            return Optional.empty();
        }
        Path given;
        try {
            given = Path.of(written);
        } catch (InvalidPathException e) {
            problems.at(at, label + " '" + written + "' is not a valid path");
            return Optional.empty();
        }
        if (given.isAbsolute() || written.startsWith("~")) {
            problems.at(
                    at,
                    label + " '" + written + "' is absolute; write it relative to the manifest file, inside "
                            + display(root));
            return Optional.empty();
        }
        Path folder = document.file().path().toAbsolutePath().normalize().getParent();
        Path path = folder.resolve(given).normalize();
        if (!path.startsWith(root)) {
            problems.at(
                    at,
                    label + " '" + written + "' points outside " + display(root) + ", the root that files"
                            + " named by manifests must stay inside (the git work tree of the manifests, else the folder"
                            + " they were read from; --root names another)");
            return Optional.empty();
        }
        // Resolved name by name inside the root, links read rather than followed: whether a file that a link
        // outside names exists never shows.
        ConfinedPath.Resolution resolved;
        try {
            resolved = confined(realRoot, root.relativize(path));
        } catch (IOException e) {
            problems.at(at, label + " '" + written + "' cannot be resolved (" + Diagnostic.cannotRead(e) + ")");
            return Optional.empty();
        }
        switch (resolved.outcome()) {
            case OUTSIDE -> {
                problems.at(
                        at,
                        label + " '" + written + "' goes through a symbolic link that leads outside " + display(root)
                                + "; Lambdaform reads no file outside it");
                return Optional.empty();
            }
            case MISSING -> {
                if (want == Want.BUILD_OUTPUT) {
                    return Optional.of(path);
                }
                problems.at(at, label + " '" + written + "' does not exist; paths are relative to the manifest file");
                return Optional.empty();
            }
            case LOOP -> {
                problems.at(at, label + " '" + written + "' cannot be resolved: a loop of symbolic links");
                return Optional.empty();
            }
            case INSIDE -> {
                // read below
            }
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(resolved.real().orElseThrow(), BasicFileAttributes.class);
        } catch (IOException e) {
            problems.at(at, label + " '" + written + "' cannot be read (" + Diagnostic.cannotRead(e) + ")");
            return Optional.empty();
        }
        boolean folderAllowed = want != Want.FILE;
        if (!attributes.isRegularFile() && !(folderAllowed && attributes.isDirectory())) {
            problems.at(
                    at,
                    label + " '" + written + "' is "
                            + (attributes.isDirectory()
                                    ? "a folder"
                                    : "not a regular" + " file (a device, FIFO or socket)")
                            + "; it must be a regular file" + (folderAllowed ? " or a folder" : ""));
            return Optional.empty();
        }
        if (want == Want.FILE && attributes.size() > MAX_EVENT_BYTES) {
            problems.at(
                    at,
                    label + " '" + written + "' is " + attributes.size() + " bytes; Lambda accepts events of at"
                            + " most " + MAX_EVENT_BYTES + " bytes");
            return Optional.empty();
        }
        // An event file is read from where it was resolved to. Code keeps the path as written, whose last name a single
        // file is packaged under; its folders are walked from their real paths, and the path was resolved above.
        return Optional.of(want == Want.FILE ? resolved.real().orElseThrow() : path);
    }

    /**
     * Whether a path given on the command line (a manifest file or a folder of them) may be read: inside the root, it
     * is resolved without following a link out of it, so a folder of manifests that a pull request replaced with a link
     * elsewhere is neither listed nor told apart from a missing one; a path outside the root was chosen by whoever
     * runs the command.
     */
    boolean given(Path path, String name, Problems problems) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            if (Files.exists(path)) {
                return true;
            }
            problems.add(Diagnostic.inFile(name, "no such file or folder"));
            return false;
        }
        return inside(normalized, name, "no such file or folder", problems).isPresent();
    }

    /**
     * The real path of {@code normalized}, a path inside the root given on the command line, resolved without
     * following a link out of the root; empty after reporting why not ({@code missing} when nothing has its name).
     */
    private Optional<Path> inside(Path normalized, String name, String missing, Problems problems) {
        try {
            ConfinedPath.Resolution resolved = confined(realRoot, root.relativize(normalized));
            switch (resolved.outcome()) {
                case INSIDE -> {
                    return resolved.real();
                }
                case OUTSIDE ->
                    problems.add(Diagnostic.inFile(
                            name,
                            "is a symbolic link that leads outside " + display(root)
                                    + "; Lambdaform reads no manifest outside it"));
                case MISSING -> problems.add(Diagnostic.inFile(name, missing));
                case LOOP -> problems.add(Diagnostic.inFile(name, "cannot be read: a loop of symbolic links"));
            }
        } catch (IOException e) {
            problems.add(Diagnostic.inFile(name, Diagnostic.cannotRead(e)));
        }
        return Optional.empty();
    }

    /**
     * A manifest file given on the command line (a shell glob may expand to a symbolic link that a pull request
     * added): it must be a regular file whose real location is inside the root.
     */
    Optional<Path> manifest(Path file, String name, Problems problems) {
        Path normalized = file.toAbsolutePath().normalize();
        if (normalized.startsWith(root)) {
            // Inside the repository, where a pull request may have put the link: resolved without following it out.
            Optional<Path> real = inside(normalized, name, "no such file", problems);
            if (real.isPresent() && !Files.isRegularFile(real.get())) {
                problems.add(Diagnostic.inFile(name, "is not a regular file"));
                return Optional.empty();
            }
            return real.map(r -> file);
        }
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(realRoot) && !file.toAbsolutePath().normalize().equals(real)) {
                problems.add(Diagnostic.inFile(
                        name,
                        "is a symbolic link that leads outside " + display(root)
                                + "; Lambdaform reads no manifest outside it"));
                return Optional.empty();
            }
            if (!Files.isRegularFile(real)) {
                problems.add(Diagnostic.inFile(name, "is not a regular file"));
                return Optional.empty();
            }
            return Optional.of(file);
        } catch (IOException e) {
            problems.add(Diagnostic.inFile(name, Diagnostic.cannotRead(e)));
            return Optional.empty();
        }
    }

    /**
     * {@code relative} resolved inside {@code base} ({@link ConfinedPath}), spending this reading's budget: links
     * that take more names to resolve than it holds count as a loop of links, so a pull request cannot make reading
     * its manifests take minutes.
     */
    ConfinedPath.Resolution confined(Path base, Path relative) throws IOException {
        try {
            return ConfinedPath.resolve(base, relative, budget);
        } catch (ConfinedPath.Exhausted e) {
            return new ConfinedPath.Resolution(ConfinedPath.Outcome.LOOP, Optional.empty());
        }
    }

    private String display(Path path) {
        return ManifestReader.displayName(path, displayBase);
    }
}
