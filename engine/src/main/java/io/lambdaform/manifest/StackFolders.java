package io.lambdaform.manifest;

import io.lambdaform.LambdaformException;
import io.lambdaform.PathWords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The stacks under a folder, each the folder of a manifest file that holds a {@code kind: Stack} document: what
 * {@code lambdaform stacks} lists, and the sets it reads. The walk is bounded (folders and files looked at, the size of
 * a file read), follows no symbolic link, and skips what never holds manifests: hidden folders ({@code .git},
 * {@code .lambdaform}), {@code node_modules} and {@code target}.
 */
public final class StackFolders {
    /** The most folders and files a walk looks at. */
    public static final int MAX_ENTRIES = 200_000;
    /** The largest manifest file looked into; a larger one is no manifest (the reader refuses them too). */
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final Set<String> SKIPPED = Set.of("node_modules", "target");
    private static final Pattern STACK_DOCUMENT =
            Pattern.compile("(?m)^kind:[ \\t]*([\"']?)Stack\\1[ \\t]*(#.*)?\\r?$");

    private StackFolders() {}

    /**
     * The folders under {@code root} (itself included) that hold a Stack document, sorted, as real paths (what git
     * names, whatever link leads to the root). A stack inside another's folder is refused: a set is its folder and
     * everything under it, so the outer one would hold two stacks.
     */
    public static List<Path> find(Path root) {
        Path start;
        try {
            start = root.toRealPath();
        } catch (IOException e) {
            throw LambdaformException.user(PathWords.shortened(root.toString()) + " is not a folder");
        }
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            throw LambdaformException.user(PathWords.shortened(root.toString()) + " is not a folder");
        }
        TreeSet<Path> found = new TreeSet<>();
        Deque<Path> folders = new ArrayDeque<>(List.of(start));
        int entries = 0;
        while (!folders.isEmpty()) {
            Path folder = folders.pop();
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder)) {
                for (Path child : listing) {
                    if (++entries > MAX_ENTRIES) {
                        throw LambdaformException.user("more than " + String.format("%,d", MAX_ENTRIES)
                                + " files and folders under " + PathWords.shortened(root.toString())
                                + ": name a folder closer to the stacks");
                    }
                    children.add(child);
                }
            } catch (IOException e) {
                continue; // a folder that cannot be listed holds no stack we can read
            }
            children.sort(null);
            for (Path child : children) {
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue;
                }
                String name = child.getFileName().toString();
                if (attributes.isDirectory()) {
                    if (!name.startsWith(".") && !SKIPPED.contains(name)) {
                        folders.push(child);
                    }
                } else if (attributes.isRegularFile()
                        && attributes.size() <= MAX_FILE_BYTES
                        && isManifestName(name)
                        && holdsStack(child)) {
                    found.add(folder);
                }
            }
        }
        Path previous = null;
        for (Path folder : found) {
            // Sorted: a folder inside another comes right after one that holds it, or after a sibling inside it.
            if (previous != null && folder.startsWith(previous)) {
                throw LambdaformException.user("stack folder "
                        + PathWords.shortened(start.relativize(folder).toString())
                        + " is inside stack folder "
                        + PathWords.shortened(start.relativize(previous).toString() + "/")
                        + ", whose set would then hold two stacks: move one beside the other");
            }
            if (previous == null || !folder.startsWith(previous)) {
                previous = folder;
            }
        }
        return List.copyOf(found);
    }

    private static boolean isManifestName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    private static boolean holdsStack(Path file) {
        try {
            return STACK_DOCUMENT
                    .matcher(Files.readString(file, StandardCharsets.UTF_8))
                    .find();
        } catch (IOException | RuntimeException e) {
            return false; // not UTF-8, or gone: the reader says why when the set is read
        }
    }
}
