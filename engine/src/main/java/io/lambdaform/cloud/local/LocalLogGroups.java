package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.loggroup.LogGroup;
import io.lambdaform.kinds.loggroup.LogGroups;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The {@link LogGroups} port in the local cloud: log groups kept in the state's "logGroups" section with their
 * retention and tags, without events (the local cloud's invocation logs stay in its log store, which {@code logs}
 * reads). As CloudWatch Logs does, a create of a group that exists is refused, and so is a retention it does not accept
 * or a change to a group that does not exist.
 */
public final class LocalLogGroups implements LogGroups {
    static final LocalState.Section<State> SECTION = new LocalState.Section<>("logGroups", "log group", State.class);

    private final LocalCloud cloud;
    private final LocalRecords<State> records;

    @Inject
    public LocalLogGroups(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.records = new LocalRecords<>(
                cloud,
                SECTION,
                name -> LocalCloud.refused("ResourceNotFoundException", "The specified log group does not exist."));
    }

    @Override
    public Optional<State> find(String name) {
        return records.find(name);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return records.inventory(stackName, except);
    }

    @Override
    public State createLogGroup(String name, SortedMap<String, String> tags) {
        State created = new State(name, cloud.describe().arn("logs", "log-group:" + name), LogGroup.NEVER_EXPIRE, tags);
        cloud.store().update(state -> {
            if (state.get(SECTION, name).isPresent()) {
                throw LocalCloud.refused(
                        "ResourceAlreadyExistsException", "The specified log group already exists: " + name);
            }
            state.put(SECTION, name, created);
            return state;
        });
        return created;
    }

    @Override
    public void setRetention(String name, int retentionInDays) {
        if (retentionInDays != LogGroup.NEVER_EXPIRE && !LogGroup.RETENTION_DAYS.contains(retentionInDays)) {
            throw LocalCloud.refused(
                    "InvalidParameterException", "Invalid value for the parameter retentionInDays: " + retentionInDays);
        }
        records.change(name, group -> new State(group.name(), group.arn(), retentionInDays, group.tags()));
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        records.change(
                name,
                group -> new State(group.name(), group.arn(), group.retentionInDays(), Tags.merge(group.tags(), tags)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        records.change(
                name,
                group -> new State(
                        group.name(), group.arn(), group.retentionInDays(), Tags.without(group.tags(), tagKeys)));
    }

    /** A group that is already gone is done. */
    @Override
    public void deleteLogGroup(String name) {
        records.delete(name);
    }
}
