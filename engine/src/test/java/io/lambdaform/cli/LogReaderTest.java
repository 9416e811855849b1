package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.cloud.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The merge, the deduplication and the polling of {@link LogReader}, against a target written by hand. */
class LogReaderTest {
    private static final Instant T0 = Instant.parse("2026-11-28T16:00:00Z");

    /** Pages scripted per function; when the script is done, an empty page that caught up. */
    private static final class ScriptedLogs implements FunctionLogs {
        final Map<String, Deque<Supplier<Page>>> scripts = new HashMap<>();
        final List<String> reads = new ArrayList<>();

        ScriptedLogs then(String function, Supplier<Page> page) {
            scripts.computeIfAbsent(function, f -> new ArrayDeque<>()).addLast(page);
            return this;
        }

        ScriptedLogs then(String function, Page page) {
            return then(function, () -> page);
        }

        @Override
        public Page read(Query query, Optional<String> position) {
            reads.add(query.function() + "@" + position.orElse("start"));
            Deque<Supplier<Page>> script = scripts.getOrDefault(query.function(), new ArrayDeque<>());
            return script.isEmpty()
                    ? new Page(List.of(), position.orElse("end"), false, Optional.empty(), false)
                    : script.pollFirst().get();
        }
    }

    private static LogEvent event(String function, long seconds, String id) {
        return new LogEvent(function, T0.plusSeconds(seconds), "", function + " " + id, id);
    }

    private static FunctionLogs.Page page(String position, boolean more, LogEvent... events) {
        return new FunctionLogs.Page(List.of(events), position, more, Optional.empty(), false);
    }

    private static List<FunctionLogs.Query> queries(String... functions) {
        return List.of(functions).stream()
                .map(f -> new FunctionLogs.Query(f, T0, Optional.empty()))
                .toList();
    }

    @Test
    void readAll_mergesTheFunctionsInTimestampOrder_pageByPage() {
        ScriptedLogs logs = new ScriptedLogs()
                .then("a", page("a1", true, event("a", 1, "a-1"), event("a", 4, "a-4")))
                .then("a", page("a2", false, event("a", 6, "a-6")))
                .then("b", page("b1", false, event("b", 2, "b-2"), event("b", 5, "b-5")));
        List<String> printed = new ArrayList<>();

        new LogReader(logs, queries("a", "b"), e -> printed.add(e.eventId()), (f, r) -> {}, d -> {}).readAll();

        assertThat(printed).containsExactly("a-1", "b-2", "a-4", "b-5", "a-6");
        assertThat(logs.reads).containsExactly("a@start", "b@start", "a@a1");
    }

    @Test
    void eventsReadAgain_atTheBoundaryOfTwoReads_areHandedOverOnce() {
        ScriptedLogs logs = new ScriptedLogs()
                .then("a", page("p1", false, event("a", 1, "e1"), event("a", 2, "e2")))
                .then("a", page("p2", false, event("a", 2, "e2"), event("a", 3, "e3")))
                .then("a", () -> {
                    Thread.currentThread().interrupt();
                    return page("p3", false, event("a", 3, "e3"));
                });
        List<String> printed = new ArrayList<>();

        new LogReader(logs, queries("a"), e -> printed.add(e.eventId()), (f, r) -> {}, d -> {})
                .follow(Duration.ofMillis(1));

        assertThat(printed).containsExactly("e1", "e2", "e3");
        assertThat(logs.reads).containsExactly("a@start", "a@p1", "a@p2");
        assertThat(Thread.interrupted())
                .as("the interrupt that stopped it is cleared")
                .isFalse();
    }

    @Test
    void follow_pollsLessOftenAfterThrottling_upToTenSeconds_thenRecovers() {
        ScriptedLogs logs = new ScriptedLogs();
        FunctionLogs.Page throttled = new FunctionLogs.Page(List.of(), "p", false, Optional.empty(), true);
        logs.then("a", page("p", false));
        for (int i = 0; i < 5; i++) {
            logs.then("a", throttled);
        }
        logs.then("a", () -> {
            throw new FunctionLogs.Throttled("still throttled", null);
        });
        for (int i = 0; i < 4; i++) {
            logs.then("a", page("p", false));
        }
        List<Duration> pauses = new ArrayList<>();
        LogReader.Sleeper sleeper = d -> {
            pauses.add(d);
            if (pauses.size() == 11) {
                throw new InterruptedException();
            }
        };

        new LogReader(logs, queries("a"), e -> {}, (f, r) -> {}, sleeper).follow(Duration.ofSeconds(1));

        assertThat(pauses)
                .extracting(Duration::toMillis)
                .containsExactly(1000L, 2000L, 4000L, 8000L, 10000L, 10000L, 10000L, 5000L, 2500L, 1250L, 1000L);
    }

    @Test
    void aFunctionWithoutALogYet_isReportedOnce_andReadAgainWhenFollowing() {
        FunctionLogs.Page absent = new FunctionLogs.Page(
                List.of(), "p", false, Optional.of("log group /aws/lambda/a does not exist"), false);
        ScriptedLogs logs = new ScriptedLogs()
                .then("a", absent)
                .then("a", absent)
                .then("a", () -> {
                    Thread.currentThread().interrupt();
                    return page("q", false, event("a", 1, "first"));
                });
        List<String> notices = new ArrayList<>();
        List<String> printed = new ArrayList<>();

        new LogReader(logs, queries("a"), e -> printed.add(e.eventId()), (f, r) -> notices.add(f + ": " + r), d -> {})
                .follow(Duration.ofMillis(1));

        assertThat(notices).containsExactly("a: log group /aws/lambda/a does not exist");
        assertThat(printed).containsExactly("first");
    }

    @Test
    void readAll_whenThrottledAfterEveryRetry_fails() {
        ScriptedLogs logs = new ScriptedLogs().then("a", () -> {
            throw new FunctionLogs.Throttled("CloudWatch Logs FilterLogEvents: throttled", null);
        });

        assertThatThrownBy(() -> new LogReader(logs, queries("a"), e -> {}, (f, r) -> {}, d -> {}).readAll())
                .isInstanceOf(FunctionLogs.Throttled.class);
    }
}
