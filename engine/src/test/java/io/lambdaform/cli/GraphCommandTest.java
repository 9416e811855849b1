package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lambdaform graph} on manifests a pull request could hold, and {@code plan --format markdown --graph}. */
class GraphCommandTest {
    /**
     * What a schedule may hold and still be valid: the schema's {@code cron([^)]…)}, six fields apart from spaces; a
     * line separator and a next-line character (YAML's {@code \N}) that no field splits on.
     */
    private static final String HOSTILE_SCHEDULE =
            "cron(0 3 * * ? *\\\"]-->n9[<script>alert(1</script>]%%`c`\\u202E#quot;&amp;\\\\N\\u2028click\\Nn1)";

    @TempDir
    Path dir;

    @Test
    void aHostileSchedule_isTextInBothFormats() {
        Path m = TestFiles.helloSet(dir.resolve("m"));
        write(
                m,
                "evil.yaml",
                "kind: Trigger\nname: evil\nspec:\n  function: app\n  schedule: \"" + HOSTILE_SCHEDULE + "\"\n");
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result mermaid = cli.run("graph", m.toString());
        CliRunner.Result dot = cli.run("graph", m.toString(), "--format", "dot");

        assertThat(mermaid.exitCode()).as(mermaid.toString()).isZero();
        assertThat(mermaid.out())
                .contains(
                        "#60;script#62;", "#34;#93;--#62;n9#91;", "#37;#37;", "#96;c#96;", "#92;u202E", "#35;quot#59;")
                .doesNotContain("<script", "%%", "`", "\u202E", "hunter2");
        assertThat(mermaid.out()).contains("#92;N#92;u2028click#92;x85n1)\"");
        assertThat(dot.exitCode()).as(dot.toString()).isZero();
        assertThat(dot.out())
                .contains("*\\\"]--&gt;n9[&lt;script&gt;", "#quot;&amp;amp;\\\\N\\\\u2028click\\\\x85n1)\"")
                .doesNotContain("<script", "\u202E", "hunter2");
    }

    @Test
    void aSetWithProblems_drawsNoGraph_andASensitiveValueIsMasked() {
        Path m = TestFiles.helloSet(dir.resolve("m"));
        write(m, "bad.yaml", "kind: Function\nname: bad\nspec:\n  runtime: python3.12\n");
        write(dir, "secrets.yaml", "account: \"999988887777\"\n");
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result bad = cli.run("graph", "../manifests/hello", m.toString());
        CliRunner.Result masked = cli.run(
                "graph",
                "../manifests/production",
                "--sensitive-values",
                dir.resolve("secrets.yaml").toString());

        assertThat(bad.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).contains("1 of 2 manifest set(s) with problems; no graph was drawn.");
        assertThat(masked.exitCode()).as(masked.toString()).isZero();
        assertThat(masked.out()).doesNotContain("999988887777").contains("-->|\"onFailure\"|");
    }

    @Test
    void planMarkdownWithGraph_marksWhatItCreates_onTheLocalCloud() {
        Path m = TestFiles.helloSet(dir.resolve("m"));
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result withGraph = cli.run("plan", m.toString(), "--format", "markdown", "--graph");
        CliRunner.Result without = cli.run("plan", m.toString(), "--format", "markdown");
        CliRunner.Result textGraph = cli.run("plan", m.toString(), "--graph");

        assertThat(withGraph.exitCode()).as(withGraph.toString()).isZero();
        assertThat(withGraph.out())
                .contains("```mermaid\nflowchart LR\n")
                .contains("{{\"role<br>app-role\"}}:::created")
                .contains("(\"function<br>app\"):::created")
                .contains("-->|\"assumes\"|")
                .contains("classDef created fill:#d4edda")
                .doesNotContain("hunter2");
        assertThat(withGraph.out().replaceAll("(?s)<details open><summary>Graph of the changes.*?</details>\n\n", ""))
                .isEqualTo(without.out());
        assertThat(without.out()).doesNotContain("mermaid");
        assertThat(textGraph.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(textGraph.err()).contains("--graph draws in the markdown plan: add --format markdown");

        assertThat(cli.run("apply", m.toString(), "--auto-approve").exitCode()).isZero();
        CliRunner.Result empty = cli.run("plan", m.toString(), "--format", "markdown", "--graph");
        assertThat(empty.out()).contains("No changes.").doesNotContain("mermaid");
    }
}
