package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One line of a function's log, as a target keeps it.
 *
 * @param function the function whose log it is
 * @param logStream the log stream it was written to (CloudWatch's); empty where the target has none (the local cloud)
 * @param message one line, without its line break
 * @param eventId what tells this event from every other of the function's, so that an event read twice (CloudWatch
 *     returns the events at the boundary of two reads again) is printed once
 */
public record LogEvent(String function, Instant timestamp, String logStream, String message, String eventId) {
    public LogEvent {
        requireNonNull(function, "function is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(logStream, "logStream is null");
        requireNonNull(message, "message is null");
        requireNonNull(eventId, "eventId is null");
        if (message.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a log event's message is one line");
        }
    }
}
