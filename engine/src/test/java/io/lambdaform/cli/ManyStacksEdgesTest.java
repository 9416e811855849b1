package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edges of many stacks (issue #24, from its review): folder names that would add lines or cells to a pull
 * request's comment, or be read as options by a shell; the comment's size whatever the number of stacks; a saved plan
 * refused with --all; a repository reached through a symbolic link; a stack inside another's folder refused; the
 * order of a long chain of references in time that grows with it.
 */
class ManyStacksEdgesTest {
    @TempDir
    Path dir;

    private static String stack(String name) {
        return """
                kind: Stack
                name: NAME
                spec: {region: us-east-1}
                ---
                kind: Role
                name: NAME-fn
                ---
                kind: Function
                name: NAME
                spec: {runtime: python3.12, handler: app.handler, code: src, role: NAME-fn}
                """.replace("NAME", name);
    }

    private static void stackAt(Path folder, String name) throws IOException {
        Files.createDirectories(folder.resolve("src"));
        Files.writeString(folder.resolve("src/app.py"), "def handler(e, c):\n    return 1\n");
        Files.writeString(folder.resolve("stack.yaml"), stack(name));
    }

    @Test
    void planAllMarkdown_aFolderNameCannotAddLinesOrCellsToTheComment() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        stackAt(repo.resolve("orders"), "orders");
        stackAt(repo.resolve("x\n\n# All 2 stacks approved ![t](https://evil.example/t.png)\n"), "evil");
        stackAt(repo.resolve("y| no changes |"), "forged");

        CliRunner.Result plan =
                new CliRunner(dir.resolve("state")).run("plan", repo.toString(), "--all", "--format", "markdown");

        assertThat(plan.out()).as(plan.toString()).doesNotContain("\n# All 2 stacks approved");
        assertThat(plan.out()).doesNotContain("`y| no changes |`");
    }

    @Test
    void planAllMarkdown_staysWithinGitHubsCommentLimit_whateverTheTable() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        String deep = String.join("/", Collections.nCopies(16, "d".repeat(200)));
        for (int i = 0; i < 22; i++) {
            stackAt(repo.resolve("s" + i).resolve(deep), "s" + i);
        }

        CliRunner.Result plan =
                new CliRunner(dir.resolve("state")).run("plan", repo.toString(), "--all", "--format", "markdown");

        assertThat(plan.out().length()).as(plan.err()).isLessThanOrEqualTo(65_536);
    }

    @Test
    void planAll_withOut_isRefused_beforeAnyStackRuns() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        stackAt(repo.resolve("a"), "alpha");
        stackAt(repo.resolve("b"), "bravo");
        Path out = dir.resolve("plan.json");

        CliRunner.Result plan =
                new CliRunner(dir.resolve("state")).run("plan", repo.toString(), "--all", "--out", out.toString());

        assertThat(plan.exitCode()).isEqualTo(1);
        assertThat(plan.err()).contains("a saved plan (--out) or JSON is one stack's");
        assertThat(out).doesNotExist();
    }

    @Test
    void stacks_neverPrintsAPathThatAShellCommandLineReadsAsAnOption() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        stackAt(repo.resolve("--target=local"), "sneaky");

        CliRunner.Result stacks = new CliRunner(dir.resolve("state")).run("stacks", repo.toString());

        assertThat(stacks.exitCode()).as(stacks.toString()).isZero();
        // docs/pipelines run `lambdaform plan $(cat changed.txt) --all --target aws ...` on this output
        assertThat(stacks.out().split("\t")[1]).doesNotStartWith("-");
    }

    @Test
    void stacks_aTabInAFolderName_doesNotShiftTheColumnsThatPipelinesCut() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        stackAt(repo.resolve("a\tb"), "tabbed");

        CliRunner.Result stacks = new CliRunner(dir.resolve("state")).run("stacks", repo.toString());

        assertThat(stacks.out().strip().split("\t")).as(stacks.out()).hasSize(3);
    }

    @Test
    void changedSince_findsACommittedChange_whenTheRepositoryIsReachedThroughASymbolicLink() throws Exception {
        Path real = dir.resolve("physical/repo");
        stackAt(real.resolve("orders"), "orders");
        stackAt(real.resolve("payments"), "payments");
        TestFiles.git(real, "init", "-q", "-b", "main");
        TestFiles.git(real, "add", "-A");
        TestFiles.git(real, "commit", "-q", "-m", "two");
        TestFiles.git(real, "checkout", "-q", "-b", "change");
        Files.writeString(real.resolve("orders/src/app.py"), "def handler(e, c):\n    return 2\n");
        TestFiles.git(real, "commit", "-q", "-am", "orders changes");
        // ROOT below a symbolic link (macOS' /tmp and /var, a home on another disk): git answers with real paths
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("physical"))
                .resolve("repo");

        CliRunner.Result viaReal =
                new CliRunner(dir.resolve("state")).run("stacks", real.toString(), "--changed-since", "main");
        CliRunner.Result viaLink =
                new CliRunner(dir.resolve("state")).run("stacks", link.toString(), "--changed-since", "main");

        assertThat(viaReal.out()).as(viaReal.toString()).contains("orders\torders");
        assertThat(viaLink.out()).as(viaLink.toString()).contains("orders\torders");
    }

    @Test
    void nestedStacks_areRefused_namingBothFolders() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        stackAt(repo.resolve("platform"), "platform");
        stackAt(repo.resolve("platform/team-a"), "team-a");

        CliRunner cli = new CliRunner(dir.resolve("state"));
        CliRunner.Result stacks = cli.run("stacks", repo.toString());
        CliRunner.Result validate = cli.run("validate", repo.toString(), "--all");

        assertThat(stacks.exitCode()).isEqualTo(1);
        assertThat(stacks.err())
                .contains("stack folder platform/team-a is inside stack folder platform/")
                .doesNotContain("Exception");
        assertThat(validate.exitCode()).isEqualTo(1);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stackOrder_aChainOfReferences_growsNoFasterThanTheStacks() {
        List<StackOrder.Node> nodes = new ArrayList<>();
        int n = 10_000; // 30,000 took 419 s
        for (int i = 0; i < n; i++) {
            nodes.add(new StackOrder.Node(
                    Path.of(String.format("/r/%06d", n - i)),
                    Optional.of("s" + i),
                    i == 0 ? Set.of() : Set.of("s" + (i - 1))));
        }
        assertThat(StackOrder.waves(nodes)).hasSize(n);
        assertThat(StackOrder.reached(nodes, Set.of(Path.of(String.format("/r/%06d", n)))))
                .hasSize(n);
    }
}
