package io.lambdaform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Resolves a path inside a folder the way the kernel would, one name at a time, without ever looking outside the
 * folder: each symbolic link is read, not followed, and its target is resolved the same way, so a link that leads out
 * is known as such before anything there is touched. {@link Path#toRealPath} would follow it, and whether the file it
 * names exists would then show in the message, an answer about the deployer's machine to whoever wrote the link in a
 * pull request.
 */
public final class ConfinedPath {
    /** As many links as Linux follows in one path before it gives up (ELOOP). */
    static final int MAX_LINKS = 40;

    private ConfinedPath() {}

    /** What resolving a path inside a folder found. */
    public enum Outcome {
        /** The path is inside the folder, and exists. */
        INSIDE,
        /** The path, or a link on the way, leads out of the folder (whether anything is there was not looked at). */
        OUTSIDE,
        /** The path stays inside the folder, where nothing has its name (or a name on the way is not a folder). */
        MISSING,
        /** More than {@value #MAX_LINKS} links on the way: a loop of links. */
        LOOP
    }

    /** The outcome, and the real path when it is {@link Outcome#INSIDE}. */
    public record Resolution(Outcome outcome, Optional<Path> real) {
        static Resolution of(Outcome outcome) {
            return new Resolution(outcome, Optional.empty());
        }
    }

    /**
     * How many names resolutions may look at in all: a link target may hold thousands of names ({@code d/../d/..}),
     * and a tree may hold thousands of links, so what a pull request can make a walk spend is bounded.
     */
    public static final class Budget {
        private long left;

        public Budget(long names) {
            this.left = names;
        }

        void spend() {
            if (--left < 0) {
                throw new Exhausted();
            }
        }
    }

    /** Thrown when a {@link Budget} is spent. */
    public static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("too many names to resolve", null, false, false);
        }
    }

    /** Resolves {@code relative} against {@code root} with a budget of its own, as large as the kernel's limits allow. */
    public static Resolution resolve(Path root, Path relative) throws IOException {
        return resolve(root, relative, new Budget((MAX_LINKS + 1) * 4096L));
    }

    /**
     * Resolves {@code relative} against {@code root}, a real path (no links in it), spending {@code budget} (one per
     * name; {@link Exhausted} when spent). Only paths inside {@code root} are ever looked at; an I/O error there (a
     * folder that may not be searched) is thrown.
     */
    public static Resolution resolve(Path root, Path relative, Budget budget) throws IOException {
        Deque<Path> names = new ArrayDeque<>();
        push(names, relative);
        Path current = root;
        int links = 0;
        while (!names.isEmpty()) {
            Path name = names.pollFirst();
            budget.spend();
            if (name.toString().isEmpty() || name.toString().equals(".")) {
                continue;
            }
            if (name.toString().equals("..")) {
                if (current.equals(root)) {
                    return Resolution.of(Outcome.OUTSIDE);
                }
                current = current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException | NotDirectoryException e) {
                return Resolution.of(Outcome.MISSING);
            }
            if (attributes.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    return Resolution.of(Outcome.LOOP);
                }
                Path target = Files.readSymbolicLink(next);
                if (target.isAbsolute()) {
                    // Compared name by name as written, never normalized: "root/a/.." is not "root" when a is a link.
                    if (!target.startsWith(root)) {
                        return Resolution.of(Outcome.OUTSIDE);
                    }
                    current = root;
                    if (target.getNameCount() > root.getNameCount()) {
                        push(names, target.subpath(root.getNameCount(), target.getNameCount()));
                    }
                } else {
                    push(names, target);
                }
                continue;
            }
            if (!names.isEmpty() && !attributes.isDirectory()) {
                return Resolution.of(Outcome.MISSING);
            }
            current = next;
        }
        return new Resolution(Outcome.INSIDE, Optional.of(current));
    }

    /** Puts the names of {@code path} in front of those still to resolve. */
    private static void push(Deque<Path> names, Path path) {
        // Names stay paths: a name that is not valid in the platform's charset survives the round trip.
        for (int i = path.getNameCount() - 1; i >= 0; i--) {
            names.addFirst(path.getName(i));
        }
    }
}
