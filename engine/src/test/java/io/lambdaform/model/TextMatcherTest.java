package io.lambdaform.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextMatcherTest {
    @Test
    void findsWhatSearchingEachStringFinds_onThousandsOfTexts() {
        Random random = new Random(11);
        for (int round = 0; round < 500; round++) {
            List<String> strings = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(12); i < n; i++) {
                strings.add(word(random, 1 + random.nextInt(6)));
            }
            TextMatcher matcher = new TextMatcher(strings);
            for (int t = 0; t < 20; t++) {
                String text = word(random, random.nextInt(40));
                boolean[] expected = naiveCover(strings, text);
                boolean[] covered = matcher.covered(text);
                assertThat(covered == null ? new boolean[text.length()] : covered)
                        .as("%s in %s", strings, text)
                        .isEqualTo(expected);
                assertThat(matcher.occursIn(text)).isEqualTo(covered != null);
            }
        }
    }

    @Test
    void thousandsOfStrings_areFoundByOneMatcher() {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            strings.add(String.format("secret-%06d", i));
        }
        TextMatcher matcher = new TextMatcher(strings);

        assertThat(matcher.occursIn("a line that quotes secret-019999 somewhere"))
                .isTrue();
        assertThat(matcher.occursIn("secret-02000 is not one")).isFalse();
    }

    private static String word(Random random, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append("aab".charAt(random.nextInt(3)));
        }
        return word.toString();
    }

    private static boolean[] naiveCover(List<String> strings, String text) {
        boolean[] hidden = new boolean[text.length()];
        for (String s : strings) {
            for (int at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
                Arrays.fill(hidden, at, at + s.length(), true);
            }
        }
        return hidden;
    }
}
