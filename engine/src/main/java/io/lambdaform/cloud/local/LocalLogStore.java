package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.LogEvent;
import io.lambdaform.kinds.function.InvocationResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The local cloud's record of what invocations printed, for {@code lambdaform logs}: under the state folder,
 * {@code logs/<function>.jsonl}, one JSON object per line of log ({@code {"timestamp":…,"requestId":…,"line":…,
 * "message":…}}, the timestamp in epoch milliseconds). Each invocation appends its lines in one write, under a file
 * lock, on a line of its own (after a line torn by a crash, if any, which readers skip like any damaged line, as they
 * skip a torn last line). A file that would pass the size bound is first renamed to {@code <function>.jsonl.1},
 * replacing the older one, so a function's logs take at most about twice the bound. Deleting the function deletes
 * them.
 *
 * <p>A read returns the events after a position: the signature of the file it read (its first bytes, which never
 * change once written) and the offset it reached, so that a reader that follows the log finds where it was even when
 * the file was renamed meanwhile.
 */
final class LocalLogStore {
    /** The size past which a function's log file is rotated. */
    static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bytes of a file's beginning that make its signature; every record line is longer. */
    private static final int SIGNATURE_BYTES = 64;

    private static final String NO_FILE = "-";
    private static final Pattern REQUEST_ID = Pattern.compile("^START RequestId: (\\S+)");

    private final Path folder;
    private final long maxBytes;
    private final ProgressListener progress;

    LocalLogStore(Path stateRoot, long maxBytes, ProgressListener progress) {
        this.folder = requireNonNull(stateRoot, "stateRoot is null").resolve("logs");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
        this.progress = requireNonNull(progress, "progress is null");
    }

    Path current(String function) {
        return folder.resolve(fileName(function));
    }

    Path rotated(String function) {
        return folder.resolve(fileName(function) + ".1");
    }

    /** Function names are letters, digits, hyphens and underscores: nothing that leaves the folder. */
    private static String fileName(String function) {
        if (!function.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not a function name: " + function);
        }
        return function + ".jsonl";
    }

    /** Appends the log of an invocation that has just ended. */
    void record(String function, InvocationResult result) {
        record(function, result, Instant.now());
    }

    /**
     * Appends the log of one invocation that ended at {@code end}: its START line and what the handler printed at the
     * invocation's start, its END and REPORT lines at its end. A failure to write is reported, not thrown: the
     * invocation itself succeeded.
     */
    void record(String function, InvocationResult result, Instant end) {
        List<String> lines = result.log().lines().toList();
        if (lines.isEmpty()) {
            return;
        }
        Matcher start = REQUEST_ID.matcher(lines.get(0));
        String requestId = start.find() ? start.group(1) : "unknown-" + end.toEpochMilli();
        long startMillis = end.toEpochMilli() - Math.max(0, result.durationMillis());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean platformEnd = i >= lines.size() - 2
                    && (line.startsWith("END RequestId: ") || line.startsWith("REPORT RequestId: "));
            ObjectNode record = JSON.createObjectNode();
            record.put("timestamp", platformEnd ? end.toEpochMilli() : startMillis);
            record.put("requestId", requestId);
            record.put("line", i);
            record.put("message", line);
            text.append(record).append('\n');
        }
        try {
            append(function, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            progress.onProgress("could not keep the log of this invocation of " + function + " under " + folder + ": "
                    + e.getMessage());
        }
    }

    private void append(String function, byte[] bytes) throws IOException {
        LineFiles.append(folder, current(function), rotated(function), maxBytes, bytes);
    }

    /** Deletes a function's logs (when the function is deleted). */
    void remove(String function) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try {
            LineFiles.locked(folder, () -> {
                Files.deleteIfExists(current(function));
                Files.deleteIfExists(rotated(function));
            });
        } catch (IOException e) {
            progress.onProgress(
                    "could not delete the logs of function " + function + " under " + folder + ": " + e.getMessage());
        }
    }

    /** Events read, and the position to read from next. */
    record Chunk(List<LogEvent> events, String position) {
        Chunk {
            events = List.copyOf(events);
            requireNonNull(position, "position is null");
        }
    }

    /**
     * The function's events after {@code position}, in the order they were written; from the beginning of what is
     * kept (the rotated file, then the current one) when there is no position.
     */
    Chunk read(String function, Optional<String> position) {
        Optional<Position> from = position.map(Position::parse);
        List<LogEvent> events = new ArrayList<>();
        try (Opened current = Opened.of(current(function))) {
            String signature = current.signature();
            long offset = 0;
            if (from.isPresent()
                    && !signature.equals(NO_FILE)
                    && from.get().signature().equals(signature)
                    && from.get().offset() <= current.size()) {
                offset = from.get().offset();
            } else if (from.isEmpty() || !from.get().signature().equals(NO_FILE)) {
                // From the start, or the file read last was rotated since (or is gone): the rest of it first.
                try (Opened rotated = Opened.of(rotated(function))) {
                    boolean continues = from.isPresent()
                            && from.get().signature().equals(rotated.signature())
                            && from.get().offset() <= rotated.size();
                    rotated.readFrom(continues ? from.get().offset() : 0, function, events);
                }
            }
            long end = current.readFrom(offset, function, events);
            return new Chunk(events, new Position(signature, end).encode());
        } catch (ClosedByInterruptException e) {
            // The interrupt (a follower stopped) closed the file: the read is cancelled, the interrupt kept.
            throw new CancellationException("interrupted while reading the logs of " + function);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the logs of " + function + " under " + folder, e);
        }
    }

    /** A file open for reading (or absent), so that its signature and its content come from the same file. */
    private static final class Opened implements AutoCloseable {
        private final FileChannel channel;

        private Opened(FileChannel channel) {
            this.channel = channel;
        }

        static Opened of(Path file) throws IOException {
            try {
                return new Opened(FileChannel.open(file, StandardOpenOption.READ));
            } catch (NoSuchFileException e) {
                return new Opened(null);
            }
        }

        long size() throws IOException {
            return channel == null ? 0 : channel.size();
        }

        String signature() throws IOException {
            if (channel == null || channel.size() < SIGNATURE_BYTES) {
                return NO_FILE;
            }
            ByteBuffer head = ByteBuffer.allocate(SIGNATURE_BYTES);
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // reads the first bytes
            }
            CRC32 crc = new CRC32();
            crc.update(head.flip());
            return HexFormat.of().toHexDigits((int) crc.getValue());
        }

        /** Adds the complete lines from {@code offset} on; returns the offset after the last complete line. */
        long readFrom(long offset, String function, List<LogEvent> into) throws IOException {
            if (channel == null) {
                return 0;
            }
            long size = channel.size();
            if (offset >= size) {
                return offset;
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // reads to the end as it was
            }
            byte[] bytes = buffer.array();
            int length = buffer.position();
            while (length > 0 && bytes[length - 1] != '\n') {
                length--; // a line still being written, or torn by a crash: not a record
            }
            int lineStart = 0;
            for (int i = 0; i < length; i++) {
                if (bytes[i] == '\n') {
                    parse(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8), function)
                            .ifPresent(into::add);
                    lineStart = i + 1;
                }
            }
            return offset + length;
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** A record line as an event, or empty for a line that is not one (damaged by a crash, or edited). */
    private static Optional<LogEvent> parse(String line, String function) {
        JsonNode record;
        try {
            record = JSON.readTree(line);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (record == null
                || !record.path("timestamp").canConvertToLong()
                || !record.path("requestId").isTextual()
                || !record.path("line").canConvertToInt()
                || !record.path("message").isTextual()
                || record.path("message").asText().indexOf('\n') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new LogEvent(
                function,
                Instant.ofEpochMilli(record.get("timestamp").asLong()),
                "",
                record.get("message").asText(),
                record.get("requestId").asText() + "#" + record.get("line").asInt()));
    }

    /** Where a reader of a function's log is: the signature of the file it read and the offset it reached. */
    private record Position(String signature, long offset) {
        String encode() {
            return signature + ":" + offset;
        }

        static Position parse(String text) {
            int colon = text.lastIndexOf(':');
            try {
                return new Position(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a position of the local logs: " + text, e);
            }
        }
    }
}
