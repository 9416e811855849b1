package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a pull request writes (manifest values, file names, a handler's logs) reaches a public CI log: its control
 * characters are shown, never obeyed, so it cannot erase a line or forge one that looks like Lambdaform's.
 */
class PrintableOutputTest {
    @TempDir
    Path dir;

    @Test
    void controlCharacters_areShownAsEscapes_colourSequencesPassOnlyForATerminal() {
        assertThat(Redactor.printable("ok\ttab\n", false)).isEqualTo("ok\ttab\n");
        assertThat(Redactor.printable("a\u001b[2Kb\rc\u0007\u009b\n", false)).isEqualTo("a\\x1b[2Kb\\x0dc\\x07\\x9b\n");
        assertThat(Redactor.printable("\u001b[31mred\u001b[0m", false)).isEqualTo("\\x1b[31mred\\x1b[0m");
        assertThat(Redactor.printable("\u001b[31mred\u001b[0m \u001b[2K", true))
                .isEqualTo("\u001b[31mred\u001b[0m \\x1b[2K");
    }

    @Test
    void invisibleAndDirectionCharacters_areShownAsUnicodeEscapes() {
        assertThat(Redactor.printable("invoice\u202Egpj.exe", false)).isEqualTo("invoice\\u202Egpj.exe");
        assertThat(Redactor.printable(
                        "a\u200Bb\u200Ec\u200Fd\u2066e\u2067f\u2068g\u2069h\uFEFFi\u2028j\u2029k\u00ADl\u061Cm", false))
                .isEqualTo("a\\u200Bb\\u200Ec\\u200Fd\\u2066e\\u2067f\\u2068g\\u2069h\\uFEFFi\\u2028j\\u2029k"
                        + "\\u00ADl\\u061Cm");
        // A tag character (outside the BMP), as hidden instructions are smuggled: both halves of its pair.
        assertThat(Redactor.printable("hi\uDB40\uDC41", true)).isEqualTo("hi\\uDB40\\uDC41");
        // Text of every script, and emoji, passes as it is.
        assertThat(Redactor.printable("Grüße, 你好, مرحبا, שלום, naïve café \uD83D\uDE00\n", false))
                .isEqualTo("Grüße, 你好, مرحبا, שלום, naïve café \uD83D\uDE00\n");
    }

    @Test
    void whatAHandlerLogs_isShownWithoutItsDirectionOverrides_byInvokeAndLogs() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        write(repo, "stack.yaml", "kind: Stack\nname: bidi\n");
        write(repo, "role.yaml", "kind: Role\nname: bidi-role\n");
        write(repo, "function.yaml", """
                kind: Function
                name: bidi
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: bidi-role
                  description: "report\\u202Efdp.exe"
                """);
        write(
                repo,
                "src/app.py",
                "def handler(event, context):\n    print('approved \\u2066by admin\\u2069\\u2028line')\n"
                        + "    return {'file': 'invoice\\u202egpj.exe'}\n");
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result plan = cli.run("plan", repo.toString());
        assertThat(plan.out()).contains("report\\u202Efdp.exe").doesNotContain("\u202E");
        assertThat(cli.run("apply", repo.toString(), "--auto-approve").exitCode())
                .isZero();
        CliRunner.Result invoke = cli.run("invoke", repo.toString(), "bidi", "--event", "{}");
        CliRunner.Result logs = cli.run("logs", repo.toString());
        CliRunner.Result json = cli.run("logs", repo.toString(), "--format", "json");

        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        // python3.12 writes non-ASCII characters as they are, as Lambda's runtime does: the console escapes them.
        assertThat(invoke.out()).containsIgnoringCase("invoice\\u202Egpj.exe").doesNotContain("\u202E");
        assertThat(invoke.err())
                .contains("approved \\u2066by admin\\u2069\\u2028line")
                .doesNotContain("\u2066", "\u2069", "\u2028");
        assertThat(logs.out())
                .contains("approved \\u2066by admin\\u2069\\u2028line")
                .doesNotContain("\u2066", "\u2069", "\u2028");
        assertThat(json.out()).doesNotContain("\u2066", "\u2069", "\u2028");
        assertThat(new ObjectMapper()
                        .readTree(json.out()
                                .lines()
                                .filter(l -> l.contains("approved"))
                                .findFirst()
                                .orElseThrow())
                        .path("message")
                        .asText())
                .as("a JSON line stays JSON, holding the same text")
                .isEqualTo("approved \u2066by admin\u2069\u2028line");
    }

    @Test
    void aManifestValueAndAFileName_cannotForgeLinesInPlanOrValidateOutput() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        write(repo, "stack.yaml", "kind: Stack\nname: forge\n");
        write(repo, "role.yaml", "kind: Role\nname: forge-role\n");
        write(repo, "function.yaml", """
                kind: Function
                name: forge
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: forge-role
                  description: "fine\\r\\e[2KPlan: 0 to create, 0 to update, 0 to delete."
                """);
        write(repo, "src/app.py", "def handler(event, context):\n    return event\n");
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result plan = cli.run(Map.of("PATH", "/usr/bin:/bin"), "plan", repo.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("fine\\x0d\\x1b[2KPlan: 0 to create").doesNotContain("\r", "\u001b");

        assertThat(new ProcessBuilder(
                                "mkfifo",
                                repo.resolve("src/\u001b[1A\u001b[2KValid").toString())
                        .start()
                        .waitFor())
                .isZero();
        CliRunner.Result validate = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());
        assertThat(validate.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(validate.err())
                .contains("contains \\x1b[1A\\x1b[2KValid, which is not a regular file")
                .doesNotContain("\u001b");
    }
}
