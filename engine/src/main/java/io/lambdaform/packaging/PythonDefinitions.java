package io.lambdaform.packaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a Python module defines at its top level, found by reading its text, not by importing it: {@code def}
 * and {@code async def}, {@code class}, assignments (annotated, chained, to tuples), imports and {@code for} and
 * {@code with} targets, at the module's level or in its {@code if}, {@code try}, {@code with}... blocks, never in a
 * function's or a class's body. Strings (triple-quoted ones too) and comments are skipped, and lines joined inside
 * brackets and after a backslash, as Python's tokenizer does. A module that makes names in ways a reading cannot
 * follow ({@code from x import *}, {@code globals()}, {@code sys.modules}, {@code exec}, a module
 * {@code __getattr__}) is {@linkplain #unknowable() unknowable}.
 *
 * @param names every name bound at the top level
 * @param functions the functions defined at the top level, in the order of the file
 * @param unknowable why the module may define names this reading does not see, when it may
 */
record PythonDefinitions(Set<String> names, List<String> functions, Optional<String> unknowable) {
    /** A module larger than this is not read. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final String IDENTIFIER = "[\\p{L}_][\\p{L}\\p{N}_]*";
    private static final Pattern NAME = Pattern.compile(IDENTIFIER);
    private static final Pattern DEF = Pattern.compile("^(?:async\\s+)?def\\s+(" + IDENTIFIER + ")");
    private static final Pattern CLASS = Pattern.compile("^class\\s+(" + IDENTIFIER + ")");
    private static final Pattern COMPOUND =
            Pattern.compile("^(if|elif|else|try|except|finally|with|async\\s+with|for|async\\s+for|while)\\b");
    private static final Pattern FOR = Pattern.compile("^(?:async\\s+)?for\\s+(.+?)\\s+in\\b");
    private static final Pattern WITH_TARGET = Pattern.compile("\\bas\\s+(" + IDENTIFIER + ")");
    private static final Pattern FROM_IMPORT = Pattern.compile("^from\\s+\\S+\\s+import\\s+(.*)$");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(.*)$");
    private static final Pattern KEYWORD = Pattern.compile(
            "^(?:return|pass|break|continue|raise|del|assert|global|nonlocal|yield|await|lambda|not)\\b");
    /** What a module may use to make names a reading cannot see, as the message names it. */
    private static final List<Map.Entry<String, Pattern>> UNKNOWABLE = List.of(
            Map.entry("globals()", Pattern.compile("\\bglobals\\s*\\(")),
            Map.entry("vars()", Pattern.compile("\\bvars\\s*\\(\\s*\\)")),
            Map.entry("sys.modules", Pattern.compile("\\bsys\\s*\\.\\s*modules\\b")),
            Map.entry("exec()", Pattern.compile("\\bexec\\s*\\(")),
            Map.entry("__builtins__", Pattern.compile("\\b__builtins__\\b")));

    PythonDefinitions {
        // In the order of the file: messages list them so, whatever the run.
        names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
        functions = List.copyOf(functions);
    }

    /** Whether the module surely defines {@code name} at its top level. */
    boolean defines(String name) {
        return names.contains(name);
    }

    static PythonDefinitions scan(String source) {
        Scan scan = new Scan(new ReadingBudget(ReadingBudget.CHARACTERS));
        try {
            scan.module(source);
        } catch (ReadingBudget.Exhausted e) {
            scan.unknowable("it is more than a reading looks through");
        }
        return new PythonDefinitions(scan.names, new ArrayList<>(scan.functions), Optional.ofNullable(scan.unknowable));
    }

    /** A block opened by a line ending in a colon: a function's or a class's body is a scope of its own. */
    private record Block(int indent, boolean scope) {}

    /** One logical line: its first physical line's indentation, and its text without strings or comments. */
    private record LogicalLine(int indent, String text) {}

    /** What the reading of the module's top level has found so far. */
    private static final class Scan {
        /** Compound statements on one line ({@code if a: if b: ...}) followed, at most. */
        private static final int MAX_NESTED = 16;

        final Set<String> names = new LinkedHashSet<>();
        final Set<String> functions = new LinkedHashSet<>();
        final ReadingBudget budget;
        String unknowable;

        Scan(ReadingBudget budget) {
            this.budget = budget;
        }

        void module(String source) {
            Deque<Block> blocks = new ArrayDeque<>();
            int scopes = 0;
            List<LogicalLine> lines = new ArrayList<>();
            if (!logicalLines(source, lines)) {
                unknowable("it could not be read to its end (a string or a bracket left open)");
            }
            for (LogicalLine line : lines) {
                // Each line is gone through a few times by hand: its brackets, its statements, its assignments.
                budget.spend(4L * line.text().length());
                while (!blocks.isEmpty() && blocks.peek().indent() >= line.indent()) {
                    scopes -= blocks.pop().scope() ? 1 : 0;
                }
                for (Map.Entry<String, Pattern> marker : UNKNOWABLE) {
                    if (marker.getValue().matcher(budget.text(line.text())).find()) {
                        unknowable("it uses " + marker.getKey() + ", which can make names a reading cannot see");
                    }
                }
                String text = line.text().strip();
                boolean moduleLevel = scopes == 0;
                if (endsBlock(text)) {
                    boolean scope = starts(DEF, text) || starts(CLASS, text);
                    blocks.push(new Block(line.indent(), scope));
                    scopes += scope ? 1 : 0;
                }
                if (moduleLevel) {
                    for (String statement : split(text, ';')) {
                        statement(statement.strip(), 0);
                    }
                }
            }
        }

        private boolean starts(Pattern pattern, String text) {
            return pattern.matcher(budget.text(text)).lookingAt();
        }

        /** A matcher of {@code pattern} at the start of {@code text}, when it matches there. */
        private Optional<Matcher> at(Pattern pattern, String text) {
            Matcher matcher = pattern.matcher(budget.text(text));
            return matcher.lookingAt() ? Optional.of(matcher) : Optional.empty();
        }

        void unknowable(String why) {
            if (unknowable == null) {
                unknowable = why;
            }
        }

        void statement(String statement, int nested) {
            if (statement.isEmpty() || statement.startsWith("@")) {
                return;
            }
            Optional<Matcher> def = at(DEF, statement);
            if (def.isPresent()) {
                String name = def.get().group(1);
                names.add(name);
                functions.add(name);
                if (name.equals("__getattr__")) {
                    unknowable("it defines a module __getattr__, which makes names when they are asked for");
                }
                return;
            }
            Optional<Matcher> type = at(CLASS, statement);
            if (type.isPresent()) {
                names.add(type.get().group(1));
                return;
            }
            Optional<Matcher> from = at(FROM_IMPORT, statement);
            if (from.isPresent()) {
                imported(from.get().group(1), false);
                return;
            }
            Optional<Matcher> plain = at(IMPORT, statement);
            if (plain.isPresent()) {
                imported(plain.get().group(1), true);
                return;
            }
            if (starts(COMPOUND, statement)) {
                compound(statement, nested);
                return;
            }
            if (!starts(KEYWORD, statement)) {
                assignment(statement);
            }
        }

        /** A compound statement's header binds its {@code for} and {@code with} targets; a body after it, its own. */
        private void compound(String statement, int nested) {
            int colon = headerColon(statement);
            String header = colon < 0 ? statement : statement.substring(0, colon);
            at(FOR, header).ifPresent(loop -> targets(loop.group(1)));
            if (header.startsWith("with") || header.startsWith("async")) {
                Matcher as = WITH_TARGET.matcher(budget.text(header));
                while (as.find()) {
                    names.add(as.group(1));
                }
            }
            if (colon >= 0 && colon + 1 < statement.length()) {
                if (nested >= MAX_NESTED) {
                    unknowable("it nests more statements on one line than a reading follows");
                    return;
                }
                budget.spend(statement.length());
                statement(statement.substring(colon + 1).strip(), nested + 1);
            }
        }

        private void imported(String list, boolean modules) {
            String names = list.replace("(", " ").replace(")", " ").strip();
            if (names.equals("*")) {
                unknowable("it imports every name of another module (import *)");
                return;
            }
            for (String part : names.split(",")) {
                String[] words = part.strip().split("\\s+");
                if (words.length == 3 && words[1].equals("as")) {
                    addName(words[2]);
                } else if (words.length >= 1) {
                    // "import a.b" binds a; "from m import b" binds b.
                    addName(modules ? words[0].split("\\.")[0] : words[0]);
                }
            }
        }

        /** {@code a = b = value}, {@code a: T = value}, {@code (a, b) = value}, {@code a, *b = value}. */
        private void assignment(String statement) {
            List<String> parts = splitAssignments(statement);
            for (int i = 0; i < parts.size() - 1; i++) {
                String target = parts.get(i);
                List<String> annotated = split(target, ':');
                if (annotated.size() > 1) {
                    addName(annotated.get(0).strip());
                } else {
                    targets(target);
                }
            }
        }

        /** The names of a target list: parentheses, brackets and stars are only its shape. */
        private void targets(String targets) {
            budget.spend(targets.length());
            String flat = targets.replaceAll("[()\\[\\]*]", " ");
            for (String part : flat.split(",")) {
                addName(part.strip());
            }
        }

        private void addName(String name) {
            if (NAME.matcher(budget.text(name)).matches()) {
                names.add(name);
            }
        }
    }

    /** Whether a logical line opens a block: it ends with a colon outside brackets. */
    private static boolean endsBlock(String text) {
        return text.endsWith(":") && depthAt(text, text.length() - 1) == 0;
    }

    /** The colon that ends a compound statement's header: the first outside brackets that is not {@code :=}. */
    private static int headerColon(String statement) {
        int depth = 0;
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ':' && depth == 0 && (i + 1 >= statement.length() || statement.charAt(i + 1) != '=')) {
                return i;
            }
        }
        return -1;
    }

    private static int depthAt(String text, int end) {
        int depth = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        return depth;
    }

    /** {@code text} split at {@code separator} outside brackets. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /** {@code text} split at each {@code =} that assigns (not {@code ==}, {@code <=}, {@code +=}, {@code :=}...). */
    private static List<String> splitAssignments(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == '=' && depth == 0) {
                char before = i > 0 ? text.charAt(i - 1) : ' ';
                char after = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                if (after == '=') {
                    i++; // ==
                } else if ("=!<>:+-*/%&|^@~".indexOf(before) < 0) {
                    parts.add(text.substring(start, i));
                    start = i + 1;
                }
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    /**
     * Adds the module's logical lines to {@code lines}, as Python's tokenizer makes them: strings (each becomes
     * {@code ""}) and comments removed, physical lines joined inside brackets and after a backslash; blank lines
     * dropped. Whether the text ends outside any string and bracket.
     */
    private static boolean logicalLines(String source, List<LogicalLine> lines) {
        boolean closed = true;
        StringBuilder text = new StringBuilder();
        int depth = 0;
        int indent = 0;
        boolean atLineStart = true;
        int column = 0;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (atLineStart) {
                // The indentation of a physical line that starts a logical one (tabs to the next multiple of 8).
                if (c == ' ') {
                    column++;
                    i++;
                    continue;
                }
                if (c == '\t') {
                    column = (column / 8 + 1) * 8;
                    i++;
                    continue;
                }
                if (c == '\f') {
                    column = 0;
                    i++;
                    continue;
                }
                indent = column;
                atLineStart = false;
            }
            if (c == '#') {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\\' && i + 1 < n && (source.charAt(i + 1) == '\n' || source.charAt(i + 1) == '\r')) {
                i += source.startsWith("\r\n", i + 1) ? 3 : 2;
                text.append(' ');
                continue;
            }
            if (c == '\n' || c == '\r') {
                i++;
                if (depth > 0) {
                    text.append(' ');
                    continue;
                }
                if (!text.toString().isBlank()) {
                    lines.add(new LogicalLine(indent, text.toString()));
                }
                text.setLength(0);
                atLineStart = true;
                column = 0;
                continue;
            }
            if (c == '\'' || c == '"') {
                i = skipString(source, i);
                closed = i >= 0;
                if (i < 0) {
                    break;
                }
                text.append("\"\"");
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
            text.append(c);
            i++;
        }
        if (!text.toString().isBlank()) {
            lines.add(new LogicalLine(indent, text.toString()));
        }
        return closed && depth == 0;
    }

    /**
     * Where the string that starts at {@code start} (a quote; any prefix such as {@code r} or {@code f} was read as
     * a name before it) ends: after its closing quote or quotes, or at the end of the line for a single-quoted
     * string left open; -1 for a triple-quoted string left open.
     */
    private static int skipString(String source, int start) {
        char quote = source.charAt(start);
        int n = source.length();
        String three = String.valueOf(quote).repeat(3);
        boolean triple = source.startsWith(three, start);
        int i = start + (triple ? 3 : 1);
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (triple) {
                if (source.startsWith(three, i)) {
                    return i + 3;
                }
            } else if (c == quote) {
                return i + 1;
            } else if (c == '\n') {
                return i;
            }
            i++;
        }
        return triple ? -1 : n;
    }
}
