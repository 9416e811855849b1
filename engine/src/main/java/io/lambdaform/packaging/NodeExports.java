package io.lambdaform.packaging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a JavaScript module exports, found by reading its text, at best: CommonJS ({@code exports.NAME =},
 * {@code module.exports.NAME =}, {@code module.exports = { NAME, NAME: ..., NAME() {} }},
 * {@code Object.defineProperty(exports, "NAME", ...)}) and ES modules ({@code export function NAME},
 * {@code export async function NAME}, {@code export const|let|var|class NAME}, {@code export { a as NAME }}). Strings,
 * template literals, regular expressions and comments are skipped first. A module whose exports a reading cannot
 * know ({@code module.exports} set to something other than an object literal, {@code export * from}, a spread, a
 * computed name) is {@linkplain #unsure() unsure}.
 *
 * @param names the names surely exported
 * @param unsure why the module may export names this reading does not see, when it may
 */
record NodeExports(Set<String> names, Optional<String> unsure) {
    /** A module larger than this is not read. */
    static final int MAX_BYTES = 1024 * 1024;

    private static final String IDENTIFIER = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    private static final Pattern NAME = Pattern.compile(IDENTIFIER);
    private static final Pattern PROPERTY = Pattern.compile(
            "\\bexports\\s*(?:\\.\\s*(" + IDENTIFIER + ")|\\[\\s*\"(" + IDENTIFIER + ")\"\\s*\\])\\s*=(?!=)");
    private static final Pattern COMPUTED = Pattern.compile("\\bexports\\s*\\[\\s*[^\"\\s]");
    private static final Pattern DEFINE =
            Pattern.compile("\\bObject\\s*\\.\\s*defineProperty\\s*\\(\\s*(?:module\\s*\\.\\s*)?exports\\s*,\\s*\"("
                    + IDENTIFIER + ")\"");
    private static final Pattern MODULE_EXPORTS = Pattern.compile("\\bmodule\\s*\\.\\s*exports\\s*=(?!=)\\s*");
    private static final Pattern ASSIGN_EXPORTS =
            Pattern.compile("\\bObject\\s*\\.\\s*assign\\s*\\(\\s*(?:module\\s*\\.\\s*)?exports\\b");
    private static final Pattern EXPORT_FUNCTION =
            Pattern.compile("\\bexport\\s+(?:async\\s+)?function\\s*\\*?\\s*(" + IDENTIFIER + ")");
    private static final Pattern EXPORT_CLASS = Pattern.compile("\\bexport\\s+class\\s+(" + IDENTIFIER + ")");
    private static final Pattern EXPORT_DECLARATION = Pattern.compile("\\bexport\\s+(?:const|let|var)\\s+");
    private static final Pattern EXPORT_LIST = Pattern.compile("\\bexport\\s*\\{([^}]*)\\}");
    private static final Pattern EXPORT_STAR = Pattern.compile("\\bexport\\s*\\*\\s*(?:as\\s+(" + IDENTIFIER + "))?");
    private static final Pattern EXPORT_DEFAULT = Pattern.compile("\\bexport\\s+default\\b");
    private static final Pattern KEY = Pattern.compile("^(?:(?:async|get|set|static)\\s+)?\\*?\\s*(?:(" + IDENTIFIER
            + ")|\"(" + IDENTIFIER + ")\")\\s*(?:[:(,]|$)");
    /** What transpilers write to re-export another module's names. */
    private static final Pattern REEXPORT = Pattern.compile("\\b(?:__exportStar|__reExport|__export)\\s*\\(");

    NodeExports {
        // In the order of the file: messages list them so, whatever the run.
        names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /** Whether the module surely exports {@code name}. */
    boolean exports(String name) {
        return names.contains(name);
    }

    static NodeExports scan(String source) {
        Set<String> names = new LinkedHashSet<>();
        List<String> unsure = new ArrayList<>();
        try {
            read(source, new ReadingBudget(ReadingBudget.CHARACTERS), names, unsure);
        } catch (ReadingBudget.Exhausted e) {
            unsure.add("it is more than a reading looks through");
        }
        return new NodeExports(names, unsure.stream().findFirst());
    }

    private static void read(String source, ReadingBudget budget, Set<String> names, List<String> unsure) {
        Code code = Code.of(source);
        String raw = code.text();
        CharSequence text = budget.text(raw);
        if (!code.complete()) {
            unsure.add("it could not be read to its end (a string, comment or bracket left open)");
        }
        for (Matcher m = PROPERTY.matcher(text); m.find(); ) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        for (Matcher m = DEFINE.matcher(text); m.find(); ) {
            names.add(m.group(1));
        }
        if (COMPUTED.matcher(text).find()) {
            unsure.add("it sets exports by computed names");
        }
        if (ASSIGN_EXPORTS.matcher(text).find() || REEXPORT.matcher(text).find()) {
            unsure.add("it copies another object's names into its exports");
        }
        for (Matcher m = MODULE_EXPORTS.matcher(text); m.find(); ) {
            if (m.end() < raw.length() && raw.charAt(m.end()) == '{') {
                objectKeys(raw, m.end(), budget, names, unsure);
            } else {
                unsure.add("it sets module.exports to something other than an object literal");
            }
        }
        for (Matcher m = EXPORT_FUNCTION.matcher(text); m.find(); ) {
            names.add(m.group(1));
        }
        for (Matcher m = EXPORT_CLASS.matcher(text); m.find(); ) {
            names.add(m.group(1));
        }
        for (Matcher m = EXPORT_DECLARATION.matcher(text); m.find(); ) {
            declared(raw, m.end(), budget, names);
        }
        for (Matcher m = EXPORT_LIST.matcher(text); m.find(); ) {
            budget.spend(m.group(1).length());
            for (String item : m.group(1).split(",")) {
                String[] words = item.strip().split("\\s+");
                String exported = words.length == 3 && words[1].equals("as") ? words[2] : words[0];
                exported = exported.replace("\"", "");
                if (NAME.matcher(exported).matches()) {
                    names.add(exported);
                }
            }
        }
        for (Matcher m = EXPORT_STAR.matcher(text); m.find(); ) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            } else {
                unsure.add("it re-exports every name of another module (export * from)");
            }
        }
        if (EXPORT_DEFAULT.matcher(text).find()) {
            names.add("default");
        }
    }

    /** The keys of the object literal that starts at {@code open}: a spread or a computed key makes them unsure. */
    private static void objectKeys(
            String text, int open, ReadingBudget budget, Set<String> names, List<String> unsure) {
        int depth = 0;
        int start = open + 1;
        for (int i = open; i < text.length(); i++) {
            budget.spend(1);
            char c = text.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    property(text.substring(start, i).strip(), budget, names, unsure);
                    return;
                }
            } else if (c == ',' && depth == 1) {
                property(text.substring(start, i).strip(), budget, names, unsure);
                start = i + 1;
            }
        }
        unsure.add("its module.exports object could not be read to its end");
    }

    private static void property(String property, ReadingBudget budget, Set<String> names, List<String> unsure) {
        if (property.isEmpty()) {
            return;
        }
        if (property.startsWith("...")) {
            unsure.add("it spreads another object into module.exports");
            return;
        }
        if (property.startsWith("[")) {
            unsure.add("it exports a computed name");
            return;
        }
        Matcher key = KEY.matcher(budget.text(property));
        if (key.lookingAt()) {
            names.add(key.group(1) != null ? key.group(1) : key.group(2));
        }
    }

    /** The names {@code export const a = 1, { b, c: d } = e} declares, from after the keyword. */
    private static void declared(String text, int from, ReadingBudget budget, Set<String> names) {
        int depth = 0;
        boolean inValue = false;
        StringBuilder pattern = new StringBuilder();
        for (int i = from; i < text.length(); i++) {
            budget.spend(1);
            char c = text.charAt(i);
            if (depth == 0 && (c == ';' || c == '\n')) {
                break;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            if (depth == 0 && c == '=' && !inValue) {
                inValue = true;
                addNames(pattern.toString(), names);
                pattern.setLength(0);
            } else if (depth == 0 && c == ',') {
                inValue = false;
            } else if (!inValue) {
                pattern.append(c);
            }
            if (depth < 0) {
                break;
            }
        }
        addNames(pattern.toString(), names);
    }

    /** Every name in a declaration's binding: a plain name, or each name of a destructuring pattern. */
    private static void addNames(String binding, Set<String> names) {
        for (Matcher m = NAME.matcher(binding); m.find(); ) {
            names.add(m.group());
        }
    }

    /**
     * A module's text with comments removed, each string and template literal replaced by {@code "name"} when it holds
     * a name and {@code ""} otherwise, and each regular expression by {@code /r/}; and whether it ended outside all.
     */
    private record Code(String text, boolean complete) {
        private static final String REGEX_BEFORE = "(,=:[!&|?{};+-*%<>~^";
        private static final Pattern KEYWORD_BEFORE = Pattern.compile(
                "(?:^|[^\\p{L}\\p{N}_$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$");

        static Code of(String source) {
            StringBuilder out = new StringBuilder(source.length());
            boolean complete = true;
            int depth = 0;
            int n = source.length();
            int noRegexBefore = 0;
            int i = 0;
            while (i < n) {
                char c = source.charAt(i);
                if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
                    while (i < n && source.charAt(i) != '\n') {
                        i++;
                    }
                    continue;
                }
                if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                    int end = source.indexOf("*/", i + 2);
                    complete &= end >= 0;
                    i = end < 0 ? n : end + 2;
                    out.append(' ');
                    continue;
                }
                if (c == '\'' || c == '"' || c == '`') {
                    int end = stringEnd(source, i);
                    complete &= end >= 0;
                    String body = end < 0 ? "" : source.substring(i + 1, end - 1);
                    out.append('"')
                            .append(NAME.matcher(body).matches() ? body : "")
                            .append('"');
                    i = end < 0 ? n : end;
                    continue;
                }
                if (c == '/' && i >= noRegexBefore && regexAllowed(out)) {
                    int end = regexEnd(source, i);
                    if (end > 0) {
                        out.append("/r/");
                        i = end;
                        continue;
                    }
                    // No regular expression ends on this line: none is looked for again before its end.
                    int newline = source.indexOf('\n', i);
                    noRegexBefore = newline < 0 ? n : newline;
                }
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    depth--;
                }
                out.append(c);
                i++;
            }
            return new Code(out.toString(), complete && depth == 0);
        }

        /** Where the string or template literal that starts at {@code start} ends (after its quote), or -1. */
        private static int stringEnd(String source, int start) {
            char quote = source.charAt(start);
            int braces = 0;
            for (int i = start + 1; i < source.length(); i++) {
                char c = source.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (quote == '`' && c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                    braces++;
                    i++;
                } else if (quote == '`' && braces > 0 && c == '}') {
                    braces--;
                } else if (c == quote && braces == 0) {
                    return i + 1;
                } else if (c == '\n' && quote != '`') {
                    return -1;
                }
            }
            return -1;
        }

        /** Whether a {@code /} here starts a regular expression rather than a division: what comes before says. */
        private static boolean regexAllowed(StringBuilder before) {
            int i = before.length() - 1;
            while (i >= 0 && Character.isWhitespace(before.charAt(i))) {
                i--;
            }
            if (i < 0 || REGEX_BEFORE.indexOf(before.charAt(i)) >= 0) {
                return true;
            }
            int from = Math.max(0, i - 12);
            return KEYWORD_BEFORE.matcher(before.substring(from, i + 1)).find();
        }

        /** Where the regular expression that starts at {@code start} ends (after its flags), or -1 if it does not. */
        private static int regexEnd(String source, int start) {
            boolean inClass = false;
            for (int i = start + 1; i < source.length(); i++) {
                char c = source.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '\n') {
                    return -1;
                } else if (c == '[') {
                    inClass = true;
                } else if (c == ']') {
                    inClass = false;
                } else if (c == '/' && !inClass) {
                    int end = i + 1;
                    while (end < source.length() && Character.isLetter(source.charAt(end))) {
                        end++;
                    }
                    return end;
                }
            }
            return -1;
        }
    }
}
