package io.lambdaform.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.kinds.function.FunctionKind;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the values a manifest writes in clear but marks secret ({@code API_TOKEN: {value: "...", secret: true}}),
 * before any check runs, so that not even a diagnostic on that line can quote one. Each value is collected as parsed
 * and as written in the source (quotes and escapes included). Also recognises, for what is read from a target
 * ({@code import}), environment variables that look secret by their name or by their value.
 */
public final class SecretLiterals {
    private static final String ENVIRONMENT = "/spec/environment";

    /** Well-known formats of credentials, by what the value itself looks like. */
    private static final List<Map.Entry<String, Pattern>> CREDENTIAL_FORMATS = List.of(
            Map.entry("an AWS access key id", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b")),
            Map.entry("a private key", Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----")),
            Map.entry(
                    "a GitHub token",
                    Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")),
            Map.entry("a GitLab token", Pattern.compile("\\bglpat-[A-Za-z0-9_-]{20,}")),
            Map.entry("a Slack token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}")),
            Map.entry("a Slack webhook", Pattern.compile("hooks\\.slack\\.com/services/")),
            Map.entry("a Stripe key", Pattern.compile("\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}")),
            Map.entry("a Google API key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}")),
            Map.entry("an npm token", Pattern.compile("\\bnpm_[A-Za-z0-9]{36}")),
            Map.entry("a JSON web token", Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.")),
            Map.entry("a URL with a password", Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:[^/\\s@]+@")),
            Map.entry("a password parameter", Pattern.compile("(?i)(?:^|[;&?\\s])(?:password|pwd)=[^;&\\s]")));

    private SecretLiterals() {}

    /**
     * Why an environment variable read from a target looks like it holds a secret: its name says so (as for the
     * credential variables a manifest may not read: TOKEN, SECRET, PASSWORD, KEY...) or its value has the format of
     * a credential (an AWS access key id, a private key, a token of a well-known service, a URL with a password);
     * empty when it does not.
     */
    public static Optional<String> looksSecret(String name, String value) {
        Optional<String> byName = CredentialVariables.nameSaysCredential(name);
        if (byName.isPresent()) {
            return byName;
        }
        for (Map.Entry<String, Pattern> format : CREDENTIAL_FORMATS) {
            if (format.getValue().matcher(value).find()) {
                return Optional.of("its value looks like " + format.getKey());
            }
        }
        return Optional.empty();
    }

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
        document.valueExactlyAt(pointer).ifPresent(at -> {
            String raw = raw(at.file().line(at.line()), at.column());
            if (!raw.isEmpty()) {
                values.add(raw);
            }
        });
    }

    /**
     * The scalar as written from that column: a quoted string up to its closing quote, else up to a comment or the
     * end of a flow value. Scans only what the value spans, never the rest of the line: a one-line mapping of
     * thousands of secret entries would make that quadratic.
     */
    static String raw(String line, int column) {
        if (column < 1 || column > line.length()) {
            return "";
        }
        int start = column - 1;
        char quote = line.charAt(start);
        if (quote == '"' || quote == '\'') {
            for (int i = start + 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == '"' && c == '\\') {
                    i++;
                } else if (c == quote && !(quote == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'')) {
                    return line.substring(start + 1, i);
                } else if (c == quote) {
                    i++;
                }
            }
            return line.substring(start + 1);
        }
        boolean block = quote == '|' || quote == '>';
        int end = line.length();
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean comment = c == ' ' && i + 1 < line.length() && line.charAt(i + 1) == '#';
            boolean flowEnd =
                    !block && (c == '}' || c == ']' || c == ',' && i + 1 < line.length() && line.charAt(i + 1) == ' ');
            if (comment || flowEnd) {
                end = i;
                break;
            }
        }
        return line.substring(start, end).strip();
    }
}
