package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lambdaform stacks} on a sample GitOps repository of three stacks with git history (issue #24): every stack
 * found, and with {@code --changed-since} exactly those a change touches: its folder, its code (a code folder two
 * stacks share lists both), an event file outside the stack's folder, uncommitted and untracked files; the JSON is a
 * GitHub Actions matrix.
 */
class StacksCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path repo;
    private CliRunner cli;

    private static String stack(String name, String code, String extra) {
        return """
                kind: Stack
                name: NAME
                spec: {region: eu-west-1}
                ---
                kind: Role
                name: NAME-fn
                ---
                kind: Function
                name: NAME
                spec: {runtime: python3.12, handler: app.handler, code: CODE, role: NAME-fn}
                """.replace("NAME", name).replace("CODE", code) + extra;
    }

    @BeforeEach
    void sampleRepository() throws Exception {
        repo = dir.resolve("gitops");
        write("stacks/orders/stack.yaml", stack("orders", "src", ""));
        write("stacks/orders/src/app.py", "def handler(e, c):\n    return 'orders'\n");
        write("stacks/payments/stack.yaml", stack("payments", "../../shared/billing", """
                ---
                kind: Payload
                name: charge
                spec: {function: payments, eventFile: ../../events/charge.json}
                """));
        write("stacks/refunds/stack.yaml", stack("refunds", "../../shared/billing", ""));
        write("shared/billing/app.py", "def handler(e, c):\n    return 'billing'\n");
        write("events/charge.json", "{\"amount\": 3}\n");
        write("README.md", "the sample repository\n");
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "three stacks");
        git("checkout", "-q", "-b", "change");
        cli = new CliRunner(dir.resolve("state"));
    }

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void git(String... args) {
        TestFiles.git(repo, args);
    }

    private List<String> changed(String ref) throws IOException {
        CliRunner.Result result = cli.run("stacks", repo.toString(), "--changed-since", ref, "--format", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> names = new ArrayList<>();
        JSON.readTree(result.out())
                .path("include")
                .forEach(e -> names.add(e.path("stack").asText()));
        return names;
    }

    @Test
    void lists_everyStack_withItsFolderAndRegion() {
        CliRunner.Result text = cli.run("stacks", repo.toString());

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out())
                .isEqualTo("orders\tstacks/orders\teu-west-1\n"
                        + "payments\tstacks/payments\teu-west-1\n"
                        + "refunds\tstacks/refunds\teu-west-1\n");
        assertThat(text.err()).contains("3 stack(s).");
    }

    @Test
    void aCommittedChangeToOneStacksCode_listsExactlyThatStack() throws Exception {
        write("stacks/orders/src/app.py", "def handler(e, c):\n    return 'orders v2'\n");
        git("commit", "-q", "-am", "orders v2");

        assertThat(changed("main")).containsExactly("orders");
    }

    @Test
    void aChangeToCodeTwoStacksShare_listsBoth_andAnEventFileOnlyItsStack() throws Exception {
        write("shared/billing/app.py", "def handler(e, c):\n    return 'billing v2'\n");
        assertThat(changed("main")).as("uncommitted").containsExactly("payments", "refunds");

        git("checkout", "-q", "--", ".");
        write("events/charge.json", "{\"amount\": 4}\n");
        assertThat(changed("main")).containsExactly("payments");
    }

    @Test
    void anUntrackedManifest_changesItsStack_andAFileNoStackReads_changesNone() throws Exception {
        write("stacks/refunds/payload.yaml", "kind: Payload\nname: one\nspec: {function: refunds}\n");
        assertThat(changed("main")).containsExactly("refunds");

        Files.delete(repo.resolve("stacks/refunds/payload.yaml"));
        write("README.md", "changed\n");
        assertThat(changed("main")).isEmpty();
    }

    @Test
    void theJson_isAGitHubActionsMatrix() throws Exception {
        write("stacks/orders/src/app.py", "def handler(e, c):\n    return 'orders v3'\n");

        CliRunner.Result result = cli.run("stacks", repo.toString(), "--changed-since", "main", "--format", "json");

        JsonNode document = JSON.readTree(result.out());
        assertThat(document.path("include").toString())
                .isEqualTo("[{\"stack\":\"orders\",\"path\":\"stacks/orders\"}]");
        assertThat(document.path("stacks").get(0).path("region").asText()).isEqualTo("eu-west-1");
        assertThat(document.path("stacks").get(0).path("valid").asBoolean()).isTrue();
    }

    @Test
    void anUnknownRef_saysSoInOneLine() {
        CliRunner.Result result = cli.run("stacks", repo.toString(), "--changed-since", "origin/nowhere");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .contains("git cannot find where this branch left 'origin/nowhere'")
                .contains("fetch-depth: 0")
                .doesNotContain("Exception");
    }
}
