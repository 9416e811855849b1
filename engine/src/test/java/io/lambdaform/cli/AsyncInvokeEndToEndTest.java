package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Asynchronous invocation (issue #22): on the local cloud a queued event runs at once with the function's retries and
 * its invocation record lands in a file for the destination, so a failing asynchronous payload can be tested offline;
 * on AWS (moto) an Event payload passes when Lambda accepts it, and says what it could not check.
 */
class AsyncInvokeEndToEndTest {
    private static final String FAILED_QUEUE = "arn:aws:sqs:us-east-1:ACCOUNT:orders-failed";
    private static final String DONE_TOPIC = "arn:aws:sns:us-east-1:ACCOUNT:orders-done";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path set;

    @BeforeEach
    void manifests() throws IOException {
        set = dir.resolve("repo");
        Files.createDirectories(set.resolve("src"));
        Files.writeString(set.resolve("src/app.py"), """
                def boom(event, context):
                    print('attempt for order', event.get('order'))
                    raise ValueError('order ' + str(event.get('order')) + ' cannot be shipped')

                def fine(event, context):
                    print('shipping order', event.get('order'))
                    return {'shipped': event.get('order')}
                """);
    }

    private void write(String account) throws IOException {
        Files.writeString(set.resolve("stack.yaml"), """
                kind: Stack
                name: orders
                spec: {region: us-east-1}
                ---
                kind: Role
                name: orders-ex
                spec: {trustedServices: [lambda.amazonaws.com]}
                ---
                kind: Function
                name: boom
                spec:
                  runtime: python3.12
                  handler: app.boom
                  code: src
                  role: orders-ex
                  asyncInvoke:
                    maximumRetryAttempts: 1
                    destinations: {onFailure: FAILED_QUEUE}
                ---
                kind: Function
                name: once
                spec:
                  runtime: python3.12
                  handler: app.boom
                  code: src
                  role: orders-ex
                  asyncInvoke:
                    maximumRetryAttempts: 0
                    destinations: {onFailure: FAILED_QUEUE}
                ---
                kind: Function
                name: fine
                spec:
                  runtime: python3.12
                  handler: app.fine
                  code: src
                  role: orders-ex
                  asyncInvoke:
                    destinations: {onSuccess: DONE_TOPIC, onFailure: FAILED_QUEUE}
                ---
                kind: Payload
                name: boom-fails
                spec:
                  function: boom
                  invocationType: Event
                  event: {order: 42}
                  expect: {outcome: functionError, destination: onFailure, logContains: attempt for order 42}
                ---
                kind: Payload
                name: once-fails
                spec:
                  function: once
                  invocationType: Event
                  event: {order: 7}
                  expect: {outcome: functionError, destination: onFailure}
                ---
                kind: Payload
                name: fine-ships
                spec:
                  function: fine
                  invocationType: Event
                  event: {order: 9}
                  expect: {destination: onSuccess, result: {shipped: 9}}
                ---
                kind: Payload
                name: boom-wrongly-expected
                spec:
                  function: boom
                  invocationType: Event
                  event: {order: 5}
                  expect: {outcome: functionError, destination: onSuccess}
                """.replace("FAILED_QUEUE", FAILED_QUEUE)
                .replace("DONE_TOPIC", DONE_TOPIC)
                .replace("ACCOUNT", account));
    }

    @Test
    void onTheLocalCloud_aFailingEventIsRetried_andItsRecordSentToOnFailure_offline() throws Exception {
        Path state = dir.resolve("state");
        CliRunner cli = new CliRunner(state);
        write("000000000000");
        String failedQueue = FAILED_QUEUE.replace("ACCOUNT", "000000000000");
        String failedFile = "destinations/arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aorders-failed.jsonl";
        String doneFile = "destinations/arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aorders-done.jsonl";

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result passing = cli.run("invoke", set.toString(), "boom-fails", "once-fails", "fine-ships");
        List<String> failedRecords = Files.readAllLines(state.resolve(failedFile));
        List<String> doneRecords = Files.readAllLines(state.resolve(doneFile));
        CliRunner.Result wrong = cli.run("invoke", set.toString(), "boom-wrongly-expected");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(passing.exitCode()).as(passing.toString()).isZero();
        assertThat(passing.out())
                .contains("payload boom-fails -> function boom: ok")
                .contains("queued: failed after 2 attempts; record sent to onFailure " + failedQueue + " (" + failedFile
                        + ")")
                .contains("queued: failed after 1 attempt; record sent to onFailure")
                .contains("queued: succeeded on attempt 1; record sent to onSuccess "
                        + DONE_TOPIC.replace("ACCOUNT", "000000000000") + " (" + doneFile + ")")
                .contains("3 passed, 0 failed");
        String functionLog = Files.readString(state.resolve("logs/boom.jsonl"));
        assertThat(functionLog.split("attempt for order 42", -1))
                .as("the handler ran twice: once, then its one retry")
                .hasSize(3);
        assertThat(Files.readString(state.resolve("logs/once.jsonl")).split("attempt for order 7", -1))
                .as("maximumRetryAttempts 0: one attempt")
                .hasSize(2);

        assertThat(failedRecords).hasSize(2);
        JsonNode boom = JSON.readTree(failedRecords.get(0));
        assertThat(boom.get("version").asText()).isEqualTo("1.0");
        assertThat(boom.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(boom.at("/requestContext/condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(boom.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(boom.at("/requestContext/functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:boom:$LATEST");
        assertThat(boom.get("requestPayload").toString()).isEqualTo("{\"order\":42}");
        assertThat(boom.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(boom.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(boom.at("/responsePayload/errorMessage").asText()).isEqualTo("order 42 cannot be shipped");
        JsonNode once = JSON.readTree(failedRecords.get(1));
        assertThat(once.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(once.at("/requestContext/functionArn").asText()).endsWith("function:once:$LATEST");
        JsonNode fine = JSON.readTree(doneRecords.get(0));
        assertThat(fine.at("/requestContext/condition").asText()).isEqualTo("Success");
        assertThat(fine.get("responsePayload").toString()).isEqualTo("{\"shipped\":9}");
        assertThat(fine.get("responseContext").has("functionError")).isFalse();

        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(wrong.out())
                .contains("payload boom-wrongly-expected -> function boom: FAILED")
                .contains("expectation failed: expected the record to go to onSuccess, but the event failed after 2"
                        + " attempts and its record went to onFailure " + failedQueue + " (" + failedFile + ")")
                .contains("0 passed, 1 failed");
    }

    @Test
    void onTheLocalCloud_invokeAsync_showsEachAttemptAndWhereTheRecordWent() throws Exception {
        Path state = dir.resolve("state");
        CliRunner cli = new CliRunner(state);
        write("000000000000");
        assertThat(cli.run("apply", set.toString(), "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result text = cli.run("invoke", set.toString(), "boom", "--event", "{\"order\": 1}", "--async");
        CliRunner.Result json =
                cli.run("invoke", set.toString(), "fine", "--event", "{\"order\": 2}", "--async", "--format", "json");
        Files.writeString(
                set.resolve("stack.yaml"),
                Files.readString(set.resolve("stack.yaml"))
                        .replace("handler: app.fine\n", "handler: app.fine\n  reservedConcurrency: 0\n"));
        CliRunner.Result switchOff = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result throttled = cli.run("invoke", set.toString(), "fine", "--event", "{}", "--async");

        assertThat(text.exitCode()).as("every attempt failed").isEqualTo(ExitCodes.ERROR);
        assertThat(text.out()).isEmpty();
        assertThat(text.err())
                .contains("attempt 1:", "attempt 2:", "attempt for order 1")
                .contains("function error (Unhandled): ValueError: order 1 cannot be shipped")
                .contains("queued: the local cloud ran the event for boom at once (status 202): failed after 2"
                        + " attempts; record sent to onFailure arn:aws:sqs:us-east-1:000000000000:orders-failed"
                        + " (destinations/arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aorders-failed.jsonl)")
                .doesNotContain("attempt 3:");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode document = JSON.readTree(json.out());
        assertThat(document.get("statusCode").asInt()).isEqualTo(202);
        assertThat(document.get("async").asBoolean()).isTrue();
        assertThat(document.at("/queuedRun/outcome").asText()).isEqualTo("success");
        assertThat(document.at("/queuedRun/attempts")).hasSize(1);
        assertThat(document.at("/queuedRun/attempts/0/response/shipped").asInt())
                .isEqualTo(2);
        assertThat(document.at("/queuedRun/destination/name").asText()).isEqualTo("onSuccess");
        assertThat(document.at("/queuedRun/destination/record/requestContext/condition")
                        .asText())
                .isEqualTo("Success");
        assertThat(document.at("/queuedRun/destination/record/requestContext/requestId")
                        .asText())
                .isEqualTo(document.at("/queuedRun/requestId").asText());
        assertThat(switchOff.out()).as(switchOff.toString()).contains("reserve concurrency 0");
        assertThat(throttled.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(throttled.err()).contains("TooManyRequestsException: Rate Exceeded.");
    }

    @Test
    void onMoto_anEventPayloadPassesWhenAccepted_andSaysItsOutcomeWasNotChecked() throws Exception {
        URI endpoint = MotoServer.freshEndpoint();
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target =
                List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
        write("123456789012");

        CliRunner.Result apply = cli.runOn(target, "apply", set.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.runOn(target, "invoke", set.toString(), "boom-fails", "boom-wrongly-expected");
        CliRunner.Result json = cli.runOn(target, "invoke", set.toString(), "boom-fails", "--format", "json");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out())
                .contains("payload boom-fails -> function boom: ok")
                .contains("queued: accepted (202); not checked: outcome (functionError), logContains, destination"
                        + " (onFailure): Lambda runs a queued event after invoke returns")
                .contains("queued: accepted (202); not checked: outcome (functionError), destination (onSuccess)")
                .contains("2 passed, 0 failed");
        JsonNode run = JSON.readTree(json.out()).at("/runs/0");
        assertThat(run.get("statusCode").asInt()).isEqualTo(202);
        assertThat(run.get("passed").asBoolean()).isTrue();
        assertThat(run.get("notChecked").asText()).startsWith("accepted (202); not checked: outcome (functionError)");
        assertThat(run.has("queuedRun")).isFalse();
    }
}
