package io.lambdaform;

import java.util.Collection;
import java.util.Optional;

/**
 * Suggests the closest known name for a misspelt one ("did you mean"), within a budget of work: a name is close when
 * its edit distance is at most a third of its length (at least 2), or when it starts with what was written.
 *
 * <p>Untrusted manifests decide both the misspelt names and the candidates, so the cost is bounded by construction:
 * names longer than {@link #MAX_LENGTH} are never compared (no name Lambdaform knows is that long), the distance is
 * computed only in the band of the largest distance that would count, and every comparison is charged to a budget.
 * One budget serves a whole manifest set; once it is spent, later problems get no suggestion (a set with thousands of
 * misspelt references needs no help finding the first few).
 */
public final class FuzzyMatcher {
    /** The longest name compared: longer ones get no suggestion. */
    public static final int MAX_LENGTH = 128;

    /**
     * Work one manifest set may spend on suggestions: distance cells, and the characters of the candidates looked at
     * (each is lowercased and compared). About a quarter of a second on a CI runner's core.
     */
    public static final long SET_BUDGET = 30_000_000;

    /** Work one lookup from the command line may spend. */
    static final long CALL_BUDGET = 5_000_000;

    private long budget;
    private long spent;

    public FuzzyMatcher(long budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must not be negative");
        }
        this.budget = budget;
    }

    /** A matcher with the budget of one manifest set. */
    public static FuzzyMatcher forManifestSet() {
        return new FuzzyMatcher(SET_BUDGET);
    }

    /** The suggestion for one lookup (a command, an option, a name on the command line), within its own budget. */
    public static String suggestion(String input, Collection<String> candidates) {
        return new FuzzyMatcher(CALL_BUDGET).suggest(input, candidates);
    }

    /** The closest candidate for one lookup, within its own budget. */
    public static Optional<String> closestOf(String input, Collection<String> candidates) {
        return new FuzzyMatcher(CALL_BUDGET).closest(input, candidates);
    }

    /** "; did you mean 'x'?", or nothing. */
    public String suggest(String input, Collection<String> candidates) {
        return closest(input, candidates)
                .map(c -> "; did you mean '" + c + "'?")
                .orElse("");
    }

    /** How much work this matcher has done. */
    public long spent() {
        return spent;
    }

    /**
     * The closest candidate, or empty: when none is close, when {@code input} is longer than {@link #MAX_LENGTH},
     * or when the budget left cannot pay for comparing it with every candidate.
     */
    public Optional<String> closest(String input, Collection<String> candidates) {
        if (input.length() > MAX_LENGTH || input.isEmpty()) {
            return Optional.empty();
        }
        if (budget < candidates.size()) {
            budget = 0; // not even the candidates can be looked at: spent
            return Optional.empty();
        }
        String lower = input.toLowerCase();
        // Every candidate looked at costs its length (lowercased, compared), and each distance its band of cells.
        long cost = 0;
        for (String candidate : candidates) {
            cost += 1 + Math.min(candidate.length(), MAX_LENGTH);
            if (candidate.length() <= MAX_LENGTH && Math.abs(candidate.length() - lower.length()) <= bound(candidate)) {
                cost += (long) (lower.length() + 1) * (2L * bound(candidate) + 1);
            }
        }
        if (!charge(cost)) {
            return Optional.empty();
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.length() > MAX_LENGTH) {
                continue;
            }
            String c = candidate.toLowerCase();
            int limit = bound(candidate);
            int distance = distance(lower, c, limit);
            boolean close = distance <= limit || c.startsWith(lower) && lower.length() >= 3;
            if (!close) {
                continue;
            }
            int rank = distance <= limit ? distance : exactDistanceOfPrefix(lower, c);
            if (rank < bestDistance || rank == bestDistance && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The largest distance at which a candidate still counts as close. */
    private static int bound(String candidate) {
        return Math.max(2, candidate.length() / 3);
    }

    /** The distance between a prefix and a name that starts with it: the characters it lacks. */
    private static int exactDistanceOfPrefix(String prefix, String name) {
        return name.length() - prefix.length();
    }

    private boolean charge(long work) {
        if (work > budget) {
            budget = 0;
            return false;
        }
        budget -= work;
        spent += work;
        return true;
    }

    /**
     * The edit distance of {@code a} and {@code b} when it is at most {@code limit}, else {@code limit + 1}; only the
     * cells within {@code limit} of the diagonal are computed (Ukkonen's band), and a row whose every cell passes the
     * limit ends the computation.
     */
    static int distance(String a, String b, int limit) {
        int n = a.length();
        int m = b.length();
        if (Math.abs(n - m) > limit) {
            return limit + 1;
        }
        int outside = limit + 1;
        int[] previous = new int[m + 1];
        int[] current = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j <= limit ? j : outside;
        }
        for (int i = 1; i <= n; i++) {
            int from = Math.max(1, i - limit);
            int to = Math.min(m, i + limit);
            current[0] = i <= limit ? i : outside;
            if (from > 1) {
                current[from - 1] = outside;
            }
            int rowMinimum = current[0];
            for (int j = from; j <= to; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                current[j] = Math.min(value, outside);
                rowMinimum = Math.min(rowMinimum, current[j]);
            }
            if (to < m) {
                current[to + 1] = outside;
            }
            if (rowMinimum > limit) {
                return outside;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[m], outside);
    }
}
