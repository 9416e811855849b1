package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
    private static boolean matches(String pattern, String message) {
        return FilterPattern.parse(pattern).matches(message);
    }

    @Test
    void terms_mustAllAppear_caseSensitively() {
        assertThat(matches("ERROR timeout", "ERROR: upstream timeout after 3 s"))
                .isTrue();
        assertThat(matches("ERROR timeout", "ERROR: upstream refused")).isFalse();
        assertThat(matches("error", "ERROR: upstream refused")).isFalse();
    }

    @Test
    void aQuotedPhrase_matchesAsWritten_spacesIncluded() {
        assertThat(matches("\"greeting Ada\"", "greeting Ada Lovelace")).isTrue();
        assertThat(matches("\"greeting Ada\"", "Ada: greeting")).isFalse();
        assertThat(matches("\"a: [1]\" ok", "a: [1] is ok")).isTrue();
    }

    @Test
    void aMinusTerm_excludes() {
        assertThat(matches("RequestId -REPORT", "START RequestId: 1")).isTrue();
        assertThat(matches("RequestId -REPORT", "REPORT RequestId: 1")).isFalse();
        assertThat(matches("-\"Version: $LATEST\"", "START RequestId: 1 Version: $LATEST"))
                .isFalse();
    }

    @Test
    void questionMarkTerms_needAnyOne() {
        assertThat(matches("?ERROR ?WARN", "WARN disk almost full")).isTrue();
        assertThat(matches("?ERROR ?WARN", "ERROR disk full")).isTrue();
        assertThat(matches("?ERROR ?WARN", "INFO all good")).isFalse();
    }

    @Test
    void anEmptyPattern_matchesEverything() {
        assertThat(matches("", "anything")).isTrue();
        assertThat(matches("   ", "")).isTrue();
    }

    @Test
    void jsonAndOtherCloudWatchOnlyPatterns_areAClearUserError() {
        assertThatThrownBy(() -> FilterPattern.parse("{ $.level = \"ERROR\" }"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("JSON filter patterns")
                .hasMessageContaining("supported on AWS only");
        assertThatThrownBy(() -> FilterPattern.parse("[ip, user, status=5*]"))
                .hasMessageContaining("supported on AWS only");
        assertThatThrownBy(() -> FilterPattern.parse("\"unclosed")).hasMessageContaining("not closed");
    }
}
