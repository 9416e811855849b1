package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same manifests give the same answer whatever folder the command runs from. */
class AnyFolderTest {
    @TempDir
    Path dir;

    @Test
    void plan_fromTheManifestFolderAndFromItsParent_seesTheSameLocalState() throws Exception {
        Path project = dir.resolve("project");
        Path hello = TestFiles.helloSet(project.resolve("stacks/hello"));
        Files.createDirectories(project.resolve(".git"));

        CliRunner.Result apply = CliProcess.run(hello, Map.of(), "apply", ".", "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();

        CliRunner.Result fromParent =
                CliProcess.run(project.resolve("stacks"), Map.of(), "plan", "hello", "--detailed-exitcode");
        assertThat(fromParent.exitCode()).as(fromParent.toString()).isZero();
        assertThat(fromParent.out()).contains("No changes.", "state in " + project.resolve(".lambdaform"));
        CliRunner.Result fromElsewhere = CliProcess.run(dir, Map.of(), "plan", hello.toString(), "--detailed-exitcode");
        assertThat(fromElsewhere.exitCode()).as(fromElsewhere.toString()).isZero();
        // The state sits in the git work tree of the manifests, and nowhere else.
        assertThat(project.resolve(".lambdaform/state.json")).exists();
        assertThat(hello.resolve(".lambdaform")).doesNotExist();
        assertThat(project.resolve("stacks/.lambdaform")).doesNotExist();
    }

    @Test
    void stateDirVariable_andFlag_chooseTheStateFolder_theFlagFirst() throws Exception {
        Path hello = TestFiles.helloSet(dir.resolve("hello"));
        Path fromVariable = dir.resolve("from-variable");
        Path fromFlag = dir.resolve("from-flag");

        CliRunner.Result apply = CliProcess.run(
                dir, Map.of("LAMBDAFORM_STATE_DIR", fromVariable.toString()), "apply", "hello", "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(fromVariable.resolve("state.json")).exists();
        assertThat(hello.resolve(".lambdaform")).doesNotExist();

        CliRunner.Result plan = CliProcess.run(
                dir,
                Map.of("LAMBDAFORM_STATE_DIR", fromVariable.toString()),
                "plan",
                "hello",
                "--state-dir",
                fromFlag.toString(),
                "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.CHANGES);
        assertThat(plan.out()).contains("Plan: 2 to create", "state in " + fromFlag);
    }

    @Test
    void stateLeftInTheCurrentFolderByAnEarlierVersion_isPointedOut() throws Exception {
        Path hello = TestFiles.helloSet(dir.resolve("hello"));
        Path work = Files.createDirectories(dir.resolve("work"));
        CliRunner.Result old = CliProcess.run(
                work, Map.of(), "apply", hello.toString(), "--state-dir", ".lambdaform", "--auto-approve");
        assertThat(old.exitCode()).as(old.toString()).isZero();

        CliRunner.Result plan = CliProcess.run(work, Map.of(), "plan", hello.toString());
        assertThat(plan.err()).contains("./.lambdaform holds state of an earlier run", "--state-dir .lambdaform");
    }
}
