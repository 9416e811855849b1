package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Provider;
import io.lambdaform.kinds.loggroup.LogGroup;
import io.lambdaform.kinds.loggroup.LogGroups;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The {@link LogGroups} port on CloudWatch Logs: DescribeLogGroups (the name as prefix, the exact name kept) and
 * ListTagsForResource to find one, CreateLogGroup with its tags, PutRetentionPolicy, DeleteRetentionPolicy,
 * TagResource, UntagResource, DeleteLogGroup. The client is built on first use: a plan of a stack without log groups
 * makes no CloudWatch Logs call.
 */
public final class AwsLogGroups implements LogGroups {
    private final Provider<CloudWatchLogsClient> client;
    private final StackTaggedResources tagged;
    private final AwsCloud cloud;
    private CloudWatchLogsClient built;

    @Inject
    public AwsLogGroups(Provider<CloudWatchLogsClient> client, StackTaggedResources tagged, AwsCloud cloud) {
        this.client = requireNonNull(client, "client is null");
        this.tagged = requireNonNull(tagged, "tagged is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    private synchronized CloudWatchLogsClient client() {
        if (built == null) {
            built = client.get();
        }
        return built;
    }

    /** DescribeLogGroups with the name as prefix, then ListTagsForResource; a group that does not exist is empty. */
    @Override
    public Optional<State> find(String name) {
        CloudWatchLogsClient logs = client();
        var found = AwsErrors.call(
                "CloudWatch Logs DescribeLogGroups " + name,
                () -> logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(name)).logGroups().stream()
                        .filter(g -> name.equals(g.logGroupName()))
                        .findFirst());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String arn = arnOf(name, found.get().logGroupArn(), found.get().arn());
        Integer retention = found.get().retentionInDays();
        return Optional.of(
                new State(name, arn, retention == null ? LogGroup.NEVER_EXPIRE : retention, tags(name, arn)));
    }

    /** The group's ARN without the {@code :*} that DescribeLogGroups' {@code arn} ends with, as tags take it. */
    private String arnOf(String name, String logGroupArn, String arn) {
        if (logGroupArn != null) {
            return logGroupArn;
        }
        if (arn != null) {
            return arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
        }
        return arn(name);
    }

    private String arn(String name) {
        return cloud.describe().arn("logs", "log-group:" + name);
    }

    private SortedMap<String, String> tags(String name, String arn) {
        CloudWatchLogsClient logs = client();
        return new TreeMap<>(AwsErrors.call(
                "CloudWatch Logs ListTagsForResource " + name,
                () -> logs.listTagsForResource(r -> r.resourceArn(arn)).tags()));
    }

    /**
     * On AWS the stack's share of the one Tagging API call ({@code logs:log-group}); against a custom endpoint
     * DescribeLogGroups plus ListTagsForResource for each group not excepted, several at a time. There the live
     * reader asks only when the stack declares a log group, or nothing (destroy): {@link #inventoriesWhenNoneDeclared}.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        TreeSet<String> names = new TreeSet<>();
        if (cloud.config().endpoint().isEmpty()) {
            names.addAll(tagged.of(stackName, "logs:log-group").keySet());
        } else {
            CloudWatchLogsClient logs = client();
            Map<String, String> arns = new TreeMap<>();
            AwsErrors.run(
                    "CloudWatch Logs DescribeLogGroups",
                    () -> logs.describeLogGroupsPaginator(r -> {}).logGroups().forEach(g -> {
                        if (!except.contains(g.logGroupName())) {
                            arns.put(g.logGroupName(), arnOf(g.logGroupName(), g.logGroupArn(), g.arn()));
                        }
                    }));
            AwsCloud.filterInParallel(
                            new ArrayList<>(arns.keySet()),
                            name -> stackName.equals(tags(name, arns.get(name)).get(Stack.OWNER_TAG)))
                    .forEach(names::add);
        }
        names.removeAll(except);
        return names;
    }

    /** On AWS the inventory is free (the shared Tagging API call); against an endpoint it is a call of its own. */
    @Override
    public boolean inventoriesWhenNoneDeclared() {
        return cloud.config().endpoint().isEmpty();
    }

    @Override
    public State createLogGroup(String name, SortedMap<String, String> tags) {
        CloudWatchLogsClient logs = client();
        String what = "CloudWatch Logs CreateLogGroup " + name;
        try {
            logs.createLogGroup(r -> r.logGroupName(name).tags(tags));
        } catch (ResourceAlreadyExistsException e) {
            boolean retried = cloud.retries().attemptsOfLastCall() > 1;
            State live = find(name).orElseThrow(() -> AwsErrors.translate(what, e));
            return cloud.alreadyExists(what, "log group", name, tags, live.tags(), List.of(), retried, e, live);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return new State(name, arn(name), LogGroup.NEVER_EXPIRE, tags);
    }

    @Override
    public void setRetention(String name, int retentionInDays) {
        CloudWatchLogsClient logs = client();
        if (retentionInDays == LogGroup.NEVER_EXPIRE) {
            AwsErrors.run(
                    "CloudWatch Logs DeleteRetentionPolicy " + name,
                    () -> logs.deleteRetentionPolicy(r -> r.logGroupName(name)));
        } else {
            AwsErrors.run(
                    "CloudWatch Logs PutRetentionPolicy " + name,
                    () -> logs.putRetentionPolicy(r -> r.logGroupName(name).retentionInDays(retentionInDays)));
        }
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        CloudWatchLogsClient logs = client();
        String arn = arn(name);
        AwsErrors.run(
                "CloudWatch Logs TagResource " + name,
                () -> logs.tagResource(r -> r.resourceArn(arn).tags(tags)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        CloudWatchLogsClient logs = client();
        String arn = arn(name);
        AwsErrors.run(
                "CloudWatch Logs UntagResource " + name,
                () -> logs.untagResource(r -> r.resourceArn(arn).tagKeys(tagKeys)));
    }

    @Override
    public void deleteLogGroup(String name) {
        CloudWatchLogsClient logs = client();
        String what = "CloudWatch Logs DeleteLogGroup " + name;
        try {
            logs.deleteLogGroup(r -> r.logGroupName(name));
        } catch (ResourceNotFoundException e) {
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }
}
