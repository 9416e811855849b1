package io.lambdaform.cloud.local;

import io.lambdaform.LambdaformException;
import java.util.ArrayList;
import java.util.List;

/**
 * The common subset of CloudWatch Logs filter patterns for unstructured log lines, for the local cloud: terms
 * separated by spaces, which must all appear (case-sensitive); {@code "quoted phrases"}, matched as written;
 * {@code -term} (or {@code -"phrase"}), which must not appear; and {@code ?term ?term}, of which at least one must
 * appear. JSON patterns ({@code { $.level = "ERROR" }}), space-delimited ones ({@code [ip, user, ...]}) and regular
 * expressions ({@code %…%}) are CloudWatch's alone: the local cloud refuses them rather than match something else.
 */
record FilterPattern(List<String> required, List<String> excluded, List<String> anyOf) {
    static final FilterPattern ALL = new FilterPattern(List.of(), List.of(), List.of());

    FilterPattern {
        required = List.copyOf(required);
        excluded = List.copyOf(excluded);
        anyOf = List.copyOf(anyOf);
    }

    static FilterPattern parse(String pattern) {
        String text = pattern.strip();
        if (text.startsWith("{") || text.startsWith("[") || text.startsWith("%")) {
            String kind = text.startsWith("{")
                    ? "JSON filter patterns ({ $.field = value })"
                    : text.startsWith("[") ? "space-delimited filter patterns ([a, b, ...])" : "regular expressions";
            throw LambdaformException.user("--filter '" + pattern + "': " + kind + " are supported on AWS only"
                    + " (--target aws); the local cloud matches terms, \"quoted phrases\", -term and ?term");
        }
        List<String> required = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        List<String> anyOf = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> into = required;
            if ((c == '-' || c == '?') && i + 1 < text.length() && !Character.isWhitespace(text.charAt(i + 1))) {
                into = c == '-' ? excluded : anyOf;
                i++;
            }
            String term;
            if (text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw LambdaformException.user(
                            "--filter '" + pattern + "': a quoted phrase is not closed (a \" is missing)");
                }
                term = text.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                term = text.substring(i, end);
                i = end;
            }
            if (!term.isEmpty()) {
                into.add(term);
            }
        }
        return new FilterPattern(required, excluded, anyOf);
    }

    boolean matches(String message) {
        for (String term : required) {
            if (!message.contains(term)) {
                return false;
            }
        }
        for (String term : excluded) {
            if (message.contains(term)) {
                return false;
            }
        }
        return anyOf.isEmpty() || anyOf.stream().anyMatch(message::contains);
    }
}
