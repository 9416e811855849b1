package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A role one stack owns and two others use (issue #24): {@code role: {stack: shared, name: shared-fn}} is read, never
 * changed, by the stacks that use it; a plan before the owner applied is refused naming it; {@code apply --all}
 * applies the owner first; {@code stacks --changed-since} lists the owner and every stack that uses it when the owner
 * changes, owner first; on the local cloud and on moto.
 */
class SharedRoleEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path repo;

    @BeforeEach
    void repository() throws Exception {
        repo = dir.resolve("gitops");
        write("stacks/shared/stack.yaml", """
                kind: Stack
                name: shared
                spec: {region: us-east-1}
                ---
                kind: Role
                name: shared-fn
                spec:
                  managedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
                """);
        for (String name : List.of("orders", "payments")) {
            write("stacks/" + name + "/src/app.py", "def handler(event, context):\n    return '" + name + "'\n");
            write("stacks/" + name + "/stack.yaml", """
                    kind: Stack
                    name: NAME
                    spec: {region: us-east-1}
                    ---
                    kind: Function
                    name: NAME
                    spec:
                      runtime: python3.12
                      handler: app.handler
                      code: src
                      role: {stack: shared, name: shared-fn}
                    """.replace("NAME", name));
        }
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "three stacks, one shared role");
    }

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void git(String... args) {
        TestFiles.git(repo, args);
    }

    @Test
    void onTheLocalCloud_aUserBeforeTheOwnerIsRefused_applyAllAppliesTheOwnerFirst_andPlansEmpty() {
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result early = cli.run("plan", repo.resolve("stacks/orders").toString());
        CliRunner.Result apply = cli.run("apply", repo.toString(), "--all", "--auto-approve");
        CliRunner.Result plan = cli.run("plan", repo.toString(), "--all", "--detailed-exitcode");
        CliRunner.Result invoke =
                cli.run("invoke", repo.resolve("stacks/payments").toString(), "payments");

        assertThat(early.exitCode()).isEqualTo(1);
        assertThat(early.err())
                .contains("function orders uses role shared-fn of stack shared, which does not exist: apply stack"
                        + " shared first");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out().indexOf("== stacks/shared =="))
                .as("the owner first")
                .isLessThan(apply.out().indexOf("== stacks/orders =="));
        assertThat(apply.out()).doesNotContain("~ role shared-fn");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
    }

    @Test
    void onMoto_applyAllConverges_andTheUsersNeverChangeTheRole() {
        String endpoint = MotoServer.freshEndpoint().toString();
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target = List.of("--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1");

        CliRunner.Result apply = cli.runOn(target, "apply", repo.toString(), "--all", "--auto-approve");
        CliRunner.Result plan = cli.runOn(target, "plan", repo.toString(), "--all", "--detailed-exitcode");
        CliRunner.Result destroyUser =
                cli.runOn(target, "destroy", repo.resolve("stacks/orders").toString(), "--auto-approve");
        CliRunner.Result ownerPlan =
                cli.runOn(target, "plan", repo.resolve("stacks/shared").toString(), "--detailed-exitcode");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("3 stack(s): 3 ok, 0 failed.");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(destroyUser.exitCode()).as(destroyUser.toString()).isZero();
        assertThat(destroyUser.out()).doesNotContain("role shared-fn");
        assertThat(ownerPlan.exitCode())
                .as("the role is still the owner's, unchanged")
                .isZero();
    }

    @Test
    void graph_drawsTheUsersLinkToTheOwnersRole_acrossStacks() {
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result graph = cli.run(
                "graph",
                repo.resolve("stacks/shared").toString(),
                repo.resolve("stacks/orders").toString(),
                repo.resolve("stacks/payments").toString());

        assertThat(graph.exitCode()).as(graph.toString()).isZero();
        String roleNode = graph.out()
                .lines()
                .filter(l -> l.contains("role<br>shared-fn"))
                .findFirst()
                .orElseThrow()
                .strip();
        String id = roleNode.substring(0, roleNode.indexOf('{'));
        assertThat(graph.out().lines().filter(l -> l.strip().startsWith(id + " -->|\"assumes\"|")))
                .as("one link to each user's function, from the one role in the owner's cluster")
                .hasSize(2);
    }

    @Test
    void aChangeToTheOwner_listsItAndEveryStackThatUsesIt_ownerFirst() throws Exception {
        CliRunner cli = new CliRunner(dir.resolve("state"));
        write(
                "stacks/shared/stack.yaml",
                Files.readString(repo.resolve("stacks/shared/stack.yaml"))
                        + "  description: shared by orders and payments\n");
        git("checkout", "-q", "-b", "change");
        git("commit", "-q", "-am", "describe the role");

        CliRunner.Result changed = cli.run("stacks", repo.toString(), "--changed-since", "main", "--format", "json");
        write("stacks/orders/src/app.py", "def handler(event, context):\n    return 'orders v2'\n");
        git("commit", "-q", "-am", "orders v2");
        git("checkout", "-q", "main");
        git("checkout", "-q", "-b", "orders-only");
        write("stacks/orders/src/app.py", "def handler(event, context):\n    return 'orders v3'\n");
        CliRunner.Result ordersOnly = cli.run("stacks", repo.toString(), "--changed-since", "main", "--format", "json");

        JsonNode document = JSON.readTree(changed.out());
        List<String> names = new ArrayList<>();
        document.path("include").forEach(e -> names.add(e.path("stack").asText()));
        assertThat(names).containsExactly("shared", "orders", "payments");
        assertThat(document.path("stacks").get(1).path("uses").toString()).isEqualTo("[\"shared\"]");
        List<String> only = new ArrayList<>();
        JSON.readTree(ordersOnly.out())
                .path("include")
                .forEach(e -> only.add(e.path("stack").asText()));
        assertThat(only).as("a user's change reaches no other stack").containsExactly("orders");
    }
}
