package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The invocation record Lambda sends to an asynchronous invocation's destination once it is done with the event:
 * condition {@code Success}, or {@code RetriesExhausted} when every attempt failed.
 *
 * <pre>{@code
 * {"version":"1.0","timestamp":"2024-05-01T12:00:00.000Z",
 *  "requestContext":{"requestId":"…","functionArn":"arn:aws:lambda:…:function:f:$LATEST",
 *                    "condition":"RetriesExhausted","approximateInvokeCount":3},
 *  "requestPayload":{…},
 *  "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
 *  "responsePayload":{"errorMessage":"…","errorType":"…"}}
 * }</pre>
 *
 * @param functionArn the function's ARN qualified as it was invoked ({@code :$LATEST} when it was not)
 * @param invokeCount the attempts made
 * @param event the event, as JSON text
 * @param last the last attempt's outcome
 */
public record DestinationRecord(
        Instant timestamp, String requestId, String functionArn, int invokeCount, String event, InvocationResult last) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
                    "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    public DestinationRecord {
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(functionArn, "functionArn is null");
        requireNonNull(event, "event is null");
        requireNonNull(last, "last is null");
    }

    /** Lambda's condition: {@code Success}, or {@code RetriesExhausted}. */
    public String condition() {
        return last.failed() ? "RetriesExhausted" : "Success";
    }

    /** The record as one line of JSON, in Lambda's field order. */
    public String json() {
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", TIMESTAMP.format(timestamp));
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", requestId);
        request.put("functionArn", functionArn);
        request.put("condition", condition());
        request.put("approximateInvokeCount", invokeCount);
        record.set("requestPayload", parse(event));
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", last.statusCode());
        response.put("executedVersion", last.executedVersion().orElse("$LATEST"));
        last.functionError().ifPresent(error -> response.put("functionError", error));
        record.set("responsePayload", parse(last.payload()));
        return record.toString();
    }

    /** JSON text as a tree; nothing as null; text that is not JSON as a string. */
    private static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null || node.isMissingNode() ? JSON.getNodeFactory().nullNode() : node;
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }
}
