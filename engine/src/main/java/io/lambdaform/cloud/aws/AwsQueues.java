package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.queue.Queue;
import io.lambdaform.kinds.queue.Queues;
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
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The {@link Queues} port on SQS: CreateQueue (with its attributes and tags), GetQueueUrl, GetQueueAttributes and
 * ListQueueTags to find one, SetQueueAttributes, TagQueue, UntagQueue, DeleteQueue. SQS answers a CreateQueue of a
 * queue that exists with the same attributes with that queue, so a create whose response was lost carries on by
 * itself; one whose attributes differ is refused (QueueNameExists), and read to tell a lost response from a conflict.
 */
public final class AwsQueues implements Queues {
    private final ServiceClients clients;
    private final StackTaggedResources tagged;
    private final AwsCloud cloud;

    @Inject
    public AwsQueues(ServiceClients clients, StackTaggedResources tagged, AwsCloud cloud) {
        this.clients = requireNonNull(clients, "clients is null");
        this.tagged = requireNonNull(tagged, "tagged is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** GetQueueUrl, GetQueueAttributes (All) and ListQueueTags; a queue that does not exist is empty. */
    @Override
    public Optional<State> find(String name) {
        SqsClient sqs = clients.sqs();
        Optional<String> url = url(name);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> attributes;
        String what = "SQS GetQueueAttributes " + name;
        try {
            attributes = sqs.getQueueAttributes(r -> r.queueUrl(url.get()).attributeNames(QueueAttributeName.ALL))
                    .attributesAsStrings();
        } catch (SqsException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw AwsCloud.wrap(what, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return Optional.of(new State(
                name,
                Optional.ofNullable(attributes.get("QueueArn")).orElseGet(() -> arn(name)),
                url.get(),
                integer(attributes, "VisibilityTimeout", Queue.DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
                integer(attributes, "MessageRetentionPeriod", Queue.DEFAULT_MESSAGE_RETENTION_SECONDS),
                tags(name, url.get())));
    }

    private static int integer(Map<String, String> attributes, String name, int absent) {
        String value = attributes.get(name);
        return value == null ? absent : Integer.parseInt(value);
    }

    /** The queue's URL (GetQueueUrl); empty when SQS has no queue of that name. */
    private Optional<String> url(String name) {
        SqsClient sqs = clients.sqs();
        String what = "SQS GetQueueUrl " + name;
        try {
            return Optional.of(sqs.getQueueUrl(r -> r.queueName(name)).queueUrl());
        } catch (SqsException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw AwsCloud.wrap(what, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }

    private String existingUrl(String name) {
        return url(name)
                .orElseThrow(() -> LambdaformException.external(
                        "SQS GetQueueUrl " + name + ": queue " + name + " does not exist"));
    }

    private SortedMap<String, String> tags(String name, String url) {
        SqsClient sqs = clients.sqs();
        return new TreeMap<>(AwsErrors.call(
                "SQS ListQueueTags " + name,
                () -> sqs.listQueueTags(r -> r.queueUrl(url)).tags()));
    }

    private String arn(String name) {
        return cloud.describe().arn("sqs", name);
    }

    /**
     * On AWS one paged Resource Groups Tagging API call ({@code sqs}, the stack's tag); against a custom endpoint
     * (emulators do not all implement GetResources) ListQueues plus ListQueueTags for each queue not excepted, several
     * at a time.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        TreeSet<String> names = new TreeSet<>();
        if (cloud.config().endpoint().isEmpty()) {
            names.addAll(tagged.of(stackName, "sqs").keySet());
        } else {
            SqsClient sqs = clients.sqs();
            List<String> urls = new ArrayList<>();
            AwsErrors.run(
                    "SQS ListQueues",
                    () -> sqs.listQueuesPaginator(r -> {}).queueUrls().forEach(url -> {
                        if (!except.contains(nameOf(url))) {
                            urls.add(url);
                        }
                    }));
            AwsCloud.filterInParallel(
                            urls, url -> stackName.equals(tags(nameOf(url), url).get(Stack.OWNER_TAG)))
                    .forEach(url -> names.add(nameOf(url)));
        }
        names.removeAll(except);
        return names;
    }

    /**
     * Whether SQS said the queue does not exist: AWS answers its JSON protocol with QueueDoesNotExist and the
     * Query protocol's code, AWS.SimpleQueueService.NonExistentQueue, in a header; moto with the latter alone.
     */
    private static boolean notFound(SqsException e) {
        return e instanceof QueueDoesNotExistException
                || AwsErrors.hasCode(e, "AWS.SimpleQueueService.NonExistentQueue")
                || AwsErrors.hasCode(e, "QueueDoesNotExist");
    }

    private static String nameOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Override
    public State createQueue(
            String name, int visibilityTimeoutSeconds, int messageRetentionSeconds, SortedMap<String, String> tags) {
        SqsClient sqs = clients.sqs();
        String what = "SQS CreateQueue " + name;
        Map<QueueAttributeName, String> attributes = new TreeMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeoutSeconds));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(messageRetentionSeconds));
        if (Queue.fifo(name)) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String url;
        try {
            url = sqs.createQueue(r -> r.queueName(name).attributes(attributes).tags(tags))
                    .queueUrl();
        } catch (SqsException e) {
            if (!(e instanceof QueueNameExistsException || AwsErrors.hasCode(e, "QueueAlreadyExists"))) {
                throw AwsCloud.wrap(what, e);
            }
            boolean retried = cloud.retries().attemptsOfLastCall() > 1;
            State live = find(name).orElseThrow(() -> AwsErrors.translate(what, e));
            List<String> differences = new ArrayList<>();
            if (live.visibilityTimeoutSeconds() != visibilityTimeoutSeconds) {
                differences.add("visibilityTimeout");
            }
            if (live.messageRetentionSeconds() != messageRetentionSeconds) {
                differences.add("messageRetention");
            }
            return cloud.alreadyExists(what, "queue", name, tags, live.tags(), differences, retried, e, live);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return new State(name, arn(name), url, visibilityTimeoutSeconds, messageRetentionSeconds, tags);
    }

    @Override
    public void updateQueue(String name, int visibilityTimeoutSeconds, int messageRetentionSeconds) {
        SqsClient sqs = clients.sqs();
        String url = existingUrl(name);
        AwsErrors.run(
                "SQS SetQueueAttributes " + name,
                () -> sqs.setQueueAttributes(r -> r.queueUrl(url)
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                String.valueOf(visibilityTimeoutSeconds),
                                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                                String.valueOf(messageRetentionSeconds)))));
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        SqsClient sqs = clients.sqs();
        String url = existingUrl(name);
        AwsErrors.run(
                "SQS TagQueue " + name, () -> sqs.tagQueue(r -> r.queueUrl(url).tags(tags)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        SqsClient sqs = clients.sqs();
        String url = existingUrl(name);
        AwsErrors.run(
                "SQS UntagQueue " + name,
                () -> sqs.untagQueue(r -> r.queueUrl(url).tagKeys(tagKeys)));
    }

    @Override
    public void deleteQueue(String name) {
        SqsClient sqs = clients.sqs();
        String what = "SQS DeleteQueue " + name;
        Optional<String> url = url(name);
        if (url.isEmpty()) {
            cloud.progress().onProgress(what + ": already gone");
            return;
        }
        try {
            sqs.deleteQueue(r -> r.queueUrl(url.get()));
        } catch (SqsException e) {
            if (!notFound(e)) {
                throw AwsCloud.wrap(what, e);
            }
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }
}
