package io.lambdaform.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The arguments of commands that take manifest paths and then names (invoke, logs): an existing file, or a folder
 * that holds manifests, is a path; anything else is a name, and so is a path given a second time (its last name). A function's code folder beside the manifests (what
 * import writes) is therefore a name, not a path. No path given means the current folder.
 */
record PathsAndNames(List<Path> paths, List<String> names) {
    /** How deep a folder is searched for a manifest when telling a path from a name. */
    private static final int MANIFEST_DEPTH = 4;

    static PathsAndNames of(List<String> arguments) {
        List<Path> paths = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> given = new HashSet<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (!given.add(argument)) {
                // Named twice: `invoke hello hello` in a folder holding hello/ (a folder named after its function)
                // means the manifests in hello/, then the function hello.
                names.add(
                        path.getFileName() == null
                                ? argument
                                : path.getFileName().toString());
            } else if (Files.isRegularFile(path) || (Files.isDirectory(path) && holdsManifests(path))) {
                paths.add(path);
            } else {
                names.add(argument);
            }
        }
        if (paths.isEmpty()) {
            paths.add(Path.of("."));
        }
        return new PathsAndNames(List.copyOf(paths), List.copyOf(names));
    }

    private static boolean holdsManifests(Path folder) {
        try (Stream<Path> files = Files.walk(folder, MANIFEST_DEPTH)) {
            return files.anyMatch(f -> {
                String name = f.getFileName().toString();
                return (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(f);
            });
        } catch (IOException | UncheckedIOException e) {
            return true; // unreadable: let the manifest reader say what is wrong with it
        }
    }
}
