package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    private static Console console(boolean interactive, Map<String, String> env) {
        return new Console(
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                new BufferedReader(new StringReader("")),
                env,
                interactive);
    }

    @Test
    void colors_onlyOnATerminal_andNeverWithNoColorOrADumbTerminal() {
        assertThat(console(true, Map.of()).colors(false)).isTrue();
        assertThat(console(false, Map.of()).colors(false)).isFalse();
        assertThat(console(true, Map.of("NO_COLOR", "1")).colors(false)).isFalse();
        assertThat(console(true, Map.of("TERM", "dumb")).colors(false)).isFalse();
        assertThat(console(true, Map.of()).colors(true)).isFalse();
    }

    @Test
    void ansi_whenDisabled_leavesTextAlone() {
        assertThat(new Ansi(false).red("x")).isEqualTo("x");
        assertThat(new Ansi(true).red("x")).isEqualTo("\u001b[31mx\u001b[0m");
    }
}
