package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * A manifest file's text, kept so that diagnostics can quote the offending line.
 *
 * @param displayName the path as the user should see it (relative to the working folder where possible)
 */
public record SourceFile(Path path, String displayName, String text, List<String> lines) {
    public SourceFile {
        requireNonNull(path, "path is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(text, "text is null");
        lines = List.copyOf(lines);
    }

    public static SourceFile of(Path path, String displayName, String text) {
        return new SourceFile(path, displayName, text, text.lines().toList());
    }

    public String line(int oneBased) {
        return oneBased >= 1 && oneBased <= lines.size() ? lines.get(oneBased - 1) : "";
    }
}
