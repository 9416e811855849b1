package io.lambdaform.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;

/**
 * Finds every occurrence of many strings in a text in one pass (Aho and Corasick's automaton): the cost of a search is
 * the text's length, whatever the number of strings, and building it is linear in their total length. Sensitive
 * values are looked for in every field and every line of output; a pull request can declare tens of thousands of
 * them, which searched one by one made each line cost as many scans.
 */
final class TextMatcher {
    private static final int ROOT = 0;

    /** Per state: the state of the longest proper suffix that is also a prefix of a string. */
    private int[] fail;
    /** Per state: the length of the longest string that ends here (as the state itself, or as a suffix); 0 if none. */
    private int[] longest;

    private int[] firstChild;
    private int[] nextSibling;
    private char[] label;
    private int states;

    /** Transitions (state, character) to state, in one open-addressing table. */
    private long[] keys;

    private int[] targets;

    TextMatcher(Collection<String> strings) {
        int capacity = 1 + strings.stream().mapToInt(String::length).sum();
        fail = new int[capacity];
        longest = new int[capacity];
        firstChild = new int[capacity];
        nextSibling = new int[capacity];
        label = new char[capacity];
        Arrays.fill(firstChild, -1);
        states = 1;
        int table = Integer.highestOneBit(Math.max(16, capacity * 2 - 1)) << 1;
        keys = new long[table];
        targets = new int[table];
        for (String string : strings) {
            add(string);
        }
        link();
    }

    private void add(String string) {
        int state = ROOT;
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            int next = child(state, c);
            if (next < 0) {
                next = states++;
                label[next] = c;
                nextSibling[next] = firstChild[state];
                firstChild[state] = next;
                put(state, c, next);
            }
            state = next;
        }
        longest[state] = Math.max(longest[state], string.length());
    }

    /** Failure links, breadth first, and each state's longest string ending there. */
    private void link() {
        Deque<Integer> queue = new ArrayDeque<>();
        for (int child = firstChild[ROOT]; child >= 0; child = nextSibling[child]) {
            fail[child] = ROOT;
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int state = queue.poll();
            longest[state] = Math.max(longest[state], longest[fail[state]]);
            for (int child = firstChild[state]; child >= 0; child = nextSibling[child]) {
                fail[child] = step(fail[state], label[child]);
                queue.add(child);
            }
        }
    }

    /** The state after {@code c} from {@code state}, following failure links. */
    private int step(int state, char c) {
        int s = state;
        while (true) {
            int next = child(s, c);
            if (next >= 0) {
                return next;
            }
            if (s == ROOT) {
                return ROOT;
            }
            s = fail[s];
        }
    }

    /** Whether one of the strings occurs in {@code text}. */
    boolean occursIn(String text) {
        int state = ROOT;
        for (int i = 0; i < text.length(); i++) {
            state = step(state, text.charAt(i));
            if (longest[state] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Per position of {@code text}, whether an occurrence of one of the strings covers it: the union of every
     * occurrence, overlapping ones included; null when there is none.
     */
    boolean[] covered(String text) {
        int[] starts = null;
        int state = ROOT;
        for (int i = 0; i < text.length(); i++) {
            state = step(state, text.charAt(i));
            int length = longest[state];
            if (length > 0) {
                if (starts == null) {
                    starts = new int[text.length() + 1];
                }
                // Occurrences ending at i: the longest covers the others. Counted as +1 at its start, -1 after i.
                starts[i + 1 - length]++;
                starts[i + 1]--;
            }
        }
        if (starts == null) {
            return null;
        }
        boolean[] hidden = new boolean[text.length()];
        int open = 0;
        for (int i = 0; i < text.length(); i++) {
            open += starts[i];
            hidden[i] = open > 0;
        }
        return hidden;
    }

    private int child(int state, char c) {
        long key = key(state, c);
        int mask = keys.length - 1;
        for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
            if (keys[slot] == 0) {
                return -1;
            }
            if (keys[slot] == key) {
                return targets[slot];
            }
        }
    }

    private void put(int state, char c, int target) {
        long key = key(state, c);
        int mask = keys.length - 1;
        int slot = slot(key, mask);
        while (keys[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        targets[slot] = target;
    }

    private static long key(int state, char c) {
        return ((long) state << 16 | c) + 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
