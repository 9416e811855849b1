package io.lambdaform.packaging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Globs as one nondeterministic automaton whose states are all followed at once, 64 to a machine word: a state is a
 * position in one alternative of one glob (how many of its tokens are matched). A character costs a few word
 * operations per 64 states, whatever the patterns, and one search of each distinct class's sorted ranges, so that
 * matching a path is linear in its length times the states (bounded by {@link #MAX_STATES}), and several exclude
 * patterns cost one pass, not one each.
 */
final class GlobAutomaton {
    /** The states of all the globs of one code folder at most; patterns beyond are refused. */
    static final int MAX_STATES = 8192;

    /** Distinct characters whose class-token mask is kept; others are computed each time. */
    private static final int MAX_CACHED_CLASS_MASKS = 512;

    private final int words;
    /** Each alternative's first state, closed over leading stars. */
    private final long[] start;
    /** Each alternative's last state: the whole text matched. */
    private final long[] accept;
    /** States of star tokens: a star takes a character (not '/' for '*') and stays; it may also take none. */
    private final long[] stars;

    private final long[] anyStars;
    /** States of '?' tokens: any character but '/'. */
    private final long[] ones;
    /** States of literal tokens, by their character. */
    private final Map<Character, long[]> literals;
    /**
     * The distinct class tokens, each with the states of every copy of it (a group copies the tokens around it into
     * each of its alternatives, and patterns repeat classes): a character is tested against each once.
     */
    private final CharClass[] classes;

    /** Masks of class tokens by character, kept for the characters met first (several walks may share it). */
    private final Map<Character, long[]> classMasks = new ConcurrentHashMap<>();

    /** Class tests made, for tests: at most one per distinct class for each character whose mask is computed. */
    private final LongAdder classTests = new LongAdder();

    private final long[] none;

    private GlobAutomaton(int states, List<Glob> globs) {
        this.words = Math.max(1, (states + 63) / 64);
        this.start = new long[words];
        this.accept = new long[words];
        this.stars = new long[words];
        this.anyStars = new long[words];
        this.ones = new long[words];
        this.literals = new HashMap<>();
        this.none = new long[words];
        Map<CharClass.Key, long[]> classStates = new LinkedHashMap<>();
        int base = 0;
        for (Glob glob : globs) {
            for (List<Glob.Token> tokens : glob.alternatives()) {
                add(base, tokens, classStates);
                base += tokens.size() + 1;
            }
        }
        this.classes = classStates.entrySet().stream()
                .map(e -> CharClass.of(e.getKey(), e.getValue()))
                .toArray(CharClass[]::new);
        closeOverStars(start);
    }

    /** The automaton of every alternative of every glob; it matches when one of them does. */
    static GlobAutomaton of(List<Glob> globs) {
        int states = globs.stream().mapToInt(Glob::states).sum();
        if (states > MAX_STATES) {
            throw new IllegalArgumentException(
                    "the globs need " + states + " states together, more than " + MAX_STATES);
        }
        return new GlobAutomaton(states, globs);
    }

    private void add(int base, List<Glob.Token> tokens, Map<CharClass.Key, long[]> classStates) {
        set(start, base);
        set(accept, base + tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            Glob.Token token = tokens.get(i);
            int state = base + i;
            switch (token.kind()) {
                case CHAR -> set(literals.computeIfAbsent(token.c(), c -> new long[words]), state);
                case ONE -> set(ones, state);
                case STAR -> set(stars, state);
                case ANY -> {
                    set(stars, state);
                    set(anyStars, state);
                }
                case CLASS -> set(classStates.computeIfAbsent(CharClass.key(token), k -> new long[words]), state);
            }
        }
    }

    private static void set(long[] bits, int state) {
        bits[state >>> 6] |= 1L << (state & 63);
    }

    /** Whether the whole of {@code text} matches one of the globs. */
    boolean matches(String text) {
        long[] states = start.clone();
        long[] advancing = new long[words];
        for (int p = 0; p < text.length(); p++) {
            char x = text.charAt(p);
            boolean slash = x == '/';
            long[] literal = literals.get(x);
            long[] classMask = classMask(x);
            long alive = 0;
            long carry = 0;
            for (int w = 0; w < words; w++) {
                long s = states[w];
                // Tokens that take x and move on: a literal x, '?' and classes that accept it.
                long moves = (literal == null ? 0 : literal[w]) | (slash ? 0 : ones[w]) | classMask[w];
                long moving = s & moves;
                // Stars that take x and stay: '**' always, '*' unless x is '/'.
                long staying = s & (slash ? anyStars[w] : stars[w]);
                advancing[w] = (moving << 1) | carry | staying;
                carry = moving >>> 63;
            }
            for (int w = 0; w < words; w++) {
                states[w] = advancing[w];
                alive |= advancing[w];
            }
            if (alive == 0) {
                return false;
            }
            closeOverStars(states);
        }
        for (int w = 0; w < words; w++) {
            if ((states[w] & accept[w]) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A star may match nothing: the state after a reached star is reached too. Stars never follow each other (Glob
     * merges them), so one pass is enough.
     */
    private void closeOverStars(long[] states) {
        long carry = 0;
        for (int w = 0; w < words; w++) {
            long reachedStars = states[w] & stars[w];
            long next = (reachedStars << 1) | carry;
            carry = reachedStars >>> 63;
            states[w] |= next;
        }
    }

    /** The states of the class tokens that accept {@code x}. */
    private long[] classMask(char x) {
        if (classes.length == 0) {
            return none;
        }
        long[] cached = classMasks.get(x);
        if (cached != null) {
            return cached;
        }
        long[] mask = new long[words];
        for (CharClass charClass : classes) {
            if (charClass.accepts(x)) {
                charClass.addStates(mask);
            }
        }
        classTests.add(classes.length);
        if (classMasks.size() < MAX_CACHED_CLASS_MASKS) {
            classMasks.put(x, mask);
        }
        return mask;
    }

    /** The distinct class tokens, for tests. */
    int distinctClasses() {
        return classes.length;
    }

    /** How many times a character was tested against a class token, for tests. */
    long classTests() {
        return classTests.sum();
    }

    /**
     * One distinct class token: its ranges sorted and merged, searched by halves, and the states of every copy of it,
     * only the words of them that hold one.
     */
    private static final class CharClass {
        /** What makes two class tokens the same class: negation and the characters in it. */
        record Key(boolean negated, String ranges) {}

        private final boolean negated;
        /** First characters of the ranges, ascending; the ranges do not touch. */
        private final char[] firsts;

        private final char[] lasts;
        private final int[] stateWords;
        private final long[] stateBits;

        private CharClass(boolean negated, char[] firsts, char[] lasts, long[] states) {
            this.negated = negated;
            this.firsts = firsts;
            this.lasts = lasts;
            int used = 0;
            for (long bits : states) {
                used += bits == 0 ? 0 : 1;
            }
            this.stateWords = new int[used];
            this.stateBits = new long[used];
            for (int w = 0, i = 0; w < states.length; w++) {
                if (states[w] != 0) {
                    stateWords[i] = w;
                    stateBits[i++] = states[w];
                }
            }
        }

        /** The key of a class token: its ranges sorted and merged, two characters each. */
        static Key key(Glob.Token token) {
            List<char[]> ranges = new ArrayList<>(token.ranges());
            ranges.sort(Comparator.comparingInt((char[] r) -> r[0]).thenComparingInt(r -> r[1]));
            StringBuilder merged = new StringBuilder();
            for (char[] range : ranges) {
                int n = merged.length();
                if (n > 0 && range[0] <= merged.charAt(n - 1) + 1) {
                    merged.setCharAt(n - 1, (char) Math.max(merged.charAt(n - 1), range[1]));
                } else {
                    merged.append(range[0]).append(range[1]);
                }
            }
            return new Key(token.negated(), merged.toString());
        }

        static CharClass of(Key key, long[] states) {
            String ranges = key.ranges();
            char[] firsts = new char[ranges.length() / 2];
            char[] lasts = new char[firsts.length];
            for (int i = 0; i < firsts.length; i++) {
                firsts[i] = ranges.charAt(2 * i);
                lasts[i] = ranges.charAt(2 * i + 1);
            }
            return new CharClass(key.negated(), firsts, lasts, states);
        }

        /** Whether the class takes {@code x}: never '/', which separates names. */
        boolean accepts(char x) {
            return x != '/' && inRanges(x) != negated;
        }

        private boolean inRanges(char x) {
            // The last range that starts at or before x is the only one that may hold it.
            int low = 0;
            int high = firsts.length - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                if (firsts[middle] <= x) {
                    low = middle + 1;
                } else {
                    high = middle - 1;
                }
            }
            return high >= 0 && x <= lasts[high];
        }

        void addStates(long[] mask) {
            for (int i = 0; i < stateWords.length; i++) {
                mask[stateWords[i]] |= stateBits[i];
            }
        }
    }
}
