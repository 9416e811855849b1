package io.lambdaform;

/**
 * How messages quote a value written by someone else (a manifest's field, a path): whole when short, else its start,
 * its end and its length, so that a pull request's megabyte-long value costs the output a line, not a megabyte. A
 * value that may hold a sensitive one is masked before it is shortened ({@code Sensitive.mask}): the output's
 * redaction finds whole values only, and a shortened one is not whole.
 */
public final class Quoted {
    /** Characters of a value quoted whole at most. */
    public static final int MAX = 120;

    private Quoted() {}

    /** {@code value}, shortened past {@link #MAX} characters. */
    public static String shortened(String value) {
        return shortened(value, MAX);
    }

    /** {@code value} as is up to {@code max} characters, else its beginning, its end and its length. */
    public static String shortened(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        return value.substring(0, max / 2) + "…" + value.substring(value.length() - max / 3) + " ("
                + String.format("%,d", value.length()) + " characters)";
    }
}
