package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a function's deployment package comes from: a folder, a single file, or a prebuilt .zip/.jar archive; and,
 * when the manifest declares one, the build that makes it.
 */
public record CodeSource(Path path, Kind kind, List<String> excludes, Optional<Build> build) {
    public enum Kind {
        FOLDER,
        FILE,
        ARCHIVE
    }

    public CodeSource {
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(build, "build is null");
        excludes = List.copyOf(excludes);
    }

    public CodeSource(Path path, Kind kind, List<String> excludes) {
        this(path, kind, excludes, Optional.empty());
    }

    /**
     * A command that makes the code ({@code code.path}) from its inputs, run in {@code folder} (the manifest's) only
     * when the inputs, the command or the output changed since it last succeeded.
     *
     * @param command the program and its arguments, run without a shell
     * @param inputs the files and folders whose contents decide whether to build again
     * @param folder where the command runs
     * @param timeout how long the command may run
     */
    public record Build(List<String> command, List<Path> inputs, Path folder, Duration timeout) {
        public Build {
            command = List.copyOf(command);
            inputs = List.copyOf(inputs);
            requireNonNull(folder, "folder is null");
            requireNonNull(timeout, "timeout is null");
            if (command.isEmpty()) {
                throw new IllegalArgumentException("a build needs a command");
            }
        }
    }
}
