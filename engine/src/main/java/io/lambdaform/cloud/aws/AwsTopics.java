package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.topic.Topic;
import io.lambdaform.kinds.topic.Topics;
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
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * The {@link Topics} port on SNS: CreateTopic (with its tags), GetTopicAttributes and ListTagsForResource to find one,
 * TagResource, UntagResource, DeleteTopic. SNS answers a CreateTopic of a topic that exists with the same tags with
 * that topic, so a create whose response was lost carries on by itself; one with other tags is refused, and read to
 * tell a lost response from a conflict.
 */
public final class AwsTopics implements Topics {
    private final ServiceClients clients;
    private final StackTaggedResources tagged;
    private final AwsCloud cloud;

    @Inject
    public AwsTopics(ServiceClients clients, StackTaggedResources tagged, AwsCloud cloud) {
        this.clients = requireNonNull(clients, "clients is null");
        this.tagged = requireNonNull(tagged, "tagged is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** GetTopicAttributes, then ListTagsForResource; a topic that does not exist is empty. */
    @Override
    public Optional<State> find(String name) {
        SnsClient sns = clients.sns();
        String arn = arn(name);
        String what = "SNS GetTopicAttributes " + name;
        try {
            sns.getTopicAttributes(r -> r.topicArn(arn));
        } catch (SnsException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw AwsCloud.wrap(what, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return Optional.of(new State(name, arn, tags(name, arn)));
    }

    private static boolean notFound(SnsException e) {
        return e instanceof NotFoundException || AwsErrors.hasCode(e, "NotFound");
    }

    private SortedMap<String, String> tags(String name, String arn) {
        SnsClient sns = clients.sns();
        SortedMap<String, String> tags = new TreeMap<>();
        AwsErrors.run(
                "SNS ListTagsForResource " + name,
                () -> sns.listTagsForResource(r -> r.resourceArn(arn))
                        .tags()
                        .forEach(t -> tags.put(t.key(), t.value())));
        return tags;
    }

    private String arn(String name) {
        return cloud.describe().arn("sns", name);
    }

    private static String nameOf(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    /**
     * On AWS one paged Resource Groups Tagging API call ({@code sns:topic}, the stack's tag); against a custom endpoint
     * (emulators do not all implement GetResources) ListTopics plus ListTagsForResource for each topic not excepted,
     * several at a time.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        TreeSet<String> names = new TreeSet<>();
        if (cloud.config().endpoint().isEmpty()) {
            names.addAll(tagged.of(stackName, "sns:topic").keySet());
        } else {
            SnsClient sns = clients.sns();
            List<String> arns = new ArrayList<>();
            AwsErrors.run(
                    "SNS ListTopics",
                    () -> sns.listTopicsPaginator(r -> {}).topics().forEach(t -> {
                        if (!except.contains(nameOf(t.topicArn()))) {
                            arns.add(t.topicArn());
                        }
                    }));
            AwsCloud.filterInParallel(
                            arns, arn -> stackName.equals(tags(nameOf(arn), arn).get(Stack.OWNER_TAG)))
                    .forEach(arn -> names.add(nameOf(arn)));
        }
        names.removeAll(except);
        return names;
    }

    @Override
    public State createTopic(String name, SortedMap<String, String> tags) {
        SnsClient sns = clients.sns();
        String what = "SNS CreateTopic " + name;
        String arn;
        try {
            arn = sns.createTopic(r -> {
                        r.name(name).tags(snsTags(tags));
                        if (Topic.fifo(name)) {
                            r.attributes(Map.of("FifoTopic", "true"));
                        }
                    })
                    .topicArn();
        } catch (SnsException e) {
            if (!AwsErrors.alreadyExists(e)) {
                throw AwsCloud.wrap(what, e);
            }
            // "Invalid parameter: Tags Reason: Topic already exists with different tags".
            boolean retried = cloud.retries().attemptsOfLastCall() > 1;
            State live = find(name).orElseThrow(() -> AwsErrors.translate(what, e));
            return cloud.alreadyExists(what, "topic", name, tags, live.tags(), List.of(), retried, e, live);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return new State(name, arn, tags);
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        SnsClient sns = clients.sns();
        String arn = arn(name);
        AwsErrors.run(
                "SNS TagResource " + name,
                () -> sns.tagResource(r -> r.resourceArn(arn).tags(snsTags(tags))));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        SnsClient sns = clients.sns();
        String arn = arn(name);
        AwsErrors.run(
                "SNS UntagResource " + name,
                () -> sns.untagResource(r -> r.resourceArn(arn).tagKeys(tagKeys)));
    }

    /** SNS answers a DeleteTopic of a topic that does not exist with success; a NotFound is done too. */
    @Override
    public void deleteTopic(String name) {
        SnsClient sns = clients.sns();
        String arn = arn(name);
        String what = "SNS DeleteTopic " + name;
        try {
            sns.deleteTopic(r -> r.topicArn(arn));
        } catch (SnsException e) {
            if (!notFound(e)) {
                throw AwsCloud.wrap(what, e);
            }
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }

    private static List<Tag> snsTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
