package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import io.lambdaform.PathWords;
import io.lambdaform.model.Sensitive;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Comparator;
import java.util.Optional;

/**
 * One problem found in a manifest set, reported as {@code file:line:col: message} followed by the offending line and
 * a caret under the column; or a warning, {@code file:line:col: warning: message}, which does not make the set
 * invalid.
 *
 * @param file the file's display name, or empty for a problem of the set as a whole
 */
public record Diagnostic(Optional<Position> position, String file, String message, Severity severity) {
    public static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::file)
            .thenComparingInt(d -> d.position().map(Position::line).orElse(0))
            .thenComparingInt(d -> d.position().map(Position::column).orElse(0))
            .thenComparing(Diagnostic::message);

    /** A problem makes the set invalid; a warning says what may be wrong, and is only shown. */
    public enum Severity {
        PROBLEM,
        WARNING
    }

    public Diagnostic {
        requireNonNull(position, "position is null");
        requireNonNull(file, "file is null");
        requireNonNull(message, "message is null");
        requireNonNull(severity, "severity is null");
    }

    public static Diagnostic at(Position position, String message) {
        return new Diagnostic(Optional.of(position), position.file().displayName(), message, Severity.PROBLEM);
    }

    public static Diagnostic warningAt(Position position, String message) {
        return new Diagnostic(Optional.of(position), position.file().displayName(), message, Severity.WARNING);
    }

    public static Diagnostic inFile(String file, String message) {
        return new Diagnostic(Optional.empty(), file, message, Severity.PROBLEM);
    }

    /** Characters of a source line shown at most, around the caret. */
    static final int MAX_SOURCE = 160;

    /**
     * The diagnostic as the CLI prints it: location, message, and the source line with a caret (the part of a long
     * line around the caret).
     */
    public String format() {
        return format(Sensitive.NONE);
    }

    /**
     * As {@link #format()}, the source line redacted of {@code sensitive} values before a window is cut out of it: a
     * value cut in part by the window would no longer be found whole.
     */
    public String format(Sensitive sensitive) {
        String said = (severity == Severity.WARNING ? "warning: " : "") + message;
        if (position.isEmpty()) {
            return (file.isEmpty() ? "" : file + ": ") + said;
        }
        Position at = position.get();
        String original = at.file().line(at.line());
        Sensitive.Redaction redaction = sensitive.redaction(original);
        String source = redaction.text();
        StringBuilder text = new StringBuilder(at + ": " + said);
        if (!source.isBlank()) {
            int column = redaction.position(at.column() - 1) + 1;
            int from = 0;
            String before = "";
            if (source.length() > MAX_SOURCE) {
                from = Math.max(0, Math.min(column - 1 - MAX_SOURCE / 4, source.length() - MAX_SOURCE));
                before = from > 0 ? "…" : "";
                String after = from + MAX_SOURCE < source.length() ? "…" : "";
                source = before + source.substring(from, from + MAX_SOURCE) + after;
            }
            text.append('\n').append("    ").append(source).append('\n').append("    ");
            for (int i = 1; i < before.length() + column - from && i <= source.length(); i++) {
                text.append(source.charAt(i - 1) == '\t' ? '\t' : ' ');
            }
            text.append('^');
        }
        return text.toString();
    }

    /**
     * Why a file could not be read, in words, without the exception's message (which may name paths outside the
     * repository in output that is posted publicly).
     */
    public static String cannotRead(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return "cannot read file: " + PathWords.reason(e);
    }
}
