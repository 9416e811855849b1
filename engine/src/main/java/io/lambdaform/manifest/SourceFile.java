package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A manifest file's text, kept so that diagnostics can quote the offending line.
 *
 * @param displayName the path as the user should see it (relative to the working folder where possible)
 * @param quotable whether diagnostics may quote its lines (not those of a file whose values are all sensitive)
 */
public record SourceFile(Path path, String displayName, String text, List<String> lines, boolean quotable) {
    public SourceFile {
        requireNonNull(path, "path is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(text, "text is null");
        lines = List.copyOf(lines);
    }

    public static SourceFile of(Path path, String displayName, String text) {
        return new SourceFile(path, displayName, text, text.lines().toList(), true);
    }

    /** A file whose lines no diagnostic may quote. */
    public static SourceFile unquotable(Path path, String displayName, String text) {
        return new SourceFile(path, displayName, text, text.lines().toList(), false);
    }

    /**
     * Files are told apart by where they are and how they may be quoted, never by their text: a diagnostic's
     * position holds its file, and hashing a megabyte of text for each of a file's thousands of problems made
     * collecting them quadratic.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof SourceFile file
                && path.equals(file.path)
                && displayName.equals(file.displayName)
                && quotable == file.quotable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, displayName, quotable);
    }

    /** The line as a diagnostic may quote it: empty for an unquotable file. */
    public String line(int oneBased) {
        return quotable && oneBased >= 1 && oneBased <= lines.size() ? lines.get(oneBased - 1) : "";
    }
}
