package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

/** A place in a manifest file; line and column count from 1. */
public record Position(SourceFile file, int line, int column) {
    public Position {
        requireNonNull(file, "file is null");
    }

    @Override
    public String toString() {
        return file.displayName() + ":" + line + ":" + column;
    }
}
