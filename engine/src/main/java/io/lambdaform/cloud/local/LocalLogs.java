package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.cloud.LogEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@link FunctionLogs} port in the local cloud: the invocation logs the local cloud keeps ({@link LocalLogStore}),
 * filtered by time and by the common subset of CloudWatch's filter patterns ({@link FilterPattern}). Every read
 * catches up: the logs are one file or two per function.
 */
public final class LocalLogs implements FunctionLogs {
    private final LocalCloud cloud;

    @Inject
    public LocalLogs(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    @Override
    public Page read(Query query, Optional<String> position) {
        FilterPattern pattern = query.filter().map(FilterPattern::parse).orElse(FilterPattern.ALL);
        LocalLogStore.Chunk chunk = cloud.logs().read(query.function(), position);
        List<LogEvent> events = chunk.events().stream()
                .filter(e -> !e.timestamp().isBefore(query.since()))
                .filter(e -> pattern.matches(e.message()))
                .sorted(Comparator.comparing(LogEvent::timestamp))
                .toList();
        return new Page(events, chunk.position(), false, Optional.empty(), false);
    }
}
