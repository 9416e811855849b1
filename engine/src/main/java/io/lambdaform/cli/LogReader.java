package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.cloud.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Reads the logs of several functions through the {@link FunctionLogs} port and hands every event to a sink once:
 * the events of a read merged in timestamp order across the functions (a page at a time from each, so memory holds a
 * page per function, not the whole log), and when following, the new events of each poll, until the thread is
 * interrupted. A function without a log yet is reported once, and, when following, waited for.
 */
final class LogReader {
    /** The longest pause between two polls, however often the target throttled them. */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    /** Pauses between polls; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final FunctionLogs logs;
    private final List<Source> sources = new ArrayList<>();
    private final Consumer<LogEvent> sink;
    private final BiConsumer<String, String> absent;
    private final Sleeper sleeper;

    /**
     * @param sink where the events go, in order
     * @param absent told once per function that has no log yet, with the target's reason
     */
    LogReader(
            FunctionLogs logs,
            List<FunctionLogs.Query> queries,
            Consumer<LogEvent> sink,
            BiConsumer<String, String> absent,
            Sleeper sleeper) {
        this.logs = requireNonNull(logs, "logs is null");
        queries.forEach(q -> sources.add(new Source(q)));
        this.sink = requireNonNull(sink, "sink is null");
        this.absent = requireNonNull(absent, "absent is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    /** Every event there is now, merged in timestamp order. */
    void readAll() {
        merge();
    }

    /**
     * Every event there is now, then the new ones every {@code interval}, until the thread is interrupted (it then
     * returns, with the interrupt cleared). After a poll the target throttled, the interval doubles, up to {@link
     * #MAX_INTERVAL}; each poll that was not throttled halves it again, down to {@code interval}.
     */
    void follow(Duration interval) {
        Duration pause = interval;
        while (true) {
            boolean throttled;
            try {
                throttled = merge();
            } catch (FunctionLogs.Throttled e) {
                throttled = true;
            } catch (CancellationException e) {
                Thread.interrupted();
                return;
            }
            pause = throttled
                    ? min(pause.multipliedBy(2), max(MAX_INTERVAL, interval))
                    : max(pause.dividedBy(2), interval);
            try {
                if (Thread.interrupted()) {
                    return;
                }
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads every function up to now and hands the events over in timestamp order; whether a read was throttled. */
    private boolean merge() {
        boolean throttled = false;
        for (Source source : sources) {
            source.caughtUp = false;
            throttled |= source.fill();
        }
        while (true) {
            Source next = null;
            for (Source source : sources) {
                if (!source.buffer.isEmpty()
                        && (next == null
                                || source.buffer
                                        .peekFirst()
                                        .timestamp()
                                        .isBefore(next.buffer.peekFirst().timestamp()))) {
                    next = source;
                }
            }
            if (next == null) {
                return throttled;
            }
            sink.accept(next.buffer.pollFirst());
            if (next.buffer.isEmpty()) {
                throttled |= next.fill();
            }
        }
    }

    /** One function's log: where its reads are, the page read and not yet handed over, the events seen lately. */
    private final class Source {
        final FunctionLogs.Query query;
        final Deque<LogEvent> buffer = new ArrayDeque<>();
        final Seen seen = new Seen();
        Optional<String> position = Optional.empty();
        boolean caughtUp;
        boolean reportedAbsent;

        Source(FunctionLogs.Query query) {
            this.query = query;
        }

        /** Reads pages until one has events not seen before, or the read caught up; whether one was throttled. */
        boolean fill() {
            boolean throttled = false;
            while (buffer.isEmpty() && !caughtUp) {
                FunctionLogs.Page page = logs.read(query, position);
                position = Optional.of(page.position());
                caughtUp = !page.more();
                throttled |= page.throttled();
                if (page.absent().isPresent() && !reportedAbsent) {
                    reportedAbsent = true;
                    absent.accept(query.function(), page.absent().get());
                }
                for (LogEvent event : page.events()) {
                    if (seen.add(event)) {
                        buffer.addLast(event);
                    }
                }
            }
            return throttled;
        }
    }

    /**
     * The ids of the events seen within {@link FunctionLogs#REPEAT_WINDOW} of the newest one: a read may return
     * those again, never older ones.
     */
    private static final class Seen {
        private final Map<String, Instant> ids = new LinkedHashMap<>();
        private Instant newest = Instant.MIN;

        boolean add(LogEvent event) {
            if (ids.putIfAbsent(event.eventId(), event.timestamp()) != null) {
                return false;
            }
            if (event.timestamp().isAfter(newest)) {
                newest = event.timestamp();
                Instant horizon = newest.minus(FunctionLogs.REPEAT_WINDOW);
                for (Iterator<Instant> it = ids.values().iterator(); it.hasNext(); ) {
                    if (!it.next().isBefore(horizon)) {
                        break;
                    }
                    it.remove();
                }
            }
            return true;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
