package io.lambdaform.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The event of {@code invoke --event}: {@code -} for standard input, a JSON document written inline, or a file. The
 * text must be JSON, as Lambda requires, and at most Lambda's 6 MB for a synchronous request.
 */
final class EventArgument {
    static final int MAX_BYTES = 6 * 1024 * 1024;
    /** How deep arrays and objects may nest: the JSON reader's limit, and about what the runtimes' own parsers take. */
    static final int MAX_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventArgument() {}

    /** The event's JSON text, given with {@code --event}. */
    static String read(String value, BufferedReader stdin) {
        return read("--event", value, stdin);
    }

    /** The JSON text given with {@code option} ({@code --event}, {@code --merge}). */
    static String read(String option, String value, BufferedReader stdin) {
        String takes = takes(option);
        String text;
        String from;
        String trimmed = value.strip();
        if (value.equals("-")) {
            text = readAll(stdin);
            from = "standard input";
        } else if (looksLikeJson(trimmed)) {
            text = value;
            from = option;
        } else {
            text = readFile(option, Path.of(value));
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
        } catch (StreamConstraintsException e) {
            throw LambdaformException.user("the event from " + from + " " + beyondLimits(e) + ". " + takes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw LambdaformException.user("the event from " + from + " is not JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ". "
                    + takes);
        }
        return text;
    }

    /** What a document that is JSON but beyond what the parser reads exceeds, in the user's terms. */
    private static String beyondLimits(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "nests arrays and objects more than " + MAX_DEPTH + " levels deep; an event may nest at most "
                    + MAX_DEPTH;
        }
        // Jackson's message names its own setting beside the limit: the limit alone is what the user can act on.
        return "holds a value too large to read: " + message.replaceAll(", from `[^`]*`", "");
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

    private static String takes(String option) {
        return option + " takes a JSON document, a file holding one, or - for standard input";
    }

    private static String readFile(String option, Path file) {
        if (!Files.isRegularFile(file)) {
            throw LambdaformException.user(option + " " + file + ": no such file. " + takes(option));
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw LambdaformException.user("the event file " + file + " is more than 6 MB; Lambda accepts at"
                        + " most 6 MB for an invocation");
            }
            return utf8(Files.readAllBytes(file), "the event file " + file, takes(option));
        } catch (IOException e) {
            throw LambdaformException.user("cannot read the event file " + file + ": " + e.getMessage());
        }
    }

    /** The bytes as UTF-8 text, as JSON must be; a file that is not (binary, or another encoding) is refused. */
    private static String utf8(byte[] bytes, String what, String takes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw LambdaformException.user(String.format(
                    "%s is not UTF-8 text (byte 0x%02x at offset %d is not UTF-8): it looks like a binary file, or text"
                            + " in another encoding. An event is a JSON document, in UTF-8. %s",
                    what, bytes[in.position()] & 0xff, in.position(), takes));
        }
        return out.flip().toString();
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
