package io.lambdaform.kinds.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.model.Payload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A queued invocation's pieces: the invocation record Lambda sends a destination, the summary of what the local cloud
 * did, and how a payload of invocationType Event is checked where the event ran (the local cloud) and where only its
 * acceptance is known (AWS).
 */
class QueuedInvocationTest {
    private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:boom";
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:failed";
    private static final InvocationResult FAILED = new InvocationResult(
            "{\"errorMessage\": \"boom\", \"errorType\": \"ValueError\"}",
            Optional.of("Unhandled"),
            "START RequestId: r1 Version: $LATEST\n",
            12,
            Optional.of("$LATEST"),
            200);
    private static final InvocationResult SUCCEEDED =
            new InvocationResult("{\"ok\": true}", Optional.empty(), "done 42\n", 5, Optional.of("3"), 200);

    @Test
    void record_ofExhaustedRetries_isLambdasJson_inItsFieldOrder() throws Exception {
        DestinationRecord record = new DestinationRecord(
                Instant.parse("2024-05-01T12:00:00Z"), "req-1", ARN + ":$LATEST", 3, "{\"order\": 42}", FAILED);

        assertThat(record.condition()).isEqualTo("RetriesExhausted");
        assertThat(record.json())
                .isEqualTo("{\"version\":\"1.0\",\"timestamp\":\"2024-05-01T12:00:00.000Z\","
                        + "\"requestContext\":{\"requestId\":\"req-1\",\"functionArn\":\"" + ARN + ":$LATEST\","
                        + "\"condition\":\"RetriesExhausted\",\"approximateInvokeCount\":3},"
                        + "\"requestPayload\":{\"order\":42},"
                        + "\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\","
                        + "\"functionError\":\"Unhandled\"},"
                        + "\"responsePayload\":{\"errorMessage\":\"boom\",\"errorType\":\"ValueError\"}}");
    }

    @Test
    void record_ofASuccess_hasNoFunctionError_andKeepsAResponseThatIsNotJsonAsText() throws Exception {
        JsonNode success = new ObjectMapper()
                .readTree(new DestinationRecord(Instant.EPOCH, "req-2", ARN + ":live", 1, "[1, 2]", SUCCEEDED).json());
        JsonNode none = new ObjectMapper()
                .readTree(new DestinationRecord(
                                Instant.EPOCH,
                                "req-3",
                                ARN,
                                1,
                                "{}",
                                new InvocationResult("not json", Optional.empty(), "", 1))
                        .json());

        assertThat(success.at("/requestContext/condition").asText()).isEqualTo("Success");
        assertThat(success.at("/requestContext/functionArn").asText()).isEqualTo(ARN + ":live");
        assertThat(success.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(1);
        assertThat(success.get("timestamp").asText()).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(success.get("requestPayload").toString()).isEqualTo("[1,2]");
        assertThat(success.at("/responseContext/executedVersion").asText()).isEqualTo("3");
        assertThat(success.get("responseContext").has("functionError")).isFalse();
        assertThat(success.get("responsePayload").toString()).isEqualTo("{\"ok\":true}");
        assertThat(none.get("responsePayload").asText()).isEqualTo("not json");
    }

    @Test
    void summary_saysTheAttemptsAndWhereTheRecordWent() {
        QueuedRun failed = failedRun(Optional.of(delivery(Payload.Destination.ON_FAILURE)));
        QueuedRun succeededUnsent = new QueuedRun("req", List.of(FAILED, SUCCEEDED), 2, Optional.empty());

        assertThat(failed.summary())
                .isEqualTo("failed after 2 attempts; record sent to onFailure " + QUEUE + " (destinations/q.jsonl)");
        assertThat(succeededUnsent.summary())
                .isEqualTo(
                        "succeeded on attempt 2; no record sent: no onSuccess destination is set for what was invoked (asyncInvoke"
                                + " governs $LATEST)");
        assertThat(new QueuedRun("req", List.of(FAILED), 0, Optional.empty()).summary())
                .startsWith(
                        "failed after 1 attempt; no record sent: no onFailure destination is set for what was invoked");
        assertThatThrownBy(() -> new QueuedRun("req", List.of(), 2, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQueuedPayload_runLocally_isCheckedOnItsLastAttemptAndItsDestination() {
        InvocationResult result =
                InvocationResult.queued(failedRun(Optional.of(delivery(Payload.Destination.ON_FAILURE))));
        Payload expectsFailure = queued(new Payload.Expectation(
                Optional.of(Payload.Outcome.FUNCTION_ERROR),
                Optional.of("{\"errorType\":\"ValueError\"}"),
                Optional.of("START RequestId"),
                Optional.of(Payload.Destination.ON_FAILURE)));
        Payload expectsSuccess = queued(new Payload.Expectation(
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(Payload.Destination.ON_SUCCESS)));

        assertThat(result.statusCode()).isEqualTo(202);
        assertThat(result.payload()).isEqualTo("null");
        assertThat(result.failed())
                .as("Lambda answered 202, without a function error")
                .isFalse();
        assertThat(result.durationMillis()).isEqualTo(24);
        assertThat(Expectations.check(expectsFailure, result)).isEmpty();
        assertThat(Expectations.notChecked(expectsFailure, result)).isEmpty();
        assertThat(Expectations.check(expectsSuccess, result))
                .containsExactly(
                        "expected success, but every attempt failed (2), the last with ValueError: boom",
                        "expected the record to go to onSuccess, but the event failed after 2 attempts and its"
                                + " record went to onFailure " + QUEUE + " (destinations/q.jsonl)");
        assertThat(Expectations.check(expectsFailure, InvocationResult.queued(failedRun(Optional.empty()))))
                .containsExactly("expected the record to go to onFailure, but the event failed after 2 attempts"
                        + " and no record was sent: no onFailure destination is set for what was invoked (asyncInvoke governs"
                        + " $LATEST)");
    }

    @Test
    void aQueuedPayload_onAws_passesWhenAccepted_andSaysWhatItCouldNotCheck() {
        InvocationResult accepted = new InvocationResult("null", Optional.empty(), "", 30, Optional.empty(), 202);
        Payload payload = queued(new Payload.Expectation(
                Optional.of(Payload.Outcome.FUNCTION_ERROR),
                Optional.empty(),
                Optional.of("boom"),
                Optional.of(Payload.Destination.ON_FAILURE)));

        assertThat(Expectations.check(payload, accepted)).isEmpty();
        assertThat(Expectations.notChecked(payload, accepted))
                .contains("accepted (202); not checked: outcome (functionError), logContains, destination (onFailure):"
                        + " Lambda runs a queued event after invoke returns, so only its acceptance is known here (run"
                        + " it on the local cloud to check the rest)");
        assertThat(Expectations.check(payload, new InvocationResult("null", Optional.empty(), "", 30)))
                .containsExactly("expected Lambda to accept the queued event (status 202), but it answered 200");
        assertThat(Expectations.notChecked(new Payload("p", "boom", "{}", Payload.Expectation.NONE), SUCCEEDED))
                .isEmpty();
    }

    private static QueuedRun failedRun(Optional<QueuedRun.Delivery> delivery) {
        return new QueuedRun("req", List.of(FAILED, FAILED), 1, delivery);
    }

    private static QueuedRun.Delivery delivery(Payload.Destination destination) {
        return new QueuedRun.Delivery(destination, QUEUE, "destinations/q.jsonl", "{}");
    }

    private static Payload queued(Payload.Expectation expect) {
        return new Payload("p", "boom", "{}", expect, Optional.empty(), Payload.InvocationType.EVENT);
    }
}
