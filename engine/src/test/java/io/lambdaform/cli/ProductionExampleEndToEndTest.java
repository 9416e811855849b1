package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.cloud.aws.LambdaControlsFake;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production example (manifests/production) as issue #22 asks of it, through the CLI: a function with reserved
 * concurrency, asynchronous invocation with an on-failure queue and its log group's retention (with recursion control,
 * runtime management and an alias's provisioned concurrency beside them) applies, plans empty, shows drift made with
 * the AWS CLI ({@code put-function-concurrency}, {@code put-retention-policy}) and reverts it, and destroy removes the
 * log group it created; on the local cloud it applies, its payloads pass, it plans empty and is destroyed. On moto the
 * APIs moto lacks meet {@link LambdaControlsFake}.
 */
class ProductionExampleEndToEndTest {
    private static final Path EXAMPLE =
            Path.of("../manifests/production").toAbsolutePath().normalize();
    private static final String GROUP = "/aws/lambda/production-checkout";

    @TempDir
    Path dir;

    private Path copy() throws IOException {
        Files.createDirectories(dir.resolve("repo/.git"));
        return TestFiles.copyTree(EXAMPLE, dir.resolve("repo/production"));
    }

    @Test
    void onMoto_appliesPlansEmpty_revertsDriftMadeWithTheAwsCli_andDestroyRemovesItsLogGroup() throws Exception {
        Path set = copy();
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, "account: '123456789012'\n");
        try (LambdaControlsFake fake = LambdaControlsFake.inFrontOf(MotoServer.freshEndpoint())) {
            AwsCli aws = new AwsCli(fake.endpoint());
            CliRunner cli = new CliRunner(dir.resolve("state"));
            List<String> target = List.of(
                    "--target",
                    "aws",
                    "--endpoint-url",
                    fake.endpoint().toString(),
                    "--region",
                    "us-east-1",
                    "--values",
                    values.toString());

            CliRunner.Result apply = cli.runOn(target, "apply", set.toString(), "--auto-approve");
            CliRunner.Result empty = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");
            aws.run(
                    "lambda",
                    "put-function-concurrency",
                    "--function-name",
                    "production-checkout",
                    "--reserved-concurrent-executions",
                    "3");
            aws.run("logs", "put-retention-policy", "--log-group-name", GROUP, "--retention-in-days", "1");
            CliRunner.Result drift = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");
            CliRunner.Result revert = cli.runOn(target, "apply", set.toString(), "--auto-approve");
            CliRunner.Result after = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");
            String retention = aws.run("logs", "describe-log-groups", "--log-group-name-prefix", GROUP);
            CliRunner.Result destroy = cli.runOn(target, "destroy", set.toString(), "--auto-approve");
            String groups = aws.run("logs", "describe-log-groups", "--log-group-name-prefix", GROUP);

            assertThat(apply.exitCode()).as(apply.toString()).isZero();
            assertThat(apply.out())
                    .contains("create log group", "reserve concurrency 20", "set asynchronous invocation")
                    .contains("set recursive loop Terminate", "update runtime on FunctionUpdate")
                    .contains("alias live: provision 2 environments, until READY")
                    .doesNotContain("does not allow");
            assertThat(empty.exitCode()).as(empty.toString()).isZero();
            assertThat(drift.exitCode()).as(drift.toString()).isEqualTo(2);
            assertThat(drift.out())
                    .contains("reservedConcurrency", "3 -> 20")
                    .contains("retentionInDays", "1 days -> 14 days");
            assertThat(revert.exitCode()).as(revert.toString()).isZero();
            assertThat(after.exitCode()).as(after.toString()).isZero();
            assertThat(retention).contains("\"retentionInDays\": 14");
            assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
            assertThat(groups).doesNotContain(GROUP);
        }
    }

    @Test
    void onTheLocalCloud_appliesPassesItsPayloads_plansEmpty_andIsDestroyed() throws Exception {
        Path set = copy();
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.run("invoke", set.toString());
        CliRunner.Result empty = cli.run("plan", set.toString(), "--detailed-exitcode");
        CliRunner.Result throughAlias = cli.run(
                "invoke",
                "production-checkout",
                "--qualifier",
                "live",
                "--async",
                "--event",
                "{\"order\": \"A-1004\", \"amount\": 0}",
                set.toString());
        CliRunner.Result destroy = cli.run("destroy", set.toString(), "--auto-approve");
        CliRunner.Result again = cli.run("plan", set.toString());

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out())
                .contains("3 passed, 0 failed")
                .contains("failed after 2 attempts; record sent to onFailure");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(throughAlias.out() + throughAlias.err())
                .as("asyncInvoke governs $LATEST: through the alias, Lambda's defaults (2 retries, no destination)")
                .contains("failed after 3 attempts; no record sent: no onFailure destination is set for what was"
                        + " invoked");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("log-group " + GROUP);
        assertThat(again.out()).contains("+ log-group " + GROUP);
    }
}
