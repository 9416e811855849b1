package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The port to functions' logs: what their invocations printed, and the platform's {@code START}, {@code END} and
 * {@code REPORT} lines. On AWS the function's CloudWatch Logs group ({@code /aws/lambda/<function>}); in the local
 * cloud the invocation logs it keeps in its state folder.
 *
 * <p>A read returns the events of one function from a position on, and the position to read from next: the first
 * read of a query starts at {@link Query#since()}; a page whose {@link Page#more()} is true is followed at once by the
 * next, and a page that caught up gives the position to poll from later (as {@code logs --follow} does). A read from
 * a position may return again events it returned before, up to {@link #REPEAT_WINDOW} older than the newest one:
 * callers drop them by {@link LogEvent#eventId()}.
 *
 * <p>Implementations must be safe to call from several threads at once.
 */
public interface FunctionLogs {
    /** How far before the newest event returned a later read may return events again. */
    Duration REPEAT_WINDOW = Duration.ofSeconds(30);

    /**
     * The events of the query's function after {@code position} (from {@link Query#since()} when empty), in
     * timestamp order within the page.
     *
     * @throws Throttled when the target still refused the reads as too many after its retries
     * @throws CancellationException when the calling thread was interrupted during the read (its interrupt status is
     *     then set)
     * @throws LambdaformException a pattern the target cannot apply, or any other refusal
     */
    Page read(Query query, Optional<String> position);

    /**
     * What to read.
     *
     * @param since the oldest event to return
     * @param filter a CloudWatch Logs filter pattern; empty means every event
     * @param logGroup where the function's logging configuration sends its logs ({@code loggingConfig.logGroup}),
     *     when it names a group; empty means Lambda's default, {@code /aws/lambda/<function>}
     */
    record Query(String function, Instant since, Optional<String> filter, Optional<String> logGroup) {
        public Query {
            requireNonNull(function, "function is null");
            requireNonNull(since, "since is null");
            requireNonNull(filter, "filter is null");
            requireNonNull(logGroup, "logGroup is null");
        }

        /** A query of a function that logs to Lambda's default log group. */
        public Query(String function, Instant since, Optional<String> filter) {
            this(function, since, filter, Optional.empty());
        }
    }

    /**
     * One read's events.
     *
     * @param position where to read from next
     * @param more whether more events can be read at once from {@code position}; false when the read caught up
     * @param absent why the function has no log at all yet, when the target says so (on AWS: its log group does not
     *     exist); the next read may find one
     * @param throttled whether the target refused a request of this read as too many, before a retry succeeded: a
     *     caller that polls should poll less often for a while
     */
    record Page(List<LogEvent> events, String position, boolean more, Optional<String> absent, boolean throttled) {
        public Page {
            events = List.copyOf(events);
            requireNonNull(position, "position is null");
            requireNonNull(absent, "absent is null");
        }
    }

    /** The target refused reads as too many, and kept refusing them after every retry. */
    final class Throttled extends LambdaformException {
        private static final long serialVersionUID = 1L;

        public Throttled(String message, Throwable cause) {
            super(Category.EXTERNAL, message, cause);
        }
    }
}
