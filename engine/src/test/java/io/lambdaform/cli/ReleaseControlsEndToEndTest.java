package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.LambdaControlsFake;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioned concurrency on an alias, recursion control and runtime management (issue #22), through the command line.
 * moto 5.2 implements none of their APIs, so on AWS they meet {@link LambdaControlsFake}, which answers them over
 * HTTP in moto's place (the SDK's and the AWS CLI's marshalling are real; Lambda's allocation is not); the local cloud
 * keeps them as Lambda does.
 */
class ReleaseControlsEndToEndTest {
    private static final String RUNTIME_VERSION =
            "arn:aws:lambda:us-east-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9";

    @TempDir
    Path dir;

    private Path set;

    @BeforeEach
    void manifests() throws IOException {
        set = dir.resolve("repo");
        Files.createDirectories(set.resolve("src"));
        Files.writeString(set.resolve("src/app.py"), "def handler(event, context):\n    return {'ok': True}\n");
        write(5, "Allow", "{updateRuntimeOn: FunctionUpdate}");
    }

    private void write(int provisioned, String recursiveLoop, String runtimeManagement) throws IOException {
        Files.writeString(set.resolve("stack.yaml"), """
                kind: Stack
                name: release
                spec: {region: us-east-1}
                ---
                kind: Role
                name: release-ex
                spec: {trustedServices: [lambda.amazonaws.com]}
                ---
                kind: Function
                name: api
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: release-ex
                  publish: true
                  recursiveLoop: LOOP
                  runtimeManagement: MANAGEMENT
                ---
                kind: Alias
                name: live
                spec: {function: api, provisionedConcurrency: PROVISIONED}
                ---
                kind: Function
                name: plain
                spec: {runtime: python3.12, handler: app.handler, code: src, role: release-ex}
                """.replace("PROVISIONED", String.valueOf(provisioned))
                .replace("LOOP", recursiveLoop)
                .replace("MANAGEMENT", runtimeManagement));
    }

    @Test
    void onAws_appliedAndWaitedOnUntilReady_plannedEmpty_driftShownAndReverted() throws Exception {
        try (LambdaControlsFake fake = LambdaControlsFake.inFrontOf(MotoServer.freshEndpoint())) {
            AwsCli aws = new AwsCli(fake.endpoint());
            CliRunner cli = new CliRunner(dir.resolve("state"));
            List<String> target =
                    List.of("--target", "aws", "--endpoint-url", fake.endpoint().toString(), "--region", "us-east-1");

            CliRunner.Result apply = cli.runOn(target, "apply", set.toString(), "--auto-approve");
            CliRunner.Result empty = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode", "--debug");
            aws.run(
                    "lambda",
                    "put-function-recursion-config",
                    "--function-name",
                    "api",
                    "--recursive-loop",
                    "Terminate");
            aws.run("lambda", "put-runtime-management-config", "--function-name", "api", "--update-runtime-on", "Auto");
            aws.run(
                    "lambda",
                    "put-provisioned-concurrency-config",
                    "--function-name",
                    "api",
                    "--qualifier",
                    "live",
                    "--provisioned-concurrent-executions",
                    "2");
            CliRunner.Result drift = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");
            CliRunner.Result revert = cli.runOn(target, "apply", set.toString(), "--auto-approve");
            CliRunner.Result after = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");

            assertThat(apply.exitCode()).as(apply.toString()).isZero();
            assertThat(apply.out())
                    .contains("set recursive loop Allow", "update runtime on FunctionUpdate")
                    .contains("alias live: provision 5 environments, until READY");
            assertThat(apply.out() + apply.err())
                    .as("progress while Lambda allocates")
                    .contains("waiting for provisioned concurrency of alias api:live (IN_PROGRESS, 2 of 5 allocated");
            assertThat(fake.provisioned("api", "live")
                            .orElseThrow()
                            .path("Status")
                            .asText())
                    .isEqualTo("READY");
            assertThat(empty.exitCode()).as(empty.toString()).isZero();
            assertThat(empty.apiCalls())
                    .as("each control is read only for what declares it: once each, for api and its alias")
                    .containsEntry("Lambda.GetFunctionRecursionConfig", 1)
                    .containsEntry("Lambda.GetRuntimeManagementConfig", 1)
                    .containsEntry("Lambda.GetProvisionedConcurrencyConfig", 1);
            assertThat(drift.exitCode()).as(drift.toString()).isEqualTo(2);
            assertThat(drift.out())
                    .contains("recursiveLoop", "Terminate -> Allow")
                    .contains("runtimeManagement.updateRuntimeOn", "Auto -> FunctionUpdate")
                    .contains("provisionedConcurrency", "2 -> 5");
            assertThat(revert.exitCode()).as(revert.toString()).isZero();
            assertThat(after.exitCode()).as(after.toString()).isZero();
            assertThat(aws.json("lambda", "get-function-recursion-config", "--function-name", "api")
                            .path("RecursiveLoop")
                            .asText())
                    .isEqualTo("Allow");
            assertThat(aws.json(
                                    "lambda",
                                    "get-provisioned-concurrency-config",
                                    "--function-name",
                                    "api",
                                    "--qualifier",
                                    "live")
                            .path("RequestedProvisionedConcurrentExecutions")
                            .asInt())
                    .isEqualTo(5);
        }
    }

    @Test
    void onAws_aFailedAllocationIsReportedWithLambdasReason_andTheNextApplyAsksAgain() throws Exception {
        try (LambdaControlsFake fake = LambdaControlsFake.inFrontOf(MotoServer.freshEndpoint())) {
            CliRunner cli = new CliRunner(dir.resolve("state"));
            List<String> target =
                    List.of("--target", "aws", "--endpoint-url", fake.endpoint().toString(), "--region", "us-east-1");
            fake.failNextProvisioning("FUNCTION_ERROR_INIT_FAILURE");

            CliRunner.Result failed = cli.runOn(target, "apply", set.toString(), "--auto-approve");
            CliRunner.Result plan = cli.runOn(target, "plan", set.toString());
            CliRunner.Result again = cli.runOn(target, "apply", set.toString(), "--auto-approve");
            CliRunner.Result after = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");

            assertThat(failed.exitCode()).as(failed.toString()).isNotZero();
            assertThat(failed.out() + failed.err())
                    .contains("provisioned concurrency of alias api:live FAILED: FUNCTION_ERROR_INIT_FAILURE");
            assertThat(plan.out())
                    .contains("provisioned concurrency of alias api:live FAILED: FUNCTION_ERROR_INIT_FAILURE; it is"
                            + " asked for again")
                    .contains("5 (FAILED) -> 5");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(after.exitCode()).as(after.toString()).isZero();
        }
    }

    @Test
    void onTheLocalCloud_storedAsOnAws_plannedEmpty_andProvisionedConcurrencyRemovedWith0() throws Exception {
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result empty = cli.run("plan", set.toString(), "--detailed-exitcode");
        write(0, "Terminate", "{updateRuntimeOn: Manual, runtimeVersionArn: '" + RUNTIME_VERSION + "'}");
        CliRunner.Result change = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result after = cli.run("plan", set.toString(), "--detailed-exitcode");
        CliRunner.Result invoke = cli.run("invoke", "api", "--qualifier", "live", "--event", "{}", set.toString());

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains("set recursive loop Allow", "update runtime on FunctionUpdate")
                .contains("alias live: provision 5 environments, until READY");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(change.exitCode()).as(change.toString()).isZero();
        assertThat(change.out())
                .contains("alias live: remove provisioned concurrency")
                .contains("set recursive loop Terminate")
                .contains("runtimeManagement.runtimeVersionArn", RUNTIME_VERSION);
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
    }

    @Test
    void validate_refusesARuntimeVersionWithoutManual_andManualWithoutOne() throws Exception {
        CliRunner cli = new CliRunner(dir.resolve("state"));
        write(1, "Allow", "{updateRuntimeOn: Auto, runtimeVersionArn: '" + RUNTIME_VERSION + "'}");
        CliRunner.Result versionWithAuto = cli.run("validate", set.toString());
        write(1, "Allow", "{updateRuntimeOn: Manual}");
        CliRunner.Result manualAlone = cli.run("validate", set.toString());
        write(1, "Sometimes", "{updateRuntimeOn: Auto}");
        CliRunner.Result badLoop = cli.run("validate", set.toString());
        write(30, "Allow", "{updateRuntimeOn: Auto}");
        Files.writeString(
                set.resolve("stack.yaml"),
                Files.readString(set.resolve("stack.yaml"))
                                .replace("  publish: true\n", "  publish: true\n  reservedConcurrency: 20\n")
                        + "---\nkind: Function\nname: boxed\nspec:\n  role: release-ex\n"
                        + "  image: {uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/boxed:1}\n"
                        + "  runtimeManagement: {updateRuntimeOn: Auto}\n");
        CliRunner.Result beyondReservation = cli.run("validate", set.toString());

        assertThat(versionWithAuto.exitCode()).isEqualTo(1);
        assertThat(versionWithAuto.out() + versionWithAuto.err())
                .contains("stack.yaml:18:")
                .contains("a runtime version is kept only with updateRuntimeOn: Manual");
        assertThat(manualAlone.exitCode()).isEqualTo(1);
        assertThat(manualAlone.out() + manualAlone.err()).contains("give its ARN as runtimeVersionArn");
        assertThat(badLoop.exitCode()).isEqualTo(1);
        assertThat(badLoop.out() + badLoop.err()).contains("recursiveLoop").contains("Terminate");
        assertThat(beyondReservation.exitCode()).isEqualTo(1);
        assertThat(beyondReservation.err())
                .contains("function api reserves 20 concurrent executions, and its aliases provision 30 in all")
                .contains("a container image brings its own runtime: remove runtimeManagement");
    }
}
