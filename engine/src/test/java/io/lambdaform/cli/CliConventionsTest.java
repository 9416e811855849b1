package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lambdaform.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user expects of any command line tool: suggestions, help per command, a version, completion, defaults. */
class CliConventionsTest {
    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner(Path.of("unused"));

    @Test
    void aMistypedCommand_getsASuggestion_andTheHintNamesTheCommand() {
        CliRunner.Result typo = cli.run("aply", "manifests/hello");

        assertThat(typo.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(typo.err())
                .contains("error: 'aply' is not a command of lambdaform; did you mean 'apply'?")
                .contains("Run 'lambdaform --help' for usage.")
                .doesNotContain("manifests/hello");
        CliRunner.Result none = cli.run();
        assertThat(none.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(none.err()).contains("Usage: lambdaform", "validate", "logs", "import", "completion");
        assertThat(cli.run("plan", "--formt", "json").err())
                .contains("--format", "Run 'lambdaform plan --help' for usage.");
    }

    @Test
    void anOptionOfAnotherCommand_saysWhichCommandsTakeIt_evenMisspelt() {
        CliRunner.Result misspelt = cli.run("plan", "../manifests/hello", "--auto-aprove");
        CliRunner.Result exact = cli.run("plan", "../manifests/hello", "--auto-approve");
        CliRunner.Result follow = cli.run("invoke", "../manifests/hello", "--follow");
        CliRunner.Result withValue = cli.run("validate", "../manifests/hello", "--lock-timeout=PT1M");

        assertThat(misspelt.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(misspelt.err())
                .contains(
                        "error: Unknown option: '--auto-aprove'",
                        "'--auto-approve' is an option of apply, destroy and rollback, not plan",
                        "Run 'lambdaform plan --help' for usage.");
        assertThat(exact.err()).contains("'--auto-approve' is an option of apply, destroy and rollback, not plan");
        assertThat(follow.err())
                .contains("'--follow' is an option of logs, not invoke")
                .doesNotContain("--format");
        assertThat(withValue.err())
                .contains("'--lock-timeout' is an option of apply, destroy and rollback, not validate");
        assertThat(cli.run("plan", "--formt", "json").err())
                .as("a mistyped option of the command itself keeps picocli's suggestion")
                .contains("Possible solutions: --format")
                .doesNotContain("is an option of");
        assertThat(cli.run("plan", "--zzzzzzzz").err()).doesNotContain("is an option of");
    }

    @Test
    void leavingOutEnv_isOneProblem_namingTheEnvironmentsAndTheOtherUses() {
        CliRunner.Result validate = cli.run("validate", "../manifests/orders");

        assertThat(validate.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(validate.err())
                .contains(
                        "variable 'stage' has no value: choose an Environment with --env (this set has dev, prod)",
                        "also used at",
                        "1 problem(s) found.");
    }

    @Test
    void aParallelismBelowOne_aMissingValuesFile_andAStateDirThatIsAFile_areClearErrors() {
        CliRunner.Result parallelism = cli.run("apply", "../manifests/hello", "--auto-approve", "--parallelism", "0");
        CliRunner.Result values = cli.run(
                "plan",
                "../manifests/hello",
                "--values",
                dir.resolve("missing.yaml").toString());

        assertThat(parallelism.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(parallelism.err()).contains("--parallelism must be at least 1 (it was 0)");
        assertThat(values.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(values.err()).contains("missing.yaml: no such file").doesNotContain("Exception");
        Path file = TestFiles.write(dir, "not-a-folder", "x");
        CliRunner.Result stateFile = new CliRunner(file).run("plan", "../manifests/hello");
        assertThat(stateFile.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(stateFile.err()).contains("is a file, not a folder").doesNotContain("move it away");
    }

    @Test
    void everyCommandsHelp_formatsWithoutAWarning() {
        // picocli reports a description it cannot format (a lone '%') on the JVM's standard error, not the CLI's.
        PrintStream original = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (String command : List.of(
                    "validate",
                    "graph",
                    "plan",
                    "apply",
                    "destroy",
                    "invoke",
                    "logs",
                    "import",
                    "force-unlock",
                    "completion")) {
                assertThat(cli.run(command, "--help").out()).as(command).contains("Usage: lambdaform " + command);
            }
        } finally {
            System.setErr(original);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
    }

    @Test
    void everyCommandsHelp_listsOnlyTheOptionsItUses() {
        String validate = cli.run("validate", "--help").out();
        String invoke = cli.run("invoke", "--help").out();
        String plan = cli.run("plan", "--help").out();
        String apply = cli.run("apply", "--help").out();

        assertThat(validate)
                .contains("--env", "--root", "--debug")
                .doesNotContain("--target", "--lock-table", "--adopt", "--no-color");
        assertThat(invoke).contains("--event", "--target").doesNotContain("--lock-table", "--adopt");
        assertThat(plan).contains("--adopt", "--target").doesNotContain("--lock-table", "--auto-approve");
        assertThat(apply).contains("--lock-table", "--auto-approve", "--adopt");
    }

    @Test
    void version_isTheBuildsForEveryCommand() {
        CliRunner.Result root = cli.run("--version");
        CliRunner.Result plan = cli.run("plan", "--version");

        assertThat(root.exitCode()).isZero();
        assertThat(root.out())
                .startsWith("lambdaform " + VersionProvider.version())
                .contains("Java ");
        assertThat(VersionProvider.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(plan.out()).isEqualTo(root.out());
    }

    @Test
    void aFunctionsCodeFolderBesideTheManifests_isTakenForTheFunctionsName() throws Exception {
        Path hello = TestFiles.helloSet(dir.resolve("hello"));
        TestFiles.write(hello, "app/app.py", "def handler(event, context):\n    return {'hello': 'folder'}\n");
        assertThat(CliProcess.run(hello, Map.of(), "apply", "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result invoke = CliProcess.run(hello, Map.of(), "invoke", "app", "--event", "{\"name\":\"x\"}");

        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("\"hello\"");
    }

    @Test
    void theCurrentFolder_isThePathWhenNoneIsGiven() throws Exception {
        Path hello = TestFiles.helloSet(dir.resolve("hello"));

        CliRunner.Result validate = CliProcess.run(hello, Map.of(), "validate");

        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.out()).contains("Valid: stack app");
    }

    @Test
    void bashCompletion_completesCommandsOptionsAndTheirValues() throws Exception {
        assumeThat(Path.of("/bin/bash")).exists();
        CliRunner.Result completion = cli.run("completion", "bash");
        assertThat(completion.exitCode()).isZero();
        Path script = Files.writeString(dir.resolve("lambdaform.bash"), completion.out());

        assertThat(complete(script, "lambdaform", "ap")).isEqualTo("apply");
        assertThat(complete(script, "lambdaform", "invoke", "--ev")).isEqualTo("--event");
        assertThat(complete(script, "lambdaform", "plan", "--format", "")).isEqualTo("text json markdown");
        assertThat(complete(script, "lambdaform", "graph", "--format", "")).isEqualTo("mermaid dot");
        assertThat(cli.run("completion", "zsh").out())
                .isEqualTo(completion.out())
                .contains("ZSH_VERSION");
    }

    /** What bash offers for the last word, the completion script loaded. */
    private String complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append('"').append(word).append("\" ");
        }
        String line = String.join(" ", words);
        String program = "source " + script + " 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD="
                + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE};"
                + " _complete_lambdaform 2>/dev/null; echo \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder(List.of("/bin/bash", "-c", program))
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes()).strip();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
