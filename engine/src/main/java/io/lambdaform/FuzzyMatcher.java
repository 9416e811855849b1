package io.lambdaform;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Suggests the closest known name for a misspelt one ("did you mean"). */
public final class FuzzyMatcher {
    private FuzzyMatcher() {}

    public static Optional<String> closest(String input, Collection<String> candidates) {
        String lower = input.toLowerCase();
        return candidates.stream()
                .filter(c -> distance(lower, c.toLowerCase()) <= Math.max(2, c.length() / 3)
                        || c.toLowerCase().startsWith(lower) && lower.length() >= 3)
                .min(Comparator.comparingInt((String c) -> distance(lower, c.toLowerCase()))
                        .thenComparing(c -> c));
    }

    /** " (did you mean 'x'?)", or nothing. */
    public static String suggestion(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(c -> "; did you mean '" + c + "'?")
                .orElse("");
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
