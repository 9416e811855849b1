package io.lambdaform.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The event of {@code invoke --event}: {@code -} for standard input, a JSON document written inline, or a file. The
 * text must be JSON, as Lambda requires, and at most Lambda's 6 MB for a synchronous request.
 */
final class EventArgument {
    static final int MAX_BYTES = 6 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventArgument() {}

    /** The event's JSON text. */
    static String read(String value, BufferedReader stdin) {
        String text;
        String from;
        String trimmed = value.strip();
        if (value.equals("-")) {
            text = readAll(stdin);
            from = "standard input";
        } else if (looksLikeJson(trimmed)) {
            text = value;
            from = "--event";
        } else {
            text = readFile(Path.of(value));
            from = value;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw LambdaformException.user("the event from " + from + " is more than 6 MB; Lambda accepts at most"
                    + " 6 MB for an invocation");
        }
        if (text.isBlank()) {
            throw LambdaformException.user("the event from " + from + " is empty; give a JSON document, {} for none");
        }
        try {
            JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw LambdaformException.user("the event from " + from + " is not JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr()
                    + "). --event takes a JSON document, a file holding one, or - for standard input");
        }
        return text;
    }

    /** An inline document starts as JSON does; anything else names a file. */
    private static boolean looksLikeJson(String text) {
        if (text.isEmpty()) {
            return true;
        }
        char first = text.charAt(0);
        return first == '{'
                || first == '['
                || first == '"'
                || first == '-'
                || Character.isDigit(first)
                || text.equals("true")
                || text.equals("false")
                || text.equals("null");
    }

    private static String readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw LambdaformException.user("--event " + file + ": no such file. --event takes a JSON document, a"
                    + " file holding one, or - for standard input");
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw LambdaformException.user("the event file " + file + " is more than 6 MB; Lambda accepts at"
                        + " most 6 MB for an invocation");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw LambdaformException.user("cannot read the event file " + file + ": " + e.getMessage());
        }
    }

    private static String readAll(BufferedReader stdin) {
        try {
            StringBuilder text = new StringBuilder();
            char[] buffer = new char[8192];
            for (int n = stdin.read(buffer); n >= 0; n = stdin.read(buffer)) {
                text.append(buffer, 0, n);
                if (text.length() > MAX_BYTES) {
                    throw LambdaformException.user("the event on standard input is more than 6 MB; Lambda accepts"
                            + " at most 6 MB for an invocation");
                }
            }
            return text.toString();
        } catch (IOException e) {
            throw LambdaformException.user("cannot read the event from standard input: " + e.getMessage());
        }
    }
}
