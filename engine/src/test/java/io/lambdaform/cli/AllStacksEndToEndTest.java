package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.FaultProxy.Fault;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several stacks per command (issue #24): {@code plan --all} of a repository of three stacks writes one markdown
 * document, a summary table and a section per stack; {@code apply --all} applies the three side by side, on the local
 * cloud and on moto through throttling injected on every Lambda and IAM request, converges in one run, and a second
 * plan is empty.
 */
class AllStacksEndToEndTest {
    @TempDir
    Path dir;

    private Path repo;

    @BeforeEach
    void threeStacks() throws IOException {
        repo = dir.resolve("gitops");
        Files.createDirectories(repo.resolve(".git"));
        for (String name : List.of("orders", "payments", "refunds")) {
            Path stack = repo.resolve("stacks/" + name);
            Files.createDirectories(stack.resolve("src"));
            Files.writeString(stack.resolve("src/app.py"), "def handler(event, context):\n    return '" + name + "'\n");
            Files.writeString(stack.resolve("stack.yaml"), """
                    kind: Stack
                    name: NAME
                    spec: {region: us-east-1}
                    ---
                    kind: Role
                    name: NAME-fn
                    ---
                    kind: Function
                    name: NAME-a
                    spec: {runtime: python3.12, handler: app.handler, code: src, role: NAME-fn}
                    ---
                    kind: Function
                    name: NAME-b
                    spec: {runtime: python3.12, handler: app.handler, code: src, role: NAME-fn, memorySize: 256}
                    ---
                    kind: Payload
                    name: NAME-call
                    spec: {function: NAME-a, expect: {outcome: success}}
                    """.replace("NAME", name));
        }
    }

    @Test
    void planAll_writesOneMarkdownDocument_withASectionPerStack() {
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result plan = cli.run("plan", repo.toString(), "--all", "--format", "markdown");

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out())
                .startsWith("## Lambdaform: 3 stack(s)\n")
                .contains("| `stacks/orders` | changes |", "| `stacks/payments` | changes |")
                .contains("| `stacks/refunds` | changes |")
                .contains("### Lambdaform plan: stack `orders`", "### Lambdaform plan: stack `refunds`");
        assertThat(Pattern.compile("<details open><summary><code>stacks/")
                        .matcher(plan.out())
                        .results()
                        .count())
                .isEqualTo(3);
        assertThat(plan.err()).contains("3 stack(s): 0 ok, 3 with changes, 0 failed.");
    }

    @Test
    void applyAll_onTheLocalCloud_appliesTheThreeSideBySide_andASecondPlanIsEmpty() {
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result apply = cli.run("apply", repo.toString(), "--all", "--auto-approve");
        CliRunner.Result plan = cli.run("plan", repo.toString(), "--all", "--detailed-exitcode");
        CliRunner.Result invoke = cli.run("invoke", repo.toString(), "--all");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("3 stack(s): 3 ok, 0 failed.");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("== stacks/payments ==").contains("2 passed, 0 failed");
        assertThat(invoke.err()).contains("3 stack(s): 3 ok, 0 failed.");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void applyAll_onMotoThroughThrottling_convergesInOneRun_andASecondPlanIsEmpty() {
        try (FaultProxy proxy = FaultProxy.to(MotoServer.freshEndpoint())
                .seed(24)
                .rate(Fault.THROTTLE, 0.2)
                .randomFaultsFor(op -> op.startsWith("lambda:") || op.startsWith("iam:"))
                .start()) {
            CliRunner cli = new CliRunner(dir.resolve("state"));
            List<String> target = List.of(
                    "--target", "aws", "--endpoint-url", proxy.endpoint().toString(), "--region", "us-east-1");

            CliRunner.Result apply = cli.runOn(target, "apply", repo.toString(), "--all", "--auto-approve");
            int throttled = proxy.injected().getOrDefault(Fault.THROTTLE, 0);
            CliRunner.Result plan = cli.runOn(target, "plan", repo.toString(), "--all", "--detailed-exitcode");

            assertThat(apply.exitCode()).as(apply.toString()).isZero();
            assertThat(apply.err()).contains("3 stack(s): 3 ok, 0 failed.");
            assertThat(apply.out()).contains("Apply complete: 3 created");
            assertThat(apply.out() + apply.err()).contains("retrying in");
            assertThat(throttled).as("throttles injected").isPositive();
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
        }
    }
}
