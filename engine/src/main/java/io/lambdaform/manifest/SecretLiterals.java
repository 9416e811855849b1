package io.lambdaform.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.kinds.function.FunctionKind;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Finds the values a manifest writes in clear but marks secret ({@code API_TOKEN: {value: "...", secret: true}}),
 * before any check runs, so that not even a diagnostic on that line can quote one. Each value is collected as parsed
 * and as written in the source (quotes and escapes included).
 */
final class SecretLiterals {
    private static final String ENVIRONMENT = "/spec/environment";

    private SecretLiterals() {}

    static void collect(YamlDocument document, Set<String> values) {
        if (!document.root().path("kind").asText().equals(FunctionKind.KIND.manifestName())) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        document.root().at(ENVIRONMENT).fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isObject() && value.path("secret").asBoolean(false) && value.has("value")) {
                String pointer = YamlDocument.child(YamlDocument.child(ENVIRONMENT, entry.getKey()), "value");
                add(document, pointer, value.get("value"), values);
            }
        }
    }

    /** The values a values file gives to sensitive variables. */
    static void collect(YamlDocument file, Set<String> names, Set<String> values) {
        file.root().fields().forEachRemaining(e -> {
            if (names.contains(e.getKey())) {
                add(file, YamlDocument.child("", e.getKey()), e.getValue(), values);
            }
        });
    }

    /** Every value of a values file whose values are all sensitive. */
    static void collectAll(YamlDocument file, Set<String> values) {
        file.root().fields().forEachRemaining(e -> add(file, YamlDocument.child("", e.getKey()), e.getValue(), values));
    }

    private static void add(YamlDocument document, String pointer, JsonNode value, Set<String> values) {
        if (value.isContainerNode()) {
            values.add(value.toString());
            return;
        }
        values.add(value.asText());
        Position at = document.values().get(pointer);
        if (at != null) {
            String raw = raw(at.file().line(at.line()), at.column());
            if (!raw.isEmpty()) {
                values.add(raw);
            }
        }
    }

    /** The scalar as written from that column: a quoted string up to its closing quote, else up to a comment. */
    static String raw(String line, int column) {
        if (column < 1 || column > line.length()) {
            return "";
        }
        String rest = line.substring(column - 1);
        char quote = rest.charAt(0);
        if (quote == '"' || quote == '\'') {
            for (int i = 1; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (quote == '"' && c == '\\') {
                    i++;
                } else if (c == quote && !(quote == '\'' && i + 1 < rest.length() && rest.charAt(i + 1) == '\'')) {
                    return rest.substring(1, i);
                } else if (c == quote) {
                    i++;
                }
            }
            return rest.substring(1);
        }
        int comment = rest.indexOf(" #");
        String plain = comment >= 0 ? rest.substring(0, comment) : rest;
        for (String end : new String[] {", ", "}", "]"}) {
            int at = plain.indexOf(end);
            if (at >= 0 && !plain.startsWith("|") && !plain.startsWith(">")) {
                plain = plain.substring(0, at);
            }
        }
        return plain.strip();
    }
}
