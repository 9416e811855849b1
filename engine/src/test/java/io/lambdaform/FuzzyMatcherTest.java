package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FuzzyMatcherTest {
    @Test
    void suggestsTheClosestName_orAPrefixedOne() {
        List<String> names = List.of("hello-ex", "orders-ex", "hello");

        assertThat(FuzzyMatcher.suggestion("helo-ex", names)).isEqualTo("; did you mean 'hello-ex'?");
        assertThat(FuzzyMatcher.suggestion("ord", names)).isEqualTo("; did you mean 'orders-ex'?");
        assertThat(FuzzyMatcher.suggestion("zzzzzzzzzz", names)).isEmpty();
    }

    @Test
    void bandedDistance_isTheEditDistance_withinItsLimit() {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            String a = word(random);
            String b = word(random);
            int limit = random.nextInt(6);
            int full = fullDistance(a, b);
            assertThat(FuzzyMatcher.distance(a, b, limit))
                    .as("%s / %s within %d", a, b, limit)
                    .isEqualTo(Math.min(full, limit + 1));
        }
    }

    @Test
    void aNameLongerThanAnyKnownOne_isNeverCompared() {
        FuzzyMatcher matcher = FuzzyMatcher.forManifestSet();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            names.add("function-number-" + i);
        }

        assertThat(matcher.suggest("function-number-1".repeat(6000), names)).isEmpty();
        assertThat(matcher.spent()).isZero();
    }

    @Test
    void thousandsOfNearMisses_againstThousandsOfNames_spendAtMostTheSetsBudget() {
        FuzzyMatcher matcher = FuzzyMatcher.forManifestSet();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            roles.add("r".repeat(56) + String.format("a%07d", i));
        }
        int suggested = 0;
        for (int i = 0; i < 4000; i++) {
            if (!matcher.suggest("r".repeat(56) + String.format("b%07d", i), roles)
                    .isEmpty()) {
                suggested++;
            }
        }

        // The first misspelt names get their suggestion; the work stops at the budget, whatever the count.
        assertThat(suggested).isPositive().isLessThan(400);
    }

    @Test
    void eachLookup_isChargedForTheCandidatesItLooksAt_evenWhenNoneIsClose() {
        FuzzyMatcher matcher = new FuzzyMatcher(1_000_000);
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            roles.add("r".repeat(56) + String.format("%08d", i));
        }

        assertThat(matcher.suggest("zz1", roles)).isEmpty();
        assertThat(matcher.spent()).isGreaterThanOrEqualTo(10_000L * 64);
        for (int i = 0; i < 3000; i++) {
            matcher.suggest("zz" + i, roles);
        }
        // A budget of a million pays for one lookup among 10,000 names of 64 characters: the rest cost nothing.
        assertThat(matcher.spent()).isLessThan(1_000_000);
    }

    private static String word(Random random) {
        StringBuilder word = new StringBuilder();
        for (int i = 0, n = random.nextInt(9); i < n; i++) {
            word.append("abc".charAt(random.nextInt(3)));
        }
        return word.toString();
    }

    private static int fullDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            }
        }
        return d[a.length()][b.length()];
    }
}
