package io.lambdaform.cloud.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.diff.PolicyDocuments;
import java.io.IOException;

/** Reads a trust policy the way STS decides whether a service may assume the role. */
final class TrustPolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrustPolicies() {}

    static boolean allowsService(String trustPolicy, String service) {
        JsonNode document;
        try {
            document = JSON.readTree(PolicyDocuments.decode(trustPolicy));
        } catch (IOException e) {
            return false;
        }
        JsonNode statements = document.path("Statement");
        boolean allowed = false;
        for (JsonNode statement :
                statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            if (!matches(statement.path("Action"), "sts:AssumeRole")) {
                continue;
            }
            JsonNode principal = statement.path("Principal");
            boolean names = principal.isTextual()
                    ? principal.asText().equals("*")
                    : matches(principal.path("Service"), service);
            if (!names) {
                continue;
            }
            if (statement.path("Effect").asText().equals("Deny")) {
                return false;
            }
            allowed |= statement.path("Effect").asText().equals("Allow");
        }
        return allowed;
    }

    private static boolean matches(JsonNode value, String wanted) {
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (matches(item, wanted)) {
                    return true;
                }
            }
            return false;
        }
        String text = value.asText();
        return text.equals(wanted) || text.equals("*") || text.equals("sts:*");
    }
}
