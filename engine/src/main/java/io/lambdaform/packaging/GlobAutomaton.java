package io.lambdaform.packaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Globs as one nondeterministic automaton whose states are all followed at once, 64 to a machine word: a state is a
 * position in one alternative of one glob (how many of its tokens are matched). A character costs a few word
 * operations per 64 states, whatever the patterns, so that matching a path is linear in its length times the states
 * (bounded by {@link #MAX_STATES}), and several exclude patterns cost one pass, not one each.
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
    /** States of class tokens, with the token. */
    private final List<ClassState> classes;

    /** Masks of class tokens by character, kept for the characters met first (several walks may share it). */
    private final Map<Character, long[]> classMasks = new ConcurrentHashMap<>();

    private final long[] none;

    private record ClassState(int state, Glob.Token token) {}

    private GlobAutomaton(int states) {
        this.words = Math.max(1, (states + 63) / 64);
        this.start = new long[words];
        this.accept = new long[words];
        this.stars = new long[words];
        this.anyStars = new long[words];
        this.ones = new long[words];
        this.literals = new HashMap<>();
        this.classes = new ArrayList<>();
        this.none = new long[words];
    }

    /** The automaton of every alternative of every glob; it matches when one of them does. */
    static GlobAutomaton of(List<Glob> globs) {
        int states = globs.stream().mapToInt(Glob::states).sum();
        if (states > MAX_STATES) {
            throw new IllegalArgumentException(
                    "the globs need " + states + " states together, more than " + MAX_STATES);
        }
        GlobAutomaton automaton = new GlobAutomaton(states);
        int base = 0;
        for (Glob glob : globs) {
            for (List<Glob.Token> tokens : glob.alternatives()) {
                automaton.add(base, tokens);
                base += tokens.size() + 1;
            }
        }
        automaton.closeOverStars(automaton.start);
        return automaton;
    }

    private void add(int base, List<Glob.Token> tokens) {
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
                case CLASS -> classes.add(new ClassState(state, token));
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

    /** The class tokens that accept {@code x}. */
    private long[] classMask(char x) {
        if (classes.isEmpty()) {
            return none;
        }
        long[] cached = classMasks.get(x);
        if (cached != null) {
            return cached;
        }
        long[] mask = new long[words];
        for (ClassState state : classes) {
            if (state.token().accepts(x)) {
                set(mask, state.state());
            }
        }
        if (classMasks.size() < MAX_CACHED_CLASS_MASKS) {
            classMasks.put(x, mask);
        }
        return mask;
    }
}
