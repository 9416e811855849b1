package io.lambdaform.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options of the commands that change a target (apply, destroy). */
public final class ChangeOptions {
    @Option(names = "--auto-approve", description = "Change the target without asking for confirmation.")
    boolean autoApprove;

    @Option(
            names = "--lock-timeout",
            paramLabel = "DURATION",
            defaultValue = "PT0S",
            converter = IsoDuration.class,
            description = "How long to wait for another run holding the stack's lock, as ISO-8601 (PT30S)."
                    + " Default: fail at once, naming the holder.")
    Duration lockTimeout = Duration.ZERO;

    /** An ISO-8601 duration; a value such as {@code 30s} gets a message saying how to write it. */
    static final class IsoDuration implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not an ISO-8601 duration; write"
                        + " for example PT30S for 30 seconds or PT5M for 5 minutes");
            }
        }
    }

    /** Formats of the result; with json or markdown the plan and progress go to standard error. */
    enum Format {
        text,
        json,
        markdown
    }

    @Option(
            names = "--format",
            paramLabel = "text|json|markdown",
            defaultValue = "text",
            description = "Result format. With json or markdown, standard output holds only the result document and"
                    + " the plan and progress go to standard error.")
    Format format = Format.text;
}
