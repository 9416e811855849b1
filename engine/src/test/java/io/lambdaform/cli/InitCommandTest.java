package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code lambdaform init} (issue #24): a new set in an empty folder that validates, applies and passes its payload on
 * the local cloud as written, for each runtime template; a folder that holds anything, or a name Lambda cannot take,
 * refused with nothing written.
 */
class InitCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"python", "node"})
    void aNewSet_validatesAppliesAndPassesItsPayload(String runtime) throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        Path folder = repo.resolve("greeter-" + runtime);
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result init = cli.run("init", folder.toString(), "--runtime", runtime);
        CliRunner.Result validate = cli.run("validate", folder.toString());
        CliRunner.Result apply = cli.run("apply", folder.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.run("invoke", folder.toString());

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.out())
                .contains("Wrote stack greeter-" + runtime)
                .contains("lambdaform apply " + folder + " --auto-approve");
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("1 passed, 0 failed");
    }

    @Test
    void aFolderThatHoldsAnything_orANameLambdaCannotTake_isRefused_withNothingWritten() throws IOException {
        Path used = dir.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("notes.txt"), "mine");
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result notEmpty = cli.run("init", used.toString());
        CliRunner.Result badName = cli.run("init", dir.resolve("x").toString(), "--name", "Not_A_Name");

        assertThat(notEmpty.exitCode()).isEqualTo(1);
        assertThat(notEmpty.err()).contains("is not empty (it holds notes.txt)").contains("overwrites nothing");
        try (var files = Files.list(used)) {
            assertThat(files.count()).isEqualTo(1);
        }
        assertThat(badName.exitCode()).isEqualTo(1);
        assertThat(badName.err()).contains("--name 'Not_A_Name' is not a stack name");
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
