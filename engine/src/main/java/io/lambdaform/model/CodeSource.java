package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/** Where a function's deployment package comes from: a folder, a single file, or a prebuilt .zip/.jar archive. */
public record CodeSource(Path path, Kind kind, List<String> excludes) {
    public enum Kind {
        FOLDER,
        FILE,
        ARCHIVE
    }

    public CodeSource {
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        excludes = List.copyOf(excludes);
    }
}
