package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Provider;
import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.cloud.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The {@link FunctionLogs} port on CloudWatch Logs: {@code FilterLogEvents} on the function's log group (the one its
 * logging configuration names, else {@code /aws/lambda/<function>}), from a start time, with the filter pattern passed as it is, a page at a time.
 * A position is the start time of the read, the newest event it has seen and CloudWatch's next token; once a read has
 * caught up, the next one starts {@link #LOOKBACK} before the newest event seen, so that an event CloudWatch ingested
 * late, with an older timestamp than one already returned, is still found (the caller drops the repeats). A log group
 * that does not exist (Lambda creates it at the first invocation that logs) is a page with nothing yet.
 */
public final class AwsLogs implements FunctionLogs {
    /** How far before the newest event seen a read that caught up starts again. */
    static final Duration LOOKBACK = Duration.ofSeconds(5);

    private final Provider<CloudWatchLogsClient> client;
    private final AwsCloud cloud;
    private CloudWatchLogsClient built;

    /** The client is built on first use: only the logs command needs it. */
    @Inject
    public AwsLogs(Provider<CloudWatchLogsClient> client, AwsCloud cloud) {
        this.client = requireNonNull(client, "client is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    static String logGroup(String function) {
        return "/aws/lambda/" + function;
    }

    @Override
    public Page read(Query query, Optional<String> position) {
        Position from = position.map(Position::parse).orElseGet(() -> Position.start(query.since()));
        String group = query.logGroup().orElseGet(() -> logGroup(query.function()));
        CloudWatchLogsClient logs = client();
        FilterLogEventsRequest.Builder request =
                FilterLogEventsRequest.builder().logGroupName(group).startTime(from.startMillis());
        query.filter().filter(f -> !f.isBlank()).ifPresent(request::filterPattern);
        from.token().ifPresent(request::nextToken);
        String what = "CloudWatch Logs FilterLogEvents " + group;
        FilterLogEventsResponse response;
        try {
            response = logs.filterLogEvents(request.build());
        } catch (ResourceNotFoundException e) {
            return new Page(
                    List.of(),
                    from.caughtUp().encode(),
                    false,
                    Optional.of("log group " + group + " does not exist"),
                    cloud.retries().lastCallThrottled());
        } catch (AwsServiceException e) {
            if (e.isThrottlingException()) {
                throw new Throttled(what + ": throttled (" + AwsErrors.message(e) + "), after every retry", e);
            }
            throw AwsCloud.wrap(what, e);
        } catch (RuntimeException e) {
            if (interrupted(e)) {
                Thread.currentThread().interrupt();
                throw new CancellationException(what + ": interrupted");
            }
            throw AwsCloud.wrap(what, e);
        }
        boolean throttled = cloud.retries().lastCallThrottled();
        List<LogEvent> logEvents = new ArrayList<>();
        long newest = from.newestMillis();
        List<FilteredLogEvent> page = new ArrayList<>(response.events());
        // AWS interleaves the streams of a group in timestamp order; emulators may not.
        page.sort(Comparator.comparing(e -> e.timestamp() == null ? 0L : e.timestamp()));
        for (FilteredLogEvent event : page) {
            long timestamp = event.timestamp() == null ? 0L : event.timestamp();
            newest = Math.max(newest, timestamp);
            logEvents.addAll(lines(query.function(), event, timestamp));
        }
        Position next = new Position(from.startMillis(), newest, Optional.ofNullable(response.nextToken()));
        boolean more = next.token().isPresent();
        return new Page(logEvents, (more ? next : next.caughtUp()).encode(), more, Optional.empty(), throttled);
    }

    /**
     * One event per line of a CloudWatch event: Lambda's events end with a line break, and some (a stack trace)
     * hold several lines.
     */
    static List<LogEvent> lines(String function, FilteredLogEvent event, long timestamp) {
        String message = event.message() == null ? "" : event.message();
        if (message.endsWith("\n")) {
            message = message.substring(0, message.length() - 1);
        }
        if (message.endsWith("\r")) {
            message = message.substring(0, message.length() - 1);
        }
        List<String> lines = message.isEmpty() ? List.of("") : message.lines().toList();
        String stream = event.logStreamName() == null ? "" : event.logStreamName();
        String id = event.eventId() == null ? stream + "/" + timestamp + "/" + message.hashCode() : event.eventId();
        List<LogEvent> logEvents = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            logEvents.add(new LogEvent(
                    function, Instant.ofEpochMilli(timestamp), stream, lines.get(i), i == 0 ? id : id + "#" + i));
        }
        return logEvents;
    }

    /** Whether a call failed because its thread was interrupted (the SDK says so in more than one way). */
    private static boolean interrupted(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AbortedException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    private synchronized CloudWatchLogsClient client() {
        if (built == null) {
            built = client.get();
        }
        return built;
    }

    /**
     * Where a read goes on: the start time of the read (every page of one read has the same), the newest event
     * seen so far (-1 when none), and CloudWatch's token for the next page. Encoded as {@code start:newest[:token]}.
     */
    record Position(long startMillis, long newestMillis, Optional<String> token) {
        static Position start(Instant since) {
            return new Position(since.toEpochMilli(), -1, Optional.empty());
        }

        /** The position of the next read once this one has caught up: a little before the newest event seen. */
        Position caughtUp() {
            long start = newestMillis < 0 ? startMillis : Math.max(startMillis, newestMillis - LOOKBACK.toMillis());
            return new Position(start, newestMillis, Optional.empty());
        }

        String encode() {
            return startMillis + ":" + newestMillis + token.map(t -> ":" + t).orElse("");
        }

        static Position parse(String text) {
            String[] parts = text.split(":", 3);
            try {
                return new Position(
                        Long.parseLong(parts[0]),
                        Long.parseLong(parts[1]),
                        parts.length > 2 ? Optional.of(parts[2]) : Optional.empty());
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("not a position of AwsLogs: " + text, e);
            }
        }
    }
}
