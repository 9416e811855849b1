package io.lambdaform.diff;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One field that differs between live and desired state, with display values already masked where secret.
 *
 * @param before the live value, empty when the field is being set for the first time
 * @param after the desired value, empty when the field is being removed
 */
public record FieldChange(String field, Optional<String> before, Optional<String> after) {
    public static final String SENSITIVE = "(sensitive)";

    public FieldChange {
        requireNonNull(field, "field is null");
        requireNonNull(before, "before is null");
        requireNonNull(after, "after is null");
    }

    public static FieldChange set(String field, String value) {
        return new FieldChange(field, Optional.empty(), Optional.of(value));
    }

    public static FieldChange change(String field, String before, String after) {
        return new FieldChange(field, Optional.of(before), Optional.of(after));
    }

    public static FieldChange remove(String field, String before) {
        return new FieldChange(field, Optional.of(before), Optional.empty());
    }

    /** A text value as plans show it: in double quotes, with backslashes, quotes and newlines escaped. */
    public static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
