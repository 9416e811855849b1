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

    /** A writer that passes whole lines (and whatever is flushed) through {@link #redact} to {@code target}. */
    Writer redacting(Writer target) {
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
                    target.write(redact(line.toString()));
                    line.setLength(0);
                }
            }
        };
    }
}
