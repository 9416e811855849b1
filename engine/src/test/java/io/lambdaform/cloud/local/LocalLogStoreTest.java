package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.LogEvent;
import io.lambdaform.kinds.function.InvocationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLogStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-28T16:00:00Z");

    @TempDir
    Path state;

    private final List<String> progress = new ArrayList<>();

    private LocalLogStore store(long maxBytes) {
        return new LocalLogStore(state, maxBytes, progress::add);
    }

    private static InvocationResult invocation(String requestId, long millis, String... handlerLines) {
        StringBuilder log = new StringBuilder("START RequestId: " + requestId + " Version: $LATEST\n");
        for (String line : handlerLines) {
            log.append(line).append('\n');
        }
        log.append("END RequestId: ").append(requestId).append('\n');
        log.append("REPORT RequestId: ")
                .append(requestId)
                .append("\tDuration: ")
                .append(millis)
                .append(" ms\n");
        return new InvocationResult("{}", Optional.empty(), log.toString(), millis);
    }

    private static List<String> messages(List<LogEvent> events) {
        return events.stream().map(LogEvent::message).toList();
    }

    @Test
    void record_thenRead_givesEveryLineOnce_timedAtTheStartAndEndOfTheInvocation() throws IOException {
        LocalLogStore store = store(LocalLogStore.DEFAULT_MAX_BYTES);

        store.record("hello", invocation("r1", 250, "greeting Ada", "done"), T0);
        LocalLogStore.Chunk chunk = store.read("hello", Optional.empty());

        assertThat(messages(chunk.events()))
                .containsExactly(
                        "START RequestId: r1 Version: $LATEST",
                        "greeting Ada",
                        "done",
                        "END RequestId: r1",
                        "REPORT RequestId: r1\tDuration: 250 ms");
        assertThat(chunk.events())
                .extracting(LogEvent::timestamp)
                .containsExactly(T0.minusMillis(250), T0.minusMillis(250), T0.minusMillis(250), T0, T0);
        assertThat(chunk.events()).extracting(LogEvent::eventId).doesNotHaveDuplicates();
        assertThat(chunk.events()).allSatisfy(e -> assertThat(e.function()).isEqualTo("hello"));
        Path file = state.resolve("logs/hello.jsonl");
        assertThat(Files.readAllLines(file)).hasSize(5).first().asString().contains("\"requestId\":\"r1\"");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void read_fromAPosition_givesOnlyWhatWasAppendedSince() {
        LocalLogStore store = store(LocalLogStore.DEFAULT_MAX_BYTES);
        LocalLogStore.Chunk empty = store.read("hello", Optional.empty());
        store.record("hello", invocation("r1", 1, "one"), T0);
        LocalLogStore.Chunk first = store.read("hello", Optional.of(empty.position()));
        store.record("hello", invocation("r2", 1, "two"), T0.plusSeconds(1));

        LocalLogStore.Chunk second = store.read("hello", Optional.of(first.position()));
        LocalLogStore.Chunk nothingNew = store.read("hello", Optional.of(second.position()));

        assertThat(empty.events()).isEmpty();
        assertThat(messages(first.events())).contains("one").doesNotContain("two");
        assertThat(messages(second.events()))
                .contains("two")
                .doesNotContain("one")
                .hasSize(4);
        assertThat(nothingNew.events()).isEmpty();
    }

    @Test
    void rotation_keepsTheFunctionsLogsBounded_andTheNewestEventsReadable() throws IOException {
        long bound = 4096;
        LocalLogStore store = store(bound);

        for (int i = 0; i < 200; i++) {
            store.record("busy", invocation("r" + i, 1, "line of invocation " + i + " " + "x".repeat(40)), T0);
            long kept = Files.size(store.current("busy"))
                    + (Files.exists(store.rotated("busy")) ? Files.size(store.rotated("busy")) : 0);
            assertThat(kept).as("bytes kept after %d invocations", i + 1).isLessThanOrEqualTo(2 * bound);
        }

        try (var files = Files.list(state.resolve("logs"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(".lock", "busy.jsonl", "busy.jsonl.1");
        }
        assertThat(Files.size(store.current("busy"))).isLessThanOrEqualTo(bound);
        List<String> messages = messages(store.read("busy", Optional.empty()).events());
        assertThat(messages).contains("line of invocation 199 " + "x".repeat(40));
        assertThat(messages).doesNotContain("line of invocation 0 " + "x".repeat(40));
        assertThat(progress).isEmpty();
    }

    @Test
    void follow_acrossARotation_missesNothingAndRepeatsNothing() {
        LocalLogStore store = store(1500);
        store.record("f", invocation("r0", 1, "first"), T0);
        String position = store.read("f", Optional.empty()).position();
        List<String> seen = new ArrayList<>();

        for (int i = 1; i <= 30; i++) {
            store.record("f", invocation("r" + i, 1, "message " + i), T0);
            LocalLogStore.Chunk chunk = store.read("f", Optional.of(position));
            position = chunk.position();
            seen.addAll(messages(chunk.events()));
        }

        assertThat(seen.stream().filter(m -> m.startsWith("message ")))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 30)
                        .mapToObj(i -> "message " + i)
                        .toList());
        assertThat(seen).doesNotContain("first");
    }

    @Test
    void aTornLastLine_isSkipped_andTheNextInvocationStartsOnALineOfItsOwn() throws IOException {
        LocalLogStore store = store(LocalLogStore.DEFAULT_MAX_BYTES);
        store.record("hello", invocation("r1", 1, "before the crash"), T0);
        // A process killed in the middle of its append leaves half a record and no line break.
        Files.writeString(
                store.current("hello"),
                "{\"timestamp\":1764345600000,\"requestId\":\"r2\",\"line\":0,\"message\":\"half wr",
                StandardOpenOption.APPEND);

        List<String> afterCrash = messages(store.read("hello", Optional.empty()).events());
        store.record("hello", invocation("r3", 1, "after the crash"), T0.plusSeconds(1));
        List<String> afterNext = messages(store.read("hello", Optional.empty()).events());

        assertThat(afterCrash).hasSize(4).contains("before the crash").noneMatch(m -> m.contains("half"));
        assertThat(afterNext)
                .hasSize(8)
                .contains("before the crash", "after the crash", "START RequestId: r3 Version: $LATEST")
                .noneMatch(m -> m.contains("half"));
    }

    @Test
    void remove_deletesBothFiles_andReadingThenGivesNothing() {
        LocalLogStore store = store(1500);
        for (int i = 0; i < 20; i++) {
            store.record("gone", invocation("r" + i, 1, "x".repeat(50)), T0);
        }
        store.record("kept", invocation("k", 1, "still here"), T0);

        store.remove("gone");

        assertThat(store.current("gone")).doesNotExist();
        assertThat(store.rotated("gone")).doesNotExist();
        assertThat(store.read("gone", Optional.empty()).events()).isEmpty();
        assertThat(messages(store.read("kept", Optional.empty()).events())).contains("still here");
    }

    @Test
    void aFailedWrite_isReported_notThrown() throws IOException {
        Files.writeString(state.resolve("logs"), "a file where the folder should be");
        LocalLogStore store = store(LocalLogStore.DEFAULT_MAX_BYTES);

        store.record("hello", invocation("r1", 1, "lost"), T0);

        assertThat(progress).singleElement().asString().startsWith("could not keep the log of this invocation");
    }
}
