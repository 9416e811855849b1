package io.lambdaform.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The values of a manifest set that must never be shown: whatever came from the process environment
 * ({@code ${env.NAME}}), the values of variables declared {@code sensitive: true} or given with
 * {@code --sensitive-values}, and environment entries marked {@code secret: true}. Wherever such a value lands
 * (description, tag, environment, event, any field), a field that holds it is shown as {@value #MASK}, and any text
 * that quotes it has it replaced.
 *
 * <p>Values shorter than {@value #MIN_TEXT_LENGTH} characters are masked where they are a whole field's value, but
 * not inside longer text: replacing "1" in every message would erase every digit.
 */
public final class Sensitive {
    public static final String MASK = "(sensitive)";
    public static final int MIN_TEXT_LENGTH = 4;
    public static final Sensitive NONE = new Sensitive(List.of());

    /** Every form a value may take in output (raw, JSON-escaped, markdown-escaped), longest first. */
    private final List<String> forms;

    private final Set<String> values;

    /** The forms, all found in one pass over a text. */
    private final TextMatcher matcher;

    private Sensitive(Collection<String> values) {
        TreeSet<String> kept = new TreeSet<>();
        values.stream().filter(v -> v != null && !v.isEmpty()).forEach(kept::add);
        this.values = Collections.unmodifiableSortedSet(kept);
        TreeSet<String> all = new TreeSet<>();
        for (String value : kept) {
            all.addAll(forms(value));
            value.lines().forEach(line -> all.addAll(forms(line)));
        }
        List<String> sorted = new ArrayList<>(
                all.stream().filter(f -> f.length() >= MIN_TEXT_LENGTH).toList());
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        this.forms = List.copyOf(sorted);
        this.matcher = new TextMatcher(this.forms);
    }

    /**
     * The ways output may write a value: as it is, quoted for a plan ({@code "..."} with {@code \\}, {@code \"},
     * {@code \n}), escaped inside a JSON string (upper- and lower-case {@code \\u} escapes, as Jackson and others
     * write them), both, escaped for a markdown table cell (pipes, backticks, newlines) or HTML, and as Python's repr.
     */
    private static List<String> forms(String value) {
        String quoted = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        List<String> forms = new ArrayList<>();
        for (String base : List.of(value, quoted)) {
            forms.add(base);
            forms.add(jsonEscaped(base, true));
            forms.add(jsonEscaped(base, false));
            String cell = base.replace("|", "\\|");
            forms.add(cell);
            forms.add(cell.replace("\n", " "));
            forms.add(cell.replace("\n", " ").replace("`", "'"));
            forms.add(base.replace("`", "'"));
            forms.add(base.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        }
        forms.add(pythonEscaped(value));
        return forms;
    }

    /** As Python's repr writes a string (AWS-compatible endpoints written in Python quote values so in errors). */
    private static String pythonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    public static Sensitive of(Collection<String> values) {
        return values.isEmpty() ? NONE : new Sensitive(values);
    }

    public Sensitive plus(Sensitive other) {
        if (other.values.isEmpty()) {
            return this;
        }
        if (values.isEmpty()) {
            return other;
        }
        TreeSet<String> union = new TreeSet<>(values);
        union.addAll(other.values);
        return new Sensitive(union);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Whether a field with this value holds a sensitive value, in whole or in part. */
    public boolean appearsIn(String fieldValue) {
        if (fieldValue == null || fieldValue.isEmpty()) {
            return false;
        }
        // Short values count only as a whole field (raw or quoted); the forms, all long enough, count anywhere.
        if (values.contains(fieldValue)
                || fieldValue.length() >= 2
                        && fieldValue.startsWith("\"")
                        && fieldValue.endsWith("\"")
                        && values.contains(fieldValue.substring(1, fieldValue.length() - 1))) {
            return true;
        }
        return matcher.occursIn(fieldValue);
    }

    /** A field's value as it may be shown: the value itself, or {@value #MASK} when it holds a sensitive value. */
    public String mask(String fieldValue) {
        return appearsIn(fieldValue) ? MASK : fieldValue;
    }

    /**
     * Free text with every sensitive value it quotes replaced by {@value #MASK}. Every occurrence of every form is
     * found in the original text and their union masked, so that overlapping values cannot unmask part of another.
     */
    public String redact(String text) {
        return redaction(text).text();
    }

    /**
     * A text with every sensitive value it quotes replaced, and where each of its characters went: for a caret
     * under a column, or a window cut out of a long line after (never before) redaction.
     *
     * @param text the redacted text
     * @param positions for each index of the original text (and its length), the index in {@code text} where that
     *     character went (the start of its mask when it was hidden)
     */
    public record Redaction(String text, int[] positions) {
        /** Where the original's character at {@code index} (clamped to its length) is in the redacted text. */
        public int position(int index) {
            return positions[Math.max(0, Math.min(index, positions.length - 1))];
        }
    }

    /** The redaction of {@code text}. */
    public Redaction redaction(String text) {
        int length = text == null ? 0 : text.length();
        boolean[] hidden = length == 0 || forms.isEmpty() ? null : matcher.covered(text);
        int[] positions = new int[length + 1];
        if (hidden == null) {
            for (int i = 0; i <= length; i++) {
                positions[i] = i;
            }
            return new Redaction(text, positions);
        }
        StringBuilder result = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            if (!hidden[i]) {
                positions[i] = result.length();
                result.append(text.charAt(i));
            } else if (i == 0 || !hidden[i - 1]) {
                positions[i] = result.length();
                result.append(MASK);
            } else {
                positions[i] = positions[i - 1];
            }
        }
        positions[length] = result.length();
        return new Redaction(result.toString(), positions);
    }

    private static String jsonEscaped(String value, boolean upperCase) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(upperCase ? "\\u%04X" : "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Sensitive that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.size() + " sensitive value(s)";
    }
}
