package io.lambdaform.kinds.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.model.Payload;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Checks an invocation against a payload's expectation; every failed check is one message. */
public final class Expectations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Expectations() {}

    public static List<String> check(Payload.Expectation expect, InvocationResult result) {
        List<String> failures = new ArrayList<>();
        Payload.Outcome outcome = expect.outcome().orElse(Payload.Outcome.SUCCESS);
        if (outcome == Payload.Outcome.SUCCESS && result.failed()) {
            failures.add("expected success, but the function failed: " + errorSummary(result.payload()));
        } else if (outcome == Payload.Outcome.FUNCTION_ERROR && !result.failed()) {
            failures.add("expected a function error, but the function succeeded");
        }
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
        return failures;
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
