package io.lambdaform.cli;

import io.lambdaform.model.Sensitive;
import java.io.IOException;
import java.io.Writer;

/**
 * The last line of defence for sensitive values: everything the CLI prints, on stdout and stderr (plans, progress,
 * errors from the target, {@code --debug} stack traces), passes through it, and every sensitive value known so far is
 * replaced by {@value Sensitive#MASK}. Renderers mask whole fields before this; this catches the text they do not
 * control, such as an AWS error message that quotes a value.
 */
public final class Redactor {
    private volatile Sensitive sensitive = Sensitive.NONE;

    /** Adds values to mask from now on. */
    public synchronized void register(Sensitive more) {
        sensitive = sensitive.plus(more);
    }

    public Sensitive sensitive() {
        return sensitive;
    }

    public String redact(String text) {
        return sensitive.redact(text);
    }

    /**
     * Control characters shown as {@code \xNN}, and invisible or direction-changing characters (Unicode's format
     * characters, such as U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, U+2066-2069 isolates and U+FEFF,
     * and the line and paragraph separators U+2028 and U+2029) as <code>&#92;uXXXX</code> (as JSON and Java write them: a
     * string of JSON output stays JSON): a file name, a manifest value or a handler's log written by anyone who can
     * open a pull request must not move the cursor, erase a line, start one that looks like Lambdaform's own, or show
     * other text than it holds in a public CI log. Line feeds and tabs pass; so do the colour sequences ({@code ESC [
     * digits m}) when {@code colors} (a person at a terminal, where Lambdaform colours its output).
     */
    static String printable(String text, boolean colors) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f;
            int colour = control && colors && c == 0x1b ? colourEnd(text, i) : -1;
            int invisible = control || c < 0xa0 ? 0 : invisibleLength(text, i);
            if (!control && invisible == 0 || colour > 0) {
                int end = colour > 0 ? colour : i + 1;
                if (shown != null) {
                    shown.append(text, i, end);
                }
                i = end - 1;
                continue;
            }
            if (shown == null) {
                shown = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (control) {
                shown.append(String.format("\\x%02x", (int) c));
                continue;
            }
            for (int unit = i; unit < i + invisible; unit++) {
                shown.append(String.format("\\u%04X", (int) text.charAt(unit)));
            }
            i += invisible - 1;
        }
        return shown == null ? text : shown.toString();
    }

    /**
     * How many chars the character at {@code at} takes when it is invisible or changes the direction of the text
     * around it (a format character, or a line or paragraph separator), else 0.
     */
    private static int invisibleLength(String text, int at) {
        int c = text.codePointAt(at);
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                ? Character.charCount(c)
                : 0;
    }

    /** The end of a colour sequence (ESC [ digits and semicolons m) that starts at {@code start}, or -1. */
    private static int colourEnd(String text, int start) {
        if (start + 2 >= text.length() || text.charAt(start + 1) != '[') {
            return -1;
        }
        for (int i = start + 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'm') {
                return i + 1;
            }
            if (!(c >= '0' && c <= '9' || c == ';')) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * A writer that passes whole lines (and whatever is flushed) through {@link #redact} and {@link #printable} to
     * {@code target}.
     */
    Writer redacting(Writer target, boolean colors) {
        return new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public synchronized void write(char[] buffer, int offset, int length) throws IOException {
                for (int i = offset; i < offset + length; i++) {
                    line.append(buffer[i]);
                    if (buffer[i] == '\n') {
                        emit();
                    }
                }
            }

            @Override
            public synchronized void flush() throws IOException {
                emit();
                target.flush();
            }

            @Override
            public synchronized void close() throws IOException {
                flush();
                target.close();
            }

            private void emit() throws IOException {
                if (line.length() > 0) {
                    target.write(printable(redact(line.toString()), colors));
                    line.setLength(0);
                }
            }
        };
    }
}
