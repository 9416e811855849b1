package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

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
