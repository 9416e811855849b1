package io.lambdaform.packaging;

import io.lambdaform.LambdaformException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code code.exclude} patterns of one code folder (and the default ones): a path relative to the folder is
 * excluded when one of them matches the path or its file name. A name ({@code .git}) or a name's end
 * ({@code *.pyc}), the common cases, is compared as a string; every other pattern is a state of one
 * {@link GlobAutomaton}, so that a hundred patterns cost one pass over a path, not a hundred.
 */
final class Exclusions {
    /** What makes states, for the messages that refuse too many. */
    private static final String STATES =
            " (each character, '?', class and star is one, and each {a,b} group repeats the rest of its pattern)";

    private final Set<String> names;
    private final List<String> endings;
    private final Optional<GlobAutomaton> globs;

    private Exclusions(Set<String> names, List<String> endings, Optional<GlobAutomaton> globs) {
        this.names = names;
        this.endings = endings;
        this.globs = globs;
    }

    /** The exclusions of these patterns; a pattern that is not a glob Lambdaform supports is a user error. */
    static Exclusions of(List<String> patterns) {
        Set<String> names = new HashSet<>();
        List<String> endings = new ArrayList<>();
        List<Glob> globs = new ArrayList<>();
        for (String pattern : patterns) {
            if (isPlain(pattern)) {
                names.add(pattern);
            } else if (pattern.startsWith("*") && isPlain(pattern.substring(1))) {
                endings.add(pattern.substring(1));
            } else {
                Glob glob = Glob.of(pattern)
                        .orElseThrow(() -> LambdaformException.user("code.exclude pattern '" + pattern
                                + "' is not a glob Lambdaform supports (an empty or unclosed class, a group inside a"
                                + " group, more than " + Glob.MAX_ALTERNATIVES + " alternatives): write it another"
                                + " way"));
                if (glob.states() > GlobAutomaton.MAX_STATES) {
                    throw LambdaformException.user("code.exclude pattern '" + pattern + "' is too complex: it needs "
                            + glob.states() + " states to match, at most " + GlobAutomaton.MAX_STATES + STATES
                            + ": write it shorter or with fewer alternatives");
                }
                globs.add(glob);
            }
        }
        int states = globs.stream().mapToInt(Glob::states).sum();
        if (states > GlobAutomaton.MAX_STATES) {
            throw LambdaformException.user("code.exclude patterns are too complex together: their "
                    + globs.size() + " globs need " + states + " states to match, at most "
                    + GlobAutomaton.MAX_STATES + STATES + ": use fewer or shorter patterns");
        }
        return new Exclusions(
                Set.copyOf(names),
                List.copyOf(endings),
                globs.isEmpty() ? Optional.empty() : Optional.of(GlobAutomaton.of(globs)));
    }

    /** Without glob syntax or a folder separator. */
    private static boolean isPlain(String pattern) {
        return pattern.chars().noneMatch(c -> "*?[]{}\\/".indexOf(c) >= 0);
    }

    /** Whether {@code relative} (a path inside the code folder) is excluded. */
    boolean excludes(Path relative) {
        String fileName = relative.getFileName().toString();
        if (names.contains(fileName)) {
            return true;
        }
        for (String ending : endings) {
            if (fileName.endsWith(ending)) {
                return true;
            }
        }
        if (globs.isEmpty()) {
            return false;
        }
        // Not the JDK's matcher: its regular expressions backtrack for hours on some patterns.
        String path = entryName(relative);
        return globs.get().matches(path)
                || !path.equals(fileName) && globs.get().matches(fileName);
    }

    /** The path with '/' between its names, as zip entries and patterns write it. */
    static String entryName(Path relative) {
        if (relative.getFileSystem().getSeparator().equals("/")) {
            return relative.toString();
        }
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }
}
