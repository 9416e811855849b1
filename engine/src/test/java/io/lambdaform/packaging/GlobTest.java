package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void matchesExactlyAsTheJdksGlob_onThousandsOfPatternsAndPaths() {
        Random random = new Random(42);
        String patternChars = "ab./*?[]!-{},";
        String pathChars = "ab./-,";
        int compared = 0;
        int accepted = 0;
        int refused = 0;
        for (int p = 0; p < 4000; p++) {
            StringBuilder pattern = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                pattern.append(patternChars.charAt(random.nextInt(patternChars.length())));
            }
            PathMatcher jdk;
            try {
                jdk = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            } catch (IllegalArgumentException e) {
                continue; // refused by validate as not a valid glob
            }
            Optional<Glob> glob = Glob.of(pattern.toString());
            if (glob.isEmpty()) {
                refused++; // such as "[]{" or a class closed inside a group: refused as not supported
                continue;
            }
            accepted++;
            for (int t = 0; t < 40; t++) {
                StringBuilder path = new StringBuilder();
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    path.append(pathChars.charAt(random.nextInt(pathChars.length())));
                }
                String text = path.toString();
                if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
                    continue; // not a relative path the walk gives
                }
                assertThat(glob.get().matches(text))
                        .as("%s against %s", pattern, text)
                        .isEqualTo(jdk.matches(Path.of(text)));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(refused).as("patterns the JDK accepts and Glob refuses").isLessThan(accepted / 20);
    }

    @Test
    void commonExcludes_matchAsDocumented() {
        assertThat(Glob.of("docs/**").orElseThrow().matches("docs/a/b.md")).isTrue();
        assertThat(Glob.of("*.md").orElseThrow().matches("README.md")).isTrue();
        assertThat(Glob.of("*.md").orElseThrow().matches("docs/README.md")).isFalse();
        assertThat(Glob.of("{tests,docs}").orElseThrow().matches("docs")).isTrue();
        assertThat(Glob.of("[!a]*.py").orElseThrow().matches("b.py")).isTrue();
        assertThat(Glob.of("[!a]*.py").orElseThrow().matches("a.py")).isFalse();
    }

    @Test
    void aGroupBranchStartingWithAStar_afterAStar_matchesAsTheJdksGlob() {
        assertThat(Glob.of("a*{*}").orElseThrow().matches("a")).isTrue();
        assertThat(Glob.of("*{*,x}b").orElseThrow().matches("b")).isTrue();
        assertThat(Glob.of("*{*.tmp,~}").orElseThrow().matches(".tmp")).isTrue();
        assertThat(Glob.of("*{**}").orElseThrow().matches("a/b")).isTrue();
        assertThat(Glob.of("a*{*}").orElseThrow().matches("a/b")).isFalse();
    }

    @Test
    void groupsWhoseBranchesStartOrEndWithStars_matchExactlyAsTheJdksGlob() {
        Random random = new Random(11);
        String[] pieces = {"*", "**", "a", "b", ".", "?", "[ab]", ""};
        String pathChars = "ab./";
        int compared = 0;
        for (int p = 0; p < 2000; p++) {
            StringBuilder pattern = new StringBuilder();
            pattern.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? "*" : "**");
            pattern.append('{');
            for (int b = 0, n = 1 + random.nextInt(3); b < n; b++) {
                pattern.append(b == 0 ? "" : ",");
                pattern.append(random.nextInt(3) == 0 ? "" : random.nextBoolean() ? "*" : "**");
                pattern.append(pieces[random.nextInt(pieces.length)]);
                pattern.append(random.nextInt(3) == 0 ? "*" : "");
            }
            pattern.append('}');
            pattern.append(random.nextBoolean() ? "*" : "").append(pieces[random.nextInt(pieces.length)]);
            PathMatcher jdk = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Glob glob = Glob.of(pattern.toString()).orElseThrow();
            for (int t = 0; t < 20; t++) {
                StringBuilder path = new StringBuilder();
                for (int i = 0, k = random.nextInt(6); i < k; i++) {
                    path.append(pathChars.charAt(random.nextInt(pathChars.length())));
                }
                String text = path.toString();
                if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
                    continue;
                }
                assertThat(glob.matches(text))
                        .as("%s against %s", pattern, text)
                        .isEqualTo(jdk.matches(Path.of(text)));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    @Test
    void aPatternThatMakesARegularExpressionBacktrack_isMatchedAtOnce() {
        Glob glob = Glob.of("*a*a*a*a*a*a*a*a*a*a*a*a*b").orElseThrow();
        String name = "a".repeat(250);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 1000; i++) {
                assertThat(glob.matches(name)).isFalse();
            }
        });
    }

    @Test
    void classes_withOverlappingRepeatedAndNegatedRanges_matchExactlyAsTheJdksGlob() {
        Random random = new Random(7);
        String classChars = "abcdefg";
        String pathChars = "abcdefgh/";
        int compared = 0;
        for (int p = 0; p < 1500; p++) {
            StringBuilder pattern = new StringBuilder();
            for (int c = 0, n = 1 + random.nextInt(3); c < n; c++) {
                pattern.append(random.nextInt(3) == 0 ? "*" : "").append(random.nextBoolean() ? "[!" : "[");
                for (int r = 0, k = 1 + random.nextInt(4); r < k; r++) {
                    char first = classChars.charAt(random.nextInt(classChars.length()));
                    pattern.append(first);
                    if (random.nextBoolean()) {
                        pattern.append('-').append((char) (first + random.nextInt(3)));
                    }
                }
                pattern.append(']');
            }
            PathMatcher jdk = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Glob glob = Glob.of(pattern.toString()).orElseThrow();
            for (int t = 0; t < 20; t++) {
                StringBuilder path = new StringBuilder();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    path.append(pathChars.charAt(random.nextInt(pathChars.length())));
                }
                String text = path.toString();
                if (text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
                    continue;
                }
                assertThat(glob.matches(text))
                        .as("%s against %s", pattern, text)
                        .isEqualTo(jdk.matches(Path.of(text)));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    @Test
    void aClassCopiedIntoEveryAlternative_isTestedOncePerCharacter() {
        String branches = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567";
        List<Glob> globs = new ArrayList<>();
        for (int p = 0; p < 34; p++) {
            StringBuilder pattern = new StringBuilder("*{");
            for (int i = 0; i < branches.length(); i++) {
                pattern.append(i == 0 ? "" : ",").append(branches.charAt(i));
            }
            pattern.append("}[");
            for (int r = 0; r < 80; r++) {
                char first = (char) (0x4E00 + p * 7 + r * 200);
                pattern.append(first).append('-').append((char) (first + 3));
            }
            globs.add(Glob.of(pattern.append(']').toString()).orElseThrow());
        }
        GlobAutomaton automaton = GlobAutomaton.of(globs);
        Random random = new Random(3);
        long characters = 0;
        int matched = 0;
        for (int f = 0; f < 300; f++) {
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < 160; i++) {
                name.append((char) (0x4E00 + random.nextInt(20_000)));
            }
            name.append(branches.charAt(f % branches.length())).append((char) (0x4E00 + (f % 34) * 7 + 200 + f % 4));
            characters += name.length();
            matched += automaton.matches(name.toString()) ? 1 : 0;
        }

        assertThat(matched).isEqualTo(300);
        assertThat(automaton.distinctClasses()).isEqualTo(34);
        assertThat(automaton.classTests()).isLessThanOrEqualTo(characters * automaton.distinctClasses());
    }

    @Test
    void globsAsOneAutomaton_matchWhatAnyOfThemMatches() {
        Random random = new Random(5);
        String patternChars = "ab./*?[]!{},";
        String pathChars = "ab./";
        int compared = 0;
        for (int round = 0; round < 1500; round++) {
            List<Glob> globs = new ArrayList<>();
            for (int g = 0, n = 1 + random.nextInt(6); g < n; g++) {
                StringBuilder pattern = new StringBuilder();
                for (int i = 0, k = 1 + random.nextInt(7); i < k; i++) {
                    pattern.append(patternChars.charAt(random.nextInt(patternChars.length())));
                }
                Glob.of(pattern.toString()).ifPresent(globs::add);
            }
            if (globs.isEmpty()) {
                continue;
            }
            GlobAutomaton union = GlobAutomaton.of(globs);
            for (int t = 0; t < 20; t++) {
                StringBuilder path = new StringBuilder();
                for (int i = 0, k = 1 + random.nextInt(8); i < k; i++) {
                    path.append(pathChars.charAt(random.nextInt(pathChars.length())));
                }
                String text = path.toString();
                assertThat(union.matches(text))
                        .as("%s against %s", globs, text)
                        .isEqualTo(globs.stream().anyMatch(g -> g.matches(text)));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
    }

    @Test
    void excludePatterns_thatNeedMoreStatesThanAllowed_areRefusedWithTheirCount() {
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            patterns.add("*a".repeat(499) + "b" + i);
        }

        assertThatThrownBy(() -> Exclusions.of(patterns))
                .hasMessageContaining("code.exclude patterns are too complex together")
                .hasMessageContaining("at most " + GlobAutomaton.MAX_STATES);
    }

    @Test
    void onePatternThatNeedsMoreStatesThanAllowed_isRefusedAsTooComplex_notAsNotAGlob() {
        String pattern = "{a,b,c,d,e,f,g,h}{a,b,c,d,e,f,g,h}{a,b,c,d}" + "x".repeat(40);

        assertThatThrownBy(() -> Exclusions.of(List.of(pattern)))
                .hasMessageContaining("code.exclude pattern '" + pattern + "' is too complex")
                .hasMessageContaining("needs 11264 states to match, at most " + GlobAutomaton.MAX_STATES)
                .hasMessageNotContaining("not a glob");
    }

    @Test
    void theMostStatesAllowed_excludeWhatTheyMatch() {
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            patterns.add("*a".repeat(39) + "b" + (i % 10));
        }
        patterns.add("tests/**");
        Exclusions exclusions = Exclusions.of(patterns);

        assertThat(exclusions.excludes(Path.of("a".repeat(40) + "b3"))).isTrue();
        assertThat(exclusions.excludes(Path.of("tests/unit/x.py"))).isTrue();
        assertThat(exclusions.excludes(Path.of("a".repeat(40) + "c3"))).isFalse();
        assertThat(exclusions.excludes(Path.of("src/" + "a".repeat(39) + "b1"))).isTrue();
    }
}
