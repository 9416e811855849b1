package io.lambdaform.kinds.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.model.Payload;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks an invocation against a payload's expectation; every failed check is one message. */
public final class Expectations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Expectations() {}

    /** Checks a synchronous invocation. */
    public static List<String> check(Payload.Expectation expect, InvocationResult result) {
        List<String> failures = new ArrayList<>();
        Payload.Outcome outcome = expect.outcome().orElse(Payload.Outcome.SUCCESS);
        if (outcome == Payload.Outcome.SUCCESS && result.failed()) {
            failures.add("expected success, but the function failed: " + errorSummary(result.payload()));
        } else if (outcome == Payload.Outcome.FUNCTION_ERROR && !result.failed()) {
            failures.add("expected a function error, but the function succeeded");
        }
        checkResponse(expect, result, failures);
        return failures;
    }

    /**
     * Checks a payload's invocation. A queued one (invocationType Event) must be accepted (202); where the target ran
     * it at once (the local cloud: {@link InvocationResult#queuedRun}), its outcome, result and log are those of its
     * last attempt, and its invocation record must have gone to the destination expected. What a target cannot check
     * is said by {@link #notChecked}, not passed.
     */
    public static List<String> check(Payload payload, InvocationResult result) {
        if (!payload.queued()) {
            return check(payload.expect(), result);
        }
        List<String> failures = new ArrayList<>();
        if (result.statusCode() != 202) {
            failures.add(
                    "expected Lambda to accept the queued event (status 202), but it answered " + result.statusCode());
            return failures;
        }
        if (result.queuedRun().isEmpty()) {
            return failures;
        }
        QueuedRun run = result.queuedRun().get();
        Payload.Expectation expect = payload.expect();
        Payload.Outcome outcome = expect.outcome().orElse(Payload.Outcome.SUCCESS);
        if (outcome == Payload.Outcome.SUCCESS && run.failed()) {
            failures.add("expected success, but every attempt failed ("
                    + run.attempts().size() + "), the last with "
                    + errorSummary(run.last().payload()));
        } else if (outcome == Payload.Outcome.FUNCTION_ERROR && !run.failed()) {
            failures.add("expected a function error, but the event succeeded on attempt "
                    + run.attempts().size());
        }
        checkResponse(expect, run.last(), failures);
        expect.destination().ifPresent(expected -> destination(expected, run).ifPresent(failures::add));
        return failures;
    }

    /**
     * What a payload's expectations could not check on the target that ran it, for a person; empty when everything was
     * checked. Of a queued event Lambda answers only whether it accepted it: its outcome (success unless the payload
     * expects otherwise), response, log and destination come later.
     */
    public static Optional<String> notChecked(Payload payload, InvocationResult result) {
        if (!payload.queued() || result.queuedRun().isPresent() || result.statusCode() != 202) {
            return Optional.empty();
        }
        Payload.Expectation expect = payload.expect();
        List<String> unchecked = new ArrayList<>();
        unchecked.add("outcome ("
                + (expect.outcome().orElse(Payload.Outcome.SUCCESS) == Payload.Outcome.SUCCESS
                        ? "success"
                        : "functionError")
                + ")");
        expect.result().ifPresent(r -> unchecked.add("result"));
        expect.logContains().ifPresent(l -> unchecked.add("logContains"));
        expect.destination().ifPresent(d -> unchecked.add("destination (" + d.written() + ")"));
        return Optional.of("accepted (202); not checked: " + String.join(", ", unchecked) + ": Lambda runs a queued"
                + " event after invoke returns, so only its acceptance is known here (run it on the local cloud to"
                + " check the rest)");
    }

    /** Why the record did not go to the destination expected; empty when it did. */
    private static Optional<String> destination(Payload.Destination expected, QueuedRun run) {
        String happened = run.failed()
                ? "the event failed after " + run.attempts().size() + " attempt"
                        + (run.attempts().size() == 1 ? "" : "s")
                : "the event succeeded on attempt " + run.attempts().size();
        if (run.delivery().isPresent()) {
            QueuedRun.Delivery delivery = run.delivery().get();
            if (delivery.destination() == expected) {
                return Optional.empty();
            }
            return Optional.of("expected the record to go to " + expected.written() + ", but " + happened
                    + " and its record went to " + delivery.destination().written() + " " + delivery.arn() + " ("
                    + delivery.file() + ")");
        }
        Payload.Destination due = run.failed() ? Payload.Destination.ON_FAILURE : Payload.Destination.ON_SUCCESS;
        return Optional.of("expected the record to go to " + expected.written() + ", but " + happened
                + " and no record was sent: no " + due.written() + " destination is set for what was invoked"
                + " (asyncInvoke governs $LATEST)");
    }

    /** The response and log checks. */
    private static void checkResponse(Payload.Expectation expect, InvocationResult result, List<String> failures) {
        expect.result().ifPresent(expected -> {
            JsonNode actual = parse(result.payload());
            List<String> mismatches = new ArrayList<>();
            contains(parse(expected), actual, "$", mismatches);
            mismatches.forEach(m -> failures.add("response does not contain the expected result: " + m));
        });
        expect.logContains().ifPresent(text -> {
            if (!result.log().contains(text)) {
                failures.add("log does not contain \"" + text + "\"");
            }
        });
    }

    /** "TypeError: message" from Lambda's error object, or the payload as it is. */
    public static String errorSummary(String payload) {
        JsonNode error = parse(payload);
        if (error.has("errorType") || error.has("errorMessage")) {
            return error.path("errorType").asText("Error") + ": "
                    + error.path("errorMessage").asText("");
        }
        return payload;
    }

    /** JSON subset: every field of an expected object, every item of an expected array (anywhere), equal scalars. */
    static void contains(JsonNode expected, JsonNode actual, String path, List<String> mismatches) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                mismatches.add(path + " is " + actual + ", expected an object");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = actual.get(field.getKey());
                if (value == null) {
                    mismatches.add(path + "." + field.getKey() + " is missing");
                } else {
                    contains(field.getValue(), value, path + "." + field.getKey(), mismatches);
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray()) {
                mismatches.add(path + " is " + actual + ", expected a list");
                return;
            }
            for (JsonNode item : expected) {
                boolean found = false;
                for (JsonNode candidate : actual) {
                    List<String> inner = new ArrayList<>();
                    contains(item, candidate, path, inner);
                    found |= inner.isEmpty();
                }
                if (!found) {
                    mismatches.add(path + " has no item matching " + item);
                }
            }
        } else if (!expected.equals(actual)
                && !(expected.isNumber()
                        && actual.isNumber()
                        && expected.decimalValue().compareTo(actual.decimalValue()) == 0)) {
            mismatches.add(path + " is " + actual + ", expected " + expected);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
