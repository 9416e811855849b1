package io.lambdaform;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them, in manifests and on the command line: 500ms, 30s, 5m, 2h, 1d, or ISO 8601's PT30S. */
public final class Durations {
    private static final Pattern WITH_UNIT = Pattern.compile("^(\\d{1,9})(ms|s|m|h|d)$");

    private Durations() {}

    /** The duration {@code text} writes; empty when it writes none, or a negative one. */
    public static Optional<Duration> parse(String text) {
        Matcher unit = WITH_UNIT.matcher(text);
        if (unit.matches()) {
            long amount = Long.parseLong(unit.group(1));
            return Optional.of(
                    switch (unit.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
        }
        try {
            Duration parsed = Duration.parse(text);
            return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
