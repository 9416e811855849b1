package io.lambdaform.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A glob of {@code code.exclude}, with the JDK's glob syntax ({@code *} within a name, {@code **} across names,
 * {@code ?}, {@code [a-z]}, {@code [!a]}, {@code {a,b}}, {@code \} escapes), matched in time proportional to the
 * pattern's length times the path's. The JDK's matcher compiles a glob into a regular expression that backtracks: a
 * pattern such as {@code *a*a*a*a*a*a*a*a*b}, which anyone may write in a pull request, takes it hours on one long
 * name. Here the pattern is a small automaton whose states are all followed at once ({@link GlobAutomaton}).
 */
final class Glob {
    /** Alternatives beyond which a pattern's groups are refused: {@code {a,b}{c,d}...} multiplies them. */
    static final int MAX_ALTERNATIVES = 256;

    enum Kind {
        CHAR,
        ONE,
        CLASS,
        STAR,
        ANY
    }

    /** One element of a pattern: a character, any one character but '/', a class, or a star. */
    record Token(Kind kind, char c, boolean negated, List<char[]> ranges) {
        boolean isStar() {
            return kind == Kind.STAR || kind == Kind.ANY;
        }
    }

    private final List<List<Token>> alternatives;
    /** Its own automaton, made when it is first matched alone ({@link Exclusions} makes one of all its globs). */
    private volatile GlobAutomaton automaton;

    private Glob(List<List<Token>> alternatives) {
        this.alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    /**
     * The glob, or empty when it is not valid or holds more than {@link #MAX_ALTERNATIVES} alternatives. A glob may
     * need more states than an automaton has ({@link #states()}): its user says so.
     */
    static Optional<Glob> of(String pattern) {
        try {
            List<List<Token>> alternatives = new ArrayList<>();
            alternatives.add(new ArrayList<>());
            parse(pattern, alternatives);
            return Optional.of(new Glob(alternatives));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void parse(String pattern, List<List<Token>> alternatives) {
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            switch (c) {
                case '\\' -> {
                    if (i == pattern.length()) {
                        throw new IllegalArgumentException("nothing to escape");
                    }
                    append(alternatives, literal(pattern.charAt(i++)));
                }
                case '*' -> {
                    if (i < pattern.length() && pattern.charAt(i) == '*') {
                        i++;
                        append(alternatives, simple(Kind.ANY));
                    } else {
                        append(alternatives, simple(Kind.STAR));
                    }
                }
                case '?' -> append(alternatives, simple(Kind.ONE));
                case '[' -> i = parseClass(pattern, i, alternatives);
                case '{' -> i = parseGroup(pattern, i, alternatives);
                default -> append(alternatives, literal(c));
            }
        }
    }

    /** A token that is its kind alone: any one character, a star. */
    private static Token simple(Kind kind) {
        return new Token(kind, '\0', false, List.of());
    }

    private static Token literal(char c) {
        return new Token(Kind.CHAR, c, false, List.of());
    }

    /**
     * Appends the token to every alternative; a star after a star is one star (the wider of the two), so that the
     * automaton follows a star's empty match in one step.
     */
    private static void append(List<List<Token>> alternatives, Token token) {
        for (List<Token> tokens : alternatives) {
            appendTo(tokens, token);
        }
    }

    private static void appendTo(List<Token> tokens, Token token) {
        Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
        if (last != null && last.isStar() && token.isStar()) {
            tokens.set(tokens.size() - 1, last.kind() == Kind.ANY ? last : token);
        } else {
            tokens.add(token);
        }
    }

    /** A bracket expression from just after its '['; the index after its ']'. */
    private static int parseClass(String pattern, int i, List<List<Token>> alternatives) {
        List<char[]> ranges = new ArrayList<>();
        boolean negated = false;
        if (i < pattern.length() && pattern.charAt(i) == '!') {
            negated = true;
            i++;
        }
        char last = 0;
        boolean hasStart = false;
        boolean closed = false;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c == ']') {
                closed = true;
                break;
            }
            if (c == '/') {
                throw new IllegalArgumentException("a name separator in a class");
            }
            if (c == '-' && hasStart && i < pattern.length() && pattern.charAt(i) != ']') {
                char end = pattern.charAt(i++);
                if (end < last) {
                    throw new IllegalArgumentException("an invalid range");
                }
                ranges.add(new char[] {last, end});
                hasStart = false;
                continue;
            }
            ranges.add(new char[] {c, c});
            last = c;
            hasStart = true;
        }
        if (!closed) {
            throw new IllegalArgumentException("a class without ']'");
        }
        append(alternatives, new Token(Kind.CLASS, '\0', negated, List.copyOf(ranges)));
        return i;
    }

    /**
     * A group {a,b} from just after its '{': every alternative so far, followed by each branch (a star that ends one
     * and a star that starts the other are one, as in {@link #append}).
     */
    private static int parseGroup(String pattern, int i, List<List<Token>> alternatives) {
        int end = pattern.indexOf('}', i);
        if (end < 0) {
            throw new IllegalArgumentException("a group without '}'");
        }
        String body = pattern.substring(i, end);
        if (body.indexOf('{') >= 0) {
            throw new IllegalArgumentException("nested groups");
        }
        List<List<Token>> branches = new ArrayList<>();
        for (String branch : body.split(",", -1)) {
            List<List<Token>> parsed = new ArrayList<>();
            parsed.add(new ArrayList<>());
            parse(branch, parsed);
            branches.addAll(parsed);
        }
        List<List<Token>> combined = new ArrayList<>();
        for (List<Token> before : alternatives) {
            for (List<Token> branch : branches) {
                List<Token> tokens = new ArrayList<>(before);
                branch.forEach(token -> appendTo(tokens, token));
                combined.add(tokens);
                if (combined.size() > MAX_ALTERNATIVES) {
                    throw new IllegalArgumentException("too many alternatives");
                }
            }
        }
        alternatives.clear();
        alternatives.addAll(combined);
        return end + 1;
    }

    /** Whether the whole of {@code text} matches. */
    boolean matches(String text) {
        GlobAutomaton own = automaton;
        if (own == null) {
            own = GlobAutomaton.of(List.of(this));
            automaton = own;
        }
        return own.matches(text);
    }

    /** The token lists of its alternatives, for {@link GlobAutomaton}. */
    List<List<Token>> alternatives() {
        return alternatives;
    }

    /** The states its automaton needs: one per token of each alternative, and one after each. */
    int states() {
        return alternatives.stream().mapToInt(a -> a.size() + 1).sum();
    }
}
