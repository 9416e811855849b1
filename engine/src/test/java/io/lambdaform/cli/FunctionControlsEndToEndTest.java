package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function's reserved concurrency and asynchronous invocation settings (issue #22's first part), through the
 * command line: applied after the function, an empty plan after, drift made with the real AWS CLI shown and reverted
 * on moto; on the local cloud, stored like on AWS, and a reserved concurrency of 0 refusing invocations as Lambda does.
 */
class FunctionControlsEndToEndTest {
    @TempDir
    Path dir;

    private Path set;

    @BeforeEach
    void manifests() throws IOException {
        set = dir.resolve("repo");
        Files.createDirectories(set.resolve("src"));
        Files.writeString(set.resolve("src/app.py"), "def handler(event, context):\n    return {'ok': True}\n");
    }

    private void write(String account, int reserved) throws IOException {
        Files.writeString(set.resolve("stack.yaml"), """
                kind: Stack
                name: controls
                spec: {region: us-east-1}
                ---
                kind: Role
                name: controls-ex
                spec: {trustedServices: [lambda.amazonaws.com]}
                ---
                kind: Queue
                name: controls-failed
                ---
                kind: Function
                name: throttled
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: controls-ex
                  reservedConcurrency: RESERVED
                  asyncInvoke:
                    maximumRetryAttempts: 1
                    maximumEventAgeInSeconds: 600
                    destinations:
                      onFailure: arn:aws:sqs:us-east-1:ACCOUNT:controls-failed
                ---
                kind: Function
                name: plain
                spec: {runtime: python3.12, handler: app.handler, code: src, role: controls-ex}
                """.replace("RESERVED", String.valueOf(reserved))
                .replace("ACCOUNT", account));
    }

    @Test
    void onMoto_appliedPlannedEmpty_driftShownAndReverted() throws Exception {
        URI endpoint = MotoServer.freshEndpoint();
        AwsCli aws = new AwsCli(endpoint);
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target =
                List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
        write("123456789012", 5);

        CliRunner.Result apply = cli.runOn(target, "apply", set.toString(), "--auto-approve");
        CliRunner.Result empty = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");
        JsonNode concurrency = aws.json("lambda", "get-function-concurrency", "--function-name", "throttled");
        JsonNode async = aws.json("lambda", "get-function-event-invoke-config", "--function-name", "throttled");
        aws.run(
                "lambda",
                "put-function-concurrency",
                "--function-name",
                "throttled",
                "--reserved-concurrent-executions",
                "1");
        // moto 5.2's PutFunctionEventInvokeConfig adds a config after the first, which its Get never shows: the
        // drift is a deleted config instead.
        aws.run("lambda", "delete-function-event-invoke-config", "--function-name", "throttled");
        CliRunner.Result drift = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode");
        CliRunner.Result revert = cli.runOn(target, "apply", set.toString(), "--auto-approve");
        CliRunner.Result after = cli.runOn(target, "plan", set.toString(), "--detailed-exitcode", "--debug");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("reserve concurrency 5", "set asynchronous invocation");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(concurrency.path("ReservedConcurrentExecutions").asInt()).isEqualTo(5);
        assertThat(async.path("MaximumRetryAttempts").asInt()).isEqualTo(1);
        assertThat(async.at("/DestinationConfig/OnFailure/Destination").asText())
                .isEqualTo("arn:aws:sqs:us-east-1:123456789012:controls-failed");
        assertThat(drift.exitCode()).as(drift.toString()).isEqualTo(2);
        assertThat(drift.out()).contains("reservedConcurrency", "1 -> 5").contains("asyncInvoke.maximumRetryAttempts");
        assertThat(revert.exitCode()).as(revert.toString()).isZero();
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.err())
                .as("reserved concurrency comes with GetFunction; the invoke config is read only where declared")
                .containsPattern("AWS API calls: \\d+ \\{[^}]*GetFunction=2[,}]")
                .containsPattern("AWS API calls: \\d+ \\{[^}]*GetFunctionEventInvokeConfig=1[,}]")
                .doesNotContain("GetFunctionConcurrency");
        assertThat(aws.json("lambda", "get-function-concurrency", "--function-name", "throttled")
                        .path("ReservedConcurrentExecutions")
                        .asInt())
                .isEqualTo(5);
        assertThat(aws.json("lambda", "get-function-event-invoke-config", "--function-name", "throttled")
                        .path("MaximumRetryAttempts")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void validate_warnsAtTheDestination_whenTheDeclaredRoleCannotSendThere() throws Exception {
        CliRunner cli = new CliRunner(dir.resolve("state"));
        write("000000000000", 3);

        CliRunner.Result validate = cli.run("validate", set.toString());

        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.err())
                .contains("stack.yaml:24:18: warning:")
                .contains("role controls-ex of function throttled does not allow sqs:SendMessage")
                .contains("1 warning(s).");
    }

    @Test
    void onTheLocalCloud_storedAsOnAws_andAReservedConcurrencyOf0RefusesInvocations() throws Exception {
        CliRunner cli = new CliRunner(dir.resolve("state"));
        write("000000000000", 3);

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result empty = cli.run("plan", set.toString(), "--detailed-exitcode");
        write("000000000000", 0);
        CliRunner.Result switchOff = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.run("invoke", set.toString());
        Files.writeString(
                set.resolve("stack.yaml"),
                Files.readString(set.resolve("stack.yaml"))
                        .replace(
                                "spec: {trustedServices: [lambda.amazonaws.com]}",
                                "spec:\n  trustedServices: [lambda.amazonaws.com]\n  inlinePolicies:\n    send:\n"
                                        + "      Version: '2012-10-17'\n      Statement:\n"
                                        + "        - {Effect: Allow, Action: 'sqs:Send*', Resource: '*'}"));
        CliRunner.Result allowed = cli.run("plan", set.toString());

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains("reserve concurrency 3", "set asynchronous invocation")
                .contains("role controls-ex of function throttled does not allow sqs:SendMessage, which Lambda needs"
                        + " to send asynchronous invocations' outcomes to arn:aws:sqs:us-east-1:000000000000:"
                        + "controls-failed");
        assertThat(empty.exitCode()).as(empty.toString()).isZero();
        assertThat(switchOff.out()).contains("reserve concurrency 0");
        assertThat(invoke.exitCode()).isEqualTo(1);
        assertThat(invoke.out())
                .contains("payload throttled (empty event) -> function throttled: NOT RUN: local cloud refused:"
                        + " TooManyRequestsException: Rate Exceeded.")
                .contains("payload plain (empty event) -> function plain: ok");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).doesNotContain("does not allow");
    }
}
