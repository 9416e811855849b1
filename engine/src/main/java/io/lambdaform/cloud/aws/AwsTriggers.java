package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.Memo;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.Trigger.Type;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.kinds.trigger.Triggers;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Tag;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Cors;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.EventSourcePosition;
import software.amazon.awssdk.services.lambda.model.Filter;
import software.amazon.awssdk.services.lambda.model.FilterCriteria;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.ScalingConfig;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NotificationConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The {@link Triggers} port on AWS. A trigger's statement is read from its function's policy (GetPolicy, once per
 * function and qualifier per run) and its link from the source: S3 GetBucketNotificationConfiguration (once per
 * bucket), SNS ListSubscriptionsByTopic (once per topic), EventBridge DescribeRule, ListTargetsByRule and
 * ListTagsForResource, Lambda ListEventSourceMappings (once per function) and ListTags of each mapping, Lambda
 * GetFunctionUrlConfig. The stack's inventory reads only the functions that carry {@link Triggers#TRIGGERS_TAG} or
 * {@link Triggers#URLS_TAG}. A bucket's notification configuration is read, merged and written back whole: entries
 * whose ids the stack does not own are kept as they are.
 */
public final class AwsTriggers implements Triggers {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The tag naming the trigger on the links AWS can tag (a mapping, a rule). */
    static final String TRIGGER_TAG = "lambdaform:trigger";
    /** The id of a rule's target. */
    static final String TARGET_ID = "lambdaform";

    private final LambdaClient lambda;
    private final ServiceClients clients;
    private final AwsCloud cloud;
    private final AwsFunctions functions;

    private final Memo<String, List<Statement>> policies = Memo.keepingFailures();
    private final Memo<String, List<EventSourceMappingConfiguration>> mappings = Memo.keepingFailures();
    private final Memo<String, Optional<NotificationConfiguration>> notifications = Memo.keepingFailures();
    private final Memo<String, Optional<List<Subscription>>> subscriptions = Memo.keepingFailures();
    private final Memo<String, Map<String, String>> mappingTags = Memo.keepingFailures();
    /** A run reads each rule, URL and subscription once, whether a declared trigger or the inventory asks. */
    private final Memo<String, Optional<RuleRead>> rules = Memo.keepingFailures();

    private final Memo<String, Optional<Link>> urls = Memo.keepingFailures();
    private final Memo<String, Link> subscriptionLinks = Memo.keepingFailures();
    /**
     * One lock per bucket: its notification configuration is read, merged and written back whole, so two of the
     * stack's triggers on one bucket applied at once would each write back the other's entry as it was.
     */
    private final Map<String, Object> bucketLocks = new ConcurrentHashMap<>();

    /** One lock per function: its marks are a tag read, changed and written back. */
    private final Map<String, Object> functionLocks = new ConcurrentHashMap<>();

    /** The triggers the inventory read, for pruning. */
    private final Map<String, State> inventoried = new ConcurrentHashMap<>();

    @Inject
    public AwsTriggers(LambdaClient lambda, ServiceClients clients, AwsCloud cloud, AwsFunctions functions) {
        this.lambda = requireNonNull(lambda, "lambda is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.functions = requireNonNull(functions, "functions is null");
    }

    private TargetDescription target() {
        return cloud.describe();
    }

    private static String qualified(String function, Optional<String> qualifier) {
        return function + qualifier.map(q -> ":" + q).orElse("");
    }

    // Reading

    @Override
    public Optional<State> find(Resource declared) {
        Trigger trigger = (Trigger) declared;
        TargetDescription target = target();
        String sourceArn = TriggerKind.sourceArn(trigger, target);
        String functionArn = TriggerKind.functionArn(trigger, target);
        Optional<Statement> permission =
                statement(trigger.function(), trigger.qualifier(), Trigger.sid(trigger.name()));
        boolean[] sourceFound = {true};
        Optional<String> owner = Optional.empty();
        Optional<Link> link = Optional.empty();
        switch (trigger.type()) {
            case S3 -> {
                Optional<NotificationConfiguration> config = notifications(trigger.source());
                sourceFound[0] = config.isPresent();
                link = config.flatMap(
                        c -> s3Link(c, TriggerKind.notificationId(trigger.function(), trigger.name()), sourceArn));
            }
            case SQS, KINESIS, DYNAMODB -> {
                // Listed by the qualified name: Lambda lists an alias's mappings under the alias's name only.
                Optional<EventSourceMappingConfiguration> mapping =
                        mappings(qualified(trigger.function(), trigger.qualifier())).stream()
                                .filter(m -> sourceArn.equals(m.eventSourceArn()))
                                .filter(m -> m.functionArn() == null
                                        || m.functionArn().equals(functionArn))
                                .findFirst();
                link = mapping.map(m -> mappingLink(trigger.type(), m));
                owner = mapping.map(m -> tagsOf(m).get(Stack.OWNER_TAG));
                if (mapping.isEmpty() && trigger.type() == Type.SQS && !trigger.sourceDeclared()) {
                    sourceFound[0] = queueExists(sourceArn);
                }
            }
            case SNS -> {
                Optional<List<Subscription>> subs = subscriptions(sourceArn);
                sourceFound[0] = subs.isPresent();
                link = subs.flatMap(list -> list.stream()
                                .filter(s -> "lambda".equals(s.protocol()) && functionArn.equals(s.endpoint()))
                                .findFirst())
                        .map(s -> snsLink(s, sourceArn));
            }
            case RULE -> {
                String name = TriggerKind.ruleName(trigger.function(), trigger.name());
                Optional<RuleRead> rule = rule(name);
                link = rule.map(RuleRead::link);
                owner = rule.flatMap(RuleRead::owner);
            }
            case URL -> link = url(trigger.function(), trigger.qualifier());
            case APIGATEWAY, PERMISSION -> {}
        }
        return Optional.of(new State(
                trigger.name(),
                trigger.function(),
                trigger.qualifier(),
                trigger.type(),
                permission,
                link,
                sourceFound[0],
                owner.filter(o -> !o.isEmpty())));
    }

    @Override
    public Optional<State> find(String name) {
        return Optional.ofNullable(inventoried.get(name));
    }

    /**
     * The stack's triggers: on its functions that carry {@link #TRIGGERS_TAG}, the statements with the stack's ids
     * (and the link each names by its source) and the mappings tagged with the stack; on those that carry
     * {@link #URLS_TAG}, their URLs. Pieces of one name found in several places are one trigger, the others stale.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        SortedSet<String> names = new TreeSet<>();
        Map<String, List<State>> byName = new TreeMap<>();
        for (State piece : pieces(stackName)) {
            if (!except.contains(piece.name())) {
                byName.computeIfAbsent(piece.name(), n -> new ArrayList<>()).add(piece);
            }
        }
        byName.forEach((name, found) -> {
            names.add(name);
            inventoried.put(name, found.get(0).withStale(found.subList(1, found.size())));
        });
        return names;
    }

    /** Every piece the stack made for its triggers, read once per run from its marked functions. */
    private List<State> pieces(String stackName) {
        return pieces.get(stackName, this::readPieces);
    }

    private final Memo<String, List<State>> pieces = Memo.keepingFailures();

    private List<State> readPieces(String stackName) {
        List<State> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> function :
                functions.stackFunctionTags(stackName).entrySet()) {
            String fn = function.getKey();
            Map<String, String> tags = function.getValue();
            if (!tags.containsKey(TRIGGERS_TAG) && !tags.containsKey(URLS_TAG)) {
                continue; // no trigger was made on it: nothing to read, not even the account
            }
            TargetDescription target = target();
            Map<String, State> statements = new HashMap<>();
            for (String q : qualifiers(tags.getOrDefault(TRIGGERS_TAG, ""))) {
                Optional<String> qualifier = q.equals("$LATEST") ? Optional.empty() : Optional.of(q);
                for (Statement s : policy(fn, qualifier)) {
                    if (!s.sid().startsWith(Trigger.SID_PREFIX)) {
                        continue; // a statement the stack did not add: never touched
                    }
                    String name = s.sid().substring(Trigger.SID_PREFIX.length());
                    State piece = fromStatement(name, fn, qualifier, s, target);
                    statements.put(name + "@" + q, piece);
                    if (piece.type() != Type.URL) {
                        found.add(piece);
                    }
                }
                for (EventSourceMappingConfiguration m : mappings(q.equals("$LATEST") ? fn : fn + ":" + q)) {
                    Map<String, String> mTags = tagsOf(m);
                    String name = mTags.get(TRIGGER_TAG);
                    if (name == null || !stackName.equals(mTags.get(Stack.OWNER_TAG))) {
                        continue;
                    }
                    Type type = m.eventSourceArn().contains(":sqs:")
                            ? Type.SQS
                            : m.eventSourceArn().contains(":kinesis:") ? Type.KINESIS : Type.DYNAMODB;
                    found.add(new State(
                            name,
                            fn,
                            qualifierOf(m.functionArn()),
                            type,
                            Optional.empty(),
                            Optional.of(mappingLink(type, m)),
                            true,
                            Optional.of(stackName)));
                }
            }
            for (String entry : qualifiers(tags.getOrDefault(URLS_TAG, ""))) {
                String[] parts = entry.split("@", 2);
                String name = parts[0];
                Optional<String> qualifier = parts.length == 2 ? Optional.of(parts[1]) : Optional.empty();
                Optional<Link> link = url(fn, qualifier);
                State statement = statements.remove(name + "@" + qualifier.orElse("$LATEST"));
                Optional<Statement> permission = statement == null ? Optional.empty() : statement.permission();
                if (link.isPresent() || permission.isPresent()) {
                    found.add(new State(name, fn, qualifier, Type.URL, permission, link, true, Optional.empty()));
                }
            }
            // A public URL's statement whose URL is no longer marked is still the stack's to remove.
            statements.values().stream().filter(p -> p.type() == Type.URL).forEach(found::add);
        }
        return List.copyOf(found);
    }

    /**
     * The pieces of {@code trigger} elsewhere than where it points now: on another function or alias, a link on the
     * source its statement named before, a second mapping. Its own statement is left out: the plan replaces it.
     */
    private List<State> stale(Trigger trigger, State found, String stackName) {
        List<State> stale = new ArrayList<>();
        for (State piece : pieces(stackName)) {
            if (!piece.name().equals(trigger.name())) {
                continue;
            }
            if (!piece.on(trigger.function(), trigger.qualifier())) {
                stale.add(piece);
                continue;
            }
            Optional<Link> link = piece.link();
            if (link.isEmpty()) {
                continue; // its statement only, which the plan replaces where it differs
            }
            boolean sameLink = piece.type() == trigger.type()
                    && found.link()
                            .map(l -> l.id().equals(link.get().id())
                                    && Objects.equals(
                                            l.settings().get("source"),
                                            link.get().settings().get("source")))
                            .orElse(false);
            if (!sameLink) {
                stale.add(piece.withPermission(Optional.empty()));
            }
        }
        return stale;
    }

    @Override
    public Optional<State> find(Resource declared, String stackName) {
        Optional<State> found = find(declared);
        return found.map(f -> f.withStale(stale((Trigger) declared, f, stackName)));
    }

    private static List<String> qualifiers(String value) {
        return Arrays.stream(value.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static Optional<String> qualifierOf(String functionArn) {
        // arn:aws:lambda:region:account:function:name[:qualifier]
        String[] parts = functionArn.split(":");
        return parts.length > 7 ? Optional.of(parts[7]) : Optional.empty();
    }

    /** A trigger known by its statement: its type by the statement, its link by the source the statement names. */
    private State fromStatement(
            String name, String function, Optional<String> qualifier, Statement s, TargetDescription target) {
        Type type = TriggerKind.typeOf(function, name, s, target.accountId());
        String functionArn = target.arn("lambda", "function:" + qualified(function, qualifier));
        Optional<Link> link = Optional.empty();
        Optional<String> owner = Optional.empty();
        String source = s.sourceArn().orElse("");
        switch (type) {
            case S3 ->
                link = notifications(TriggerKind.bucketName(source))
                        .flatMap(c -> s3Link(c, TriggerKind.notificationId(function, name), source));
            case SNS ->
                link = subscriptions(source)
                        .flatMap(list -> list.stream()
                                .filter(sub -> "lambda".equals(sub.protocol()) && functionArn.equals(sub.endpoint()))
                                .findFirst())
                        .map(sub -> snsLink(sub, source));
            case RULE -> {
                Optional<RuleRead> rule = rule(source.substring(source.lastIndexOf('/') + 1));
                link = rule.map(RuleRead::link);
                owner = rule.flatMap(RuleRead::owner);
            }
            case URL -> link = url(function, qualifier);
            default -> {}
        }
        return new State(name, function, qualifier, type, Optional.of(s), link, true, owner);
    }

    /** The statement {@code sid} of the function's policy, by meaning. */
    private Optional<Statement> statement(String function, Optional<String> qualifier, String sid) {
        return policy(function, qualifier).stream()
                .filter(s -> s.sid().equals(sid))
                .findFirst();
    }

    private List<Statement> policy(String function, Optional<String> qualifier) {
        String name = qualified(function, qualifier);
        return policies.get(name, n -> readPolicy(function, qualifier));
    }

    private List<Statement> readPolicy(String function, Optional<String> qualifier) {
        String text;
        try {
            text = lambda.getPolicy(r -> r.functionName(function).qualifier(qualifier.orElse(null)))
                    .policy();
        } catch (ResourceNotFoundException e) {
            return List.of();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetPolicy " + qualified(function, qualifier), e);
        }
        return statements(text);
    }

    /** The statements of a policy document, each by meaning. */
    static List<Statement> statements(String policy) {
        List<Statement> statements = new ArrayList<>();
        JsonNode doc;
        try {
            doc = JSON.readTree(policy == null ? "{}" : policy);
        } catch (JsonProcessingException e) {
            return statements;
        }
        for (JsonNode s : doc.path("Statement")) {
            JsonNode principal = s.path("Principal");
            String who = principal.isTextual()
                    ? principal.asText()
                    : principal.has("Service")
                            ? principal.path("Service").asText()
                            : principal.path("AWS").asText();
            JsonNode condition = s.path("Condition");
            Optional<String> sourceArn = first(condition, "AWS:SourceArn");
            Optional<String> sourceAccount = first(condition, "AWS:SourceAccount");
            Optional<String> urlAuth = first(condition, "lambda:FunctionUrlAuthType")
                    .or(() -> Optional.ofNullable(s.path("FunctionUrlAuthType").textValue()));
            String action = s.path("Action").isArray()
                    ? s.path("Action").path(0).asText()
                    : s.path("Action").asText();
            statements.add(new Statement(
                    s.path("Sid").asText(), TriggerKind.principal(who), action, sourceArn, sourceAccount, urlAuth));
        }
        return statements;
    }

    /** A condition's value for {@code key}, under any operator (ArnLike, StringEquals...). */
    private static Optional<String> first(JsonNode condition, String key) {
        for (JsonNode operator : condition) {
            JsonNode value = operator.path(key);
            if (value.isTextual()) {
                return Optional.of(value.asText());
            }
            if (value.isArray() && value.size() > 0) {
                return Optional.of(value.get(0).asText());
            }
        }
        return Optional.empty();
    }

    private List<EventSourceMappingConfiguration> mappings(String function) {
        return mappings.get(function, fn -> {
            List<EventSourceMappingConfiguration> all = new ArrayList<>();
            try {
                lambda.listEventSourceMappingsPaginator(r -> r.functionName(fn))
                        .eventSourceMappings()
                        .forEach(all::add);
            } catch (ResourceNotFoundException e) {
                return List.of();
            } catch (RuntimeException e) {
                throw AwsCloud.wrap("Lambda ListEventSourceMappings " + fn, e);
            }
            return List.copyOf(all);
        });
    }

    private Map<String, String> tagsOf(EventSourceMappingConfiguration mapping) {
        String arn =
                mapping.eventSourceMappingArn() != null ? mapping.eventSourceMappingArn() : mappingArn(mapping.uuid());
        return mappingTags.get(arn, a -> {
            try {
                return Map.copyOf(lambda.listTags(r -> r.resource(a)).tags());
            } catch (ResourceNotFoundException e) {
                return Map.of();
            } catch (RuntimeException e) {
                throw AwsCloud.wrap("Lambda ListTags " + a, e);
            }
        });
    }

    private static Link mappingLink(Type type, EventSourceMappingConfiguration m) {
        SortedMap<String, String> settings = new TreeMap<>();
        boolean stream = type != Type.SQS;
        settings.put("batchSize", String.valueOf(m.batchSize() == null ? (stream ? 100 : 10) : m.batchSize()));
        settings.put(
                "batchingWindow",
                String.valueOf(m.maximumBatchingWindowInSeconds() == null ? 0 : m.maximumBatchingWindowInSeconds()));
        if (stream) {
            settings.put(
                    "startingPosition", m.startingPositionAsString() == null ? "LATEST" : m.startingPositionAsString());
        }
        if (m.filterCriteria() != null
                && m.filterCriteria().hasFilters()
                && !m.filterCriteria().filters().isEmpty()) {
            settings.put(
                    "filters",
                    m.filterCriteria().filters().stream()
                            .map(f -> TriggerKind.canonical(f.pattern()))
                            .collect(Collectors.joining("\n")));
        }
        settings.put(
                "reportBatchItemFailures",
                String.valueOf(m.functionResponseTypes().contains(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)));
        if (type == Type.SQS && m.scalingConfig() != null && m.scalingConfig().maximumConcurrency() != null) {
            settings.put("maximumConcurrency", String.valueOf(m.scalingConfig().maximumConcurrency()));
        }
        String state = m.state() == null ? "Enabled" : m.state();
        settings.put("enabled", String.valueOf(!state.equals("Disabled") && !state.equals("Disabling")));
        settings.put("source", m.eventSourceArn());
        settings.put("function", m.functionArn());
        return new Link(m.uuid(), settings);
    }

    private boolean queueExists(String queueArn) {
        String[] parts = queueArn.split(":");
        String name = parts[parts.length - 1];
        String account = parts.length > 4 ? parts[4] : null;
        SqsClient sqs = clients.sqs();
        try {
            sqs.getQueueUrl(r -> r.queueName(name).queueOwnerAWSAccountId(account));
            return true;
        } catch (SqsException e) {
            // AWS answers QueueDoesNotExist with the Query protocol's code in a header; moto with the latter alone.
            if (e instanceof QueueDoesNotExistException
                    || AwsErrors.hasCode(e, "AWS.SimpleQueueService.NonExistentQueue")
                    || AwsErrors.hasCode(e, "QueueDoesNotExist")) {
                return false;
            }
            throw AwsCloud.wrap("SQS GetQueueUrl " + name, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("SQS GetQueueUrl " + name, e);
        }
    }

    private Optional<NotificationConfiguration> notifications(String bucket) {
        return notifications.get(bucket, this::readNotifications);
    }

    private Optional<NotificationConfiguration> readNotifications(String bucket) {
        S3Client s3 = clients.s3();
        try {
            var response = s3.getBucketNotificationConfiguration(r -> r.bucket(bucket));
            return Optional.of(NotificationConfiguration.builder()
                    .lambdaFunctionConfigurations(response.lambdaFunctionConfigurations())
                    .queueConfigurations(response.queueConfigurations())
                    .topicConfigurations(response.topicConfigurations())
                    .eventBridgeConfiguration(response.eventBridgeConfiguration())
                    .build());
        } catch (NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw AwsCloud.wrap("S3 GetBucketNotificationConfiguration " + bucket, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("S3 GetBucketNotificationConfiguration " + bucket, e);
        }
    }

    private static Optional<Link> s3Link(NotificationConfiguration config, String id, String bucketArn) {
        return config.lambdaFunctionConfigurations().stream()
                .filter(c -> id.equals(c.id()))
                .findFirst()
                .map(c -> {
                    SortedMap<String, String> settings = new TreeMap<>();
                    settings.put("events", String.join(",", new TreeSet<>(c.eventsAsStrings())));
                    if (c.filter() != null && c.filter().key() != null) {
                        for (FilterRule rule : c.filter().key().filterRules()) {
                            String kind = rule.nameAsString().toLowerCase(Locale.ROOT);
                            if (!rule.value().isEmpty()) {
                                settings.put(kind, rule.value());
                            }
                        }
                    }
                    settings.put("source", bucketArn);
                    settings.put("function", c.lambdaFunctionArn());
                    return new Link(id, settings);
                });
    }

    private Optional<List<Subscription>> subscriptions(String topicArn) {
        return subscriptions.get(topicArn, arn -> {
            SnsClient sns = clients.sns();
            List<Subscription> all = new ArrayList<>();
            try {
                sns.listSubscriptionsByTopicPaginator(r -> r.topicArn(arn))
                        .subscriptions()
                        .forEach(all::add);
            } catch (NotFoundException e) {
                return Optional.empty();
            } catch (RuntimeException e) {
                throw AwsCloud.wrap("SNS ListSubscriptionsByTopic " + arn, e);
            }
            return Optional.of(List.copyOf(all));
        });
    }

    private Link snsLink(Subscription subscription, String topicArn) {
        return subscriptionLinks.get(subscription.subscriptionArn(), a -> readSnsLink(subscription, topicArn));
    }

    private Link readSnsLink(Subscription subscription, String topicArn) {
        SortedMap<String, String> settings = new TreeMap<>();
        SnsClient sns = clients.sns();
        Map<String, String> attributes = AwsErrors.call(
                "SNS GetSubscriptionAttributes " + subscription.subscriptionArn(),
                () -> sns.getSubscriptionAttributes(r -> r.subscriptionArn(subscription.subscriptionArn()))
                        .attributes());
        String filter = attributes.get("FilterPolicy");
        if (filter != null && !filter.isBlank() && !filter.equals("{}")) {
            settings.put("filterPolicy", TriggerKind.canonical(filter));
        }
        settings.put("source", topicArn);
        settings.put("function", subscription.endpoint());
        return new Link(subscription.subscriptionArn(), settings);
    }

    /** A rule as read: its link and the stack its tag names. */
    private record RuleRead(Link link, Optional<String> owner) {}

    private Optional<RuleRead> rule(String name) {
        return rules.get(name, this::readRule);
    }

    private Optional<RuleRead> readRule(String name) {
        EventBridgeClient events = clients.events();
        DescribeRuleResponse rule;
        try {
            rule = events.describeRule(r -> r.name(name));
        } catch (EventBridgeException e) {
            if (AwsErrors.hasCode(e, "ResourceNotFoundException")) {
                return Optional.empty();
            }
            throw AwsCloud.wrap("EventBridge DescribeRule " + name, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("EventBridge DescribeRule " + name, e);
        }
        SortedMap<String, String> settings = new TreeMap<>();
        if (rule.scheduleExpression() != null && !rule.scheduleExpression().isEmpty()) {
            settings.put("schedule", rule.scheduleExpression());
        }
        if (rule.eventPattern() != null && !rule.eventPattern().isEmpty()) {
            settings.put("pattern", TriggerKind.canonical(rule.eventPattern()));
        }
        settings.put("enabled", String.valueOf(rule.state() != RuleState.DISABLED));
        settings.put("source", rule.arn());
        var targets = AwsErrors.call(
                "EventBridge ListTargetsByRule " + name,
                () -> events.listTargetsByRule(r -> r.rule(name)).targets());
        targets.stream()
                .filter(t -> TARGET_ID.equals(t.id()))
                .findFirst()
                .ifPresent(t -> settings.put("function", t.arn()));
        var tags = AwsErrors.call(
                "EventBridge ListTagsForResource " + name,
                () -> events.listTagsForResource(r -> r.resourceARN(rule.arn())).tags());
        Optional<String> owner = tags.stream()
                .filter(t -> t.key().equals(Stack.OWNER_TAG))
                .map(t -> t.value())
                .findFirst();
        return Optional.of(new RuleRead(new Link(name, settings), owner));
    }

    private Optional<Link> url(String function, Optional<String> qualifier) {
        return urls.get(qualified(function, qualifier), q -> readUrl(function, qualifier));
    }

    private Optional<Link> readUrl(String function, Optional<String> qualifier) {
        GetFunctionUrlConfigResponse url;
        try {
            url = lambda.getFunctionUrlConfig(r -> r.functionName(function).qualifier(qualifier.orElse(null)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetFunctionUrlConfig " + qualified(function, qualifier), e);
        }
        SortedMap<String, String> settings = new TreeMap<>();
        settings.put("authType", url.authTypeAsString());
        settings.put(
                "invokeMode",
                url.invokeModeAsString() == null
                        ? "BUFFERED"
                        : url.invokeModeAsString().toUpperCase(Locale.ROOT));
        if (url.cors() != null && !isEmpty(url.cors())) {
            settings.put("cors", TriggerKind.canonical(corsJson(url.cors())));
        }
        settings.put("function", target().arn("lambda", "function:" + qualified(function, qualifier)));
        return Optional.of(new Link(url.functionUrl(), settings));
    }

    private static boolean isEmpty(Cors cors) {
        return !cors.hasAllowOrigins()
                && !cors.hasAllowMethods()
                && !cors.hasAllowHeaders()
                && !cors.hasExposeHeaders()
                && cors.maxAge() == null
                && cors.allowCredentials() == null;
    }

    /** CORS as the manifests write it (allowOrigins...), to compare. */
    private static JsonNode corsJson(Cors cors) {
        ObjectNode node = JSON.createObjectNode();
        list(node, "allowOrigins", cors.hasAllowOrigins() ? cors.allowOrigins() : null);
        list(node, "allowMethods", cors.hasAllowMethods() ? cors.allowMethods() : null);
        list(node, "allowHeaders", cors.hasAllowHeaders() ? cors.allowHeaders() : null);
        list(node, "exposeHeaders", cors.hasExposeHeaders() ? cors.exposeHeaders() : null);
        if (cors.maxAge() != null) {
            node.put("maxAge", cors.maxAge());
        }
        if (cors.allowCredentials() != null) {
            node.put("allowCredentials", cors.allowCredentials());
        }
        return node;
    }

    private static void list(ObjectNode node, String field, List<String> values) {
        if (values != null && !values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }

    private static Cors cors(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        Cors.Builder cors = Cors.builder();
        if (node.has("allowOrigins")) {
            cors.allowOrigins(strings(node.path("allowOrigins")));
        }
        if (node.has("allowMethods")) {
            cors.allowMethods(strings(node.path("allowMethods")));
        }
        if (node.has("allowHeaders")) {
            cors.allowHeaders(strings(node.path("allowHeaders")));
        }
        if (node.has("exposeHeaders")) {
            cors.exposeHeaders(strings(node.path("exposeHeaders")));
        }
        if (node.has("maxAge")) {
            cors.maxAge(node.path("maxAge").asInt());
        }
        if (node.has("allowCredentials")) {
            cors.allowCredentials(node.path("allowCredentials").asBoolean());
        }
        return cors.build();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    // Tags: only mappings and rules carry them (adopting or releasing a trigger).

    @Override
    public void tag(String name, Map<String, String> tags) {
        State live = inventoried.get(name);
        if (live == null || live.link().isEmpty() || !TriggerKind.tagged(live.type())) {
            return;
        }
        String arn = linkArn(live);
        if (live.type().polled()) {
            AwsErrors.run(
                    "Lambda TagResource " + arn,
                    () -> lambda.tagResource(r -> r.resource(arn).tags(tags)));
        } else {
            EventBridgeClient events = clients.events();
            AwsErrors.run(
                    "EventBridge TagResource " + arn,
                    () -> events.tagResource(r -> r.resourceARN(arn).tags(eventBridgeTags(tags))));
        }
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        State live = inventoried.get(name);
        if (live == null || live.link().isEmpty() || !TriggerKind.tagged(live.type())) {
            return;
        }
        String arn = linkArn(live);
        if (live.type().polled()) {
            AwsErrors.run(
                    "Lambda UntagResource " + arn,
                    () -> lambda.untagResource(r -> r.resource(arn).tagKeys(tagKeys)));
        } else {
            EventBridgeClient events = clients.events();
            AwsErrors.run(
                    "EventBridge UntagResource " + arn,
                    () -> events.untagResource(r -> r.resourceARN(arn).tagKeys(tagKeys)));
        }
    }

    private String linkArn(State live) {
        Link link = live.link().orElseThrow();
        return live.type().polled() ? mappingArn(link.id()) : link.settings().get("source");
    }

    // Mutations

    @Override
    public void addPermission(String function, Optional<String> qualifier, Statement statement) {
        String what = "Lambda AddPermission " + qualified(function, qualifier) + " " + statement.sid();
        // Marked first: a statement made without its mark would be found by no inventory, and never pruned.
        markFunction(function, TRIGGERS_TAG, qualifier.orElse("$LATEST"), true);
        policies.forget(qualified(function, qualifier));
        try {
            lambda.addPermission(r -> r.functionName(function)
                    .qualifier(qualifier.orElse(null))
                    .statementId(statement.sid())
                    .action(statement.action())
                    .principal(statement.principal())
                    .sourceArn(statement.sourceArn().orElse(null))
                    .sourceAccount(statement.sourceAccount().orElse(null))
                    .functionUrlAuthType(statement.urlAuthType().orElse(null)));
        } catch (ResourceConflictException e) {
            policies.forget(qualified(function, qualifier));
            Optional<Statement> live = statement(function, qualifier, statement.sid());
            if (live.isEmpty() || !live.get().fields().equals(statement.fields())) {
                throw new LambdaformException(
                        LambdaformException.Category.EXTERNAL,
                        what + ": conflict: the policy of " + qualified(function, qualifier) + " already has a"
                                + " statement " + statement.sid() + " that allows something else; another run may be"
                                + " applying: plan again",
                        e.requestId(),
                        e);
            }
            cloud.progress()
                    .onProgress(what + ": the statement is already there, as planned (the response to an earlier"
                            + " attempt was lost); continuing");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        policies.forget(qualified(function, qualifier));
    }

    @Override
    public void removePermission(String function, Optional<String> qualifier, String sid) {
        String what = "Lambda RemovePermission " + qualified(function, qualifier) + " " + sid;
        policies.forget(qualified(function, qualifier));
        try {
            lambda.removePermission(r ->
                    r.functionName(function).qualifier(qualifier.orElse(null)).statementId(sid));
        } catch (ResourceNotFoundException e) {
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }

    /**
     * Adds {@code value} to (or removes it from) the space-separated list the function's tag {@code key} holds: the
     * marks that let the inventory skip functions without triggers.
     */
    private void markFunction(String function, String key, String value, boolean add) {
        synchronized (functionLocks.computeIfAbsent(function, f -> new Object())) {
            markFunctionLocked(function, key, value, add);
        }
    }

    private void markFunctionLocked(String function, String key, String value, boolean add) {
        String arn = target().arn("lambda", "function:" + function);
        Map<String, String> tags;
        try {
            tags = lambda.listTags(r -> r.resource(arn)).tags();
        } catch (ResourceNotFoundException e) {
            return; // the function is gone, and its marks with it
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda ListTags " + function, e);
        }
        Set<String> values = new LinkedHashSet<>(qualifiers(tags.getOrDefault(key, "")));
        boolean changed = add ? values.add(value) : values.remove(value);
        if (!changed) {
            return;
        }
        if (values.isEmpty()) {
            AwsErrors.run(
                    "Lambda UntagResource " + function,
                    () -> lambda.untagResource(r -> r.resource(arn).tagKeys(key)));
        } else {
            String joined = String.join(" ", values);
            if (joined.length() > 256) {
                throw LambdaformException.user("function " + function + " cannot record its triggers in its tag " + key
                        + " (Lambda allows 256 characters, they take " + joined.length() + "): give its URL"
                        + " triggers and aliases shorter names");
            }
            AwsErrors.run(
                    "Lambda TagResource " + function,
                    () -> lambda.tagResource(r -> r.resource(arn).tags(Map.of(key, joined))));
        }
    }

    private static String urlEntry(String trigger, Optional<String> qualifier) {
        return trigger + qualifier.map(q -> "@" + q).orElse("");
    }

    @Override
    public Link connect(Connection c) {
        return switch (c.type()) {
            case S3 -> putNotification(c);
            case SQS, KINESIS, DYNAMODB -> createMapping(c);
            case SNS -> subscribe(c);
            case RULE -> putRule(c, false);
            case URL -> putUrl(c, true);
            default ->
                throw new IllegalArgumentException("no link for a " + c.type().label() + " trigger");
        };
    }

    @Override
    public Link update(Connection c, Link live) {
        return switch (c.type()) {
            case S3 -> putNotification(c);
            case SQS, KINESIS, DYNAMODB -> {
                String position = live.settings().get("startingPosition");
                if (position != null && !position.equals(c.settings().get("startingPosition"))) {
                    // Lambda cannot change where a mapping starts reading: it is made again.
                    deleteMapping(live.id());
                    awaitMappingGone(live.id());
                    yield createMapping(c);
                }
                yield updateMapping(c, live.id());
            }
            case SNS -> {
                if (!live.settings().get("function").equals(c.functionArn())) {
                    unsubscribe(live.id());
                    yield subscribe(c);
                }
                SnsClient sns = clients.sns();
                String policy = c.settings().getOrDefault("filterPolicy", "{}");
                AwsErrors.run(
                        "SNS SetSubscriptionAttributes " + live.id(),
                        () -> sns.setSubscriptionAttributes(r -> r.subscriptionArn(live.id())
                                .attributeName("FilterPolicy")
                                .attributeValue(policy)));
                yield new Link(live.id(), c.settings());
            }
            case RULE -> putRule(c, true);
            case URL -> putUrl(c, false);
            default ->
                throw new IllegalArgumentException("no link for a " + c.type().label() + " trigger");
        };
    }

    @Override
    public void disconnect(State live) {
        Link link = live.link().orElseThrow();
        switch (live.type()) {
            case S3 -> removeNotification(TriggerKind.bucketName(link.settings().get("source")), link.id());
            case SQS, KINESIS, DYNAMODB -> deleteMapping(link.id());
            case SNS -> unsubscribe(link.id());
            case RULE -> deleteRule(link.id());
            case URL -> {
                urls.forget(qualified(live.function(), live.qualifier()));
                String what = "Lambda DeleteFunctionUrlConfig " + qualified(live.function(), live.qualifier());
                try {
                    lambda.deleteFunctionUrlConfig(r -> r.functionName(live.function())
                            .qualifier(live.qualifier().orElse(null)));
                } catch (ResourceNotFoundException e) {
                    cloud.progress().onProgress(what + ": already gone");
                } catch (RuntimeException e) {
                    throw AwsCloud.wrap(what, e);
                }
                markFunction(live.function(), URLS_TAG, urlEntry(live.name(), live.qualifier()), false);
            }
            default -> {}
        }
    }

    /** Reads the bucket's configuration, replaces the stack's entry and writes it back, keeping every other. */
    private Link putNotification(Connection c) {
        String bucket = TriggerKind.bucketName(c.sourceArn());
        synchronized (bucketLocks.computeIfAbsent(bucket, b -> new Object())) {
            return putNotificationLocked(c, bucket);
        }
    }

    private Link putNotificationLocked(Connection c, String bucket) {
        S3Client s3 = clients.s3();
        notifications.forget(bucket);
        NotificationConfiguration current = readNotifications(bucket)
                .orElseThrow(() -> LambdaformException.user("trigger " + c.trigger() + ": bucket " + bucket
                        + " does not exist: create it, or declare it in the manifests (kind: Bucket)"));
        List<LambdaFunctionConfiguration> entries = new ArrayList<>();
        current.lambdaFunctionConfigurations().stream()
                .filter(e -> !c.id().equals(e.id()))
                .forEach(entries::add);
        List<FilterRule> rules = new ArrayList<>();
        Optional.ofNullable(c.settings().get("prefix"))
                .ifPresent(p -> rules.add(FilterRule.builder()
                        .name("prefix") // lowercase, as the S3 docs write it (moto accepts no other)
                        .value(p)
                        .build()));
        Optional.ofNullable(c.settings().get("suffix"))
                .ifPresent(p ->
                        rules.add(FilterRule.builder().name("suffix").value(p).build()));
        LambdaFunctionConfiguration.Builder entry = LambdaFunctionConfiguration.builder()
                .id(c.id())
                .lambdaFunctionArn(c.functionArn())
                .eventsWithStrings(Arrays.asList(c.settings().get("events").split(",")));
        if (!rules.isEmpty()) {
            entry.filter(f -> f.key(k -> k.filterRules(rules)));
        }
        entries.add(entry.build());
        NotificationConfiguration merged =
                current.toBuilder().lambdaFunctionConfigurations(entries).build();
        AwsErrors.run(
                "S3 PutBucketNotificationConfiguration " + bucket,
                () -> s3.putBucketNotificationConfiguration(
                        r -> r.bucket(bucket).notificationConfiguration(merged)));
        notifications.forget(bucket);
        return new Link(c.id(), c.settings());
    }

    private void removeNotification(String bucket, String id) {
        synchronized (bucketLocks.computeIfAbsent(bucket, b -> new Object())) {
            removeNotificationLocked(bucket, id);
        }
    }

    private void removeNotificationLocked(String bucket, String id) {
        S3Client s3 = clients.s3();
        notifications.forget(bucket);
        Optional<NotificationConfiguration> current = readNotifications(bucket);
        if (current.isEmpty()
                || current.get().lambdaFunctionConfigurations().stream().noneMatch(e -> id.equals(e.id()))) {
            cloud.progress().onProgress("S3 notification " + id + " on bucket " + bucket + ": already gone");
            return;
        }
        NotificationConfiguration kept = current.get().toBuilder()
                .lambdaFunctionConfigurations(current.get().lambdaFunctionConfigurations().stream()
                        .filter(e -> !id.equals(e.id()))
                        .toList())
                .build();
        AwsErrors.run(
                "S3 PutBucketNotificationConfiguration " + bucket,
                () -> s3.putBucketNotificationConfiguration(
                        r -> r.bucket(bucket).notificationConfiguration(kept)));
        notifications.forget(bucket);
    }

    private Link createMapping(Connection c) {
        String what =
                "Lambda CreateEventSourceMapping " + c.sourceArn() + " → " + qualified(c.function(), c.qualifier());
        mappings.forget(qualified(c.function(), c.qualifier()));
        Map<String, String> tags = Map.of(Stack.OWNER_TAG, c.stack(), TRIGGER_TAG, c.trigger());
        // A mapping needs no statement: its mark comes first, so that a mapping is never left unmarked.
        markFunction(c.function(), TRIGGERS_TAG, c.qualifier().orElse("$LATEST"), true);
        EventSourceMappingConfiguration created;
        try {
            var response = lambda.createEventSourceMapping(r -> {
                r.functionName(qualified(c.function(), c.qualifier()))
                        .eventSourceArn(c.sourceArn())
                        .batchSize(Integer.valueOf(c.settings().get("batchSize")))
                        .maximumBatchingWindowInSeconds(
                                Integer.valueOf(c.settings().get("batchingWindow")))
                        .enabled(Boolean.valueOf(c.settings().get("enabled")))
                        .functionResponseTypesWithStrings(responseTypes(c))
                        .filterCriteria(filters(c))
                        .tags(tags);
                Optional.ofNullable(c.settings().get("startingPosition"))
                        .ifPresent(p -> r.startingPosition(EventSourcePosition.fromValue(p)));
                Optional.ofNullable(c.settings().get("maximumConcurrency"))
                        .ifPresent(m -> r.scalingConfig(s -> s.maximumConcurrency(Integer.valueOf(m))));
            });
            created = EventSourceMappingConfiguration.builder()
                    .uuid(response.uuid())
                    .state(response.state())
                    .build();
        } catch (ResourceConflictException e) {
            // A lost response: the mapping of this source is there; it is the stack's when it carries its tags.
            mappings.forget(qualified(c.function(), c.qualifier()));
            EventSourceMappingConfiguration live = mappings(qualified(c.function(), c.qualifier())).stream()
                    .filter(m -> c.sourceArn().equals(m.eventSourceArn()))
                    .findFirst()
                    .orElseThrow(() -> AwsCloud.wrap(what, e));
            Map<String, String> liveTags = tagsOf(live);
            if (!c.stack().equals(liveTags.get(Stack.OWNER_TAG))) {
                throw new LambdaformException(
                        LambdaformException.Category.EXTERNAL,
                        what + ": conflict: a mapping of " + c.sourceArn() + " to " + c.function() + " already exists"
                                + (liveTags.containsKey(Stack.OWNER_TAG)
                                        ? " and belongs to stack '" + liveTags.get(Stack.OWNER_TAG) + "'"
                                        : " without this stack's tag; take it over with --adopt " + c.trigger()),
                        e.requestId(),
                        e);
            }
            return updateMapping(c, live.uuid());
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        awaitMapping(created.uuid(), what);
        return new Link(created.uuid(), c.settings());
    }

    private Link updateMapping(Connection c, String uuid) {
        String what = "Lambda UpdateEventSourceMapping " + uuid;
        mappings.forget(qualified(c.function(), c.qualifier()));
        AwsErrors.run(
                what,
                () -> lambda.updateEventSourceMapping(r -> {
                    r.uuid(uuid)
                            .functionName(qualified(c.function(), c.qualifier()))
                            .batchSize(Integer.valueOf(c.settings().get("batchSize")))
                            .maximumBatchingWindowInSeconds(
                                    Integer.valueOf(c.settings().get("batchingWindow")))
                            .enabled(Boolean.valueOf(c.settings().get("enabled")))
                            .functionResponseTypesWithStrings(responseTypes(c))
                            .filterCriteria(filters(c));
                    Optional<String> concurrency =
                            Optional.ofNullable(c.settings().get("maximumConcurrency"));
                    if (concurrency.isPresent()) {
                        r.scalingConfig(s -> s.maximumConcurrency(Integer.valueOf(concurrency.get())));
                    } else if (c.type() == Type.SQS) {
                        r.scalingConfig(ScalingConfig.builder().build()); // an empty one removes the cap
                    }
                }));
        String arn = mappingArn(uuid);
        AwsErrors.run(
                "Lambda TagResource " + arn,
                () -> lambda.tagResource(
                        r -> r.resource(arn).tags(Map.of(Stack.OWNER_TAG, c.stack(), TRIGGER_TAG, c.trigger()))));
        awaitMapping(uuid, what);
        markFunction(c.function(), TRIGGERS_TAG, c.qualifier().orElse("$LATEST"), true);
        return new Link(uuid, c.settings());
    }

    private static List<String> responseTypes(Connection c) {
        return Boolean.parseBoolean(c.settings().get("reportBatchItemFailures"))
                ? List.of(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES.toString())
                : List.of();
    }

    private static FilterCriteria filters(Connection c) {
        String filters = c.settings().get("filters");
        List<Filter> list = filters == null
                ? List.of()
                : Arrays.stream(filters.split("\n"))
                        .map(p -> Filter.builder().pattern(p).build())
                        .toList();
        return FilterCriteria.builder().filters(list).build();
    }

    /**
     * Waits while the mapping is Creating, Enabling, Disabling or Updating: Lambda accepts a mapping before it polls
     * its source, and a change before it is made.
     */
    private void awaitMapping(String uuid, String what) {
        var timings = cloud.config().timings();
        List<Acceptor<GetEventSourceMappingResponse>> acceptors = List.of(
                Acceptor.retryOn(
                        r -> Set.of("Creating", "Enabling", "Disabling", "Updating")
                                .contains(String.valueOf(r.state())),
                        timings.stateDeadline(),
                        (r, waited, pause) -> what + ": mapping " + uuid + " is " + r.state() + " ("
                                + waited.toSeconds() + " s); checking again in " + pause.toSeconds() + " s",
                        r -> LambdaformException.user(what + ": mapping " + uuid + " is still " + r.state() + " after "
                                + timings.stateDeadline().toMinutes() + " min: run again")),
                Acceptor.successOn(r -> true));
        cloud.waiter().await(() -> lambda.getEventSourceMapping(r -> r.uuid(uuid)), acceptors, cloud.progress());
    }

    /** Waits while a deleted mapping is Deleting: another of its function and source is refused until it is gone. */
    private void awaitMappingGone(String uuid) {
        var timings = cloud.config().timings();
        String what = "Lambda DeleteEventSourceMapping " + uuid;
        List<Acceptor<GetEventSourceMappingResponse>> acceptors = List.of(
                Acceptor.successOnException(ResourceNotFoundException.class, e -> what + ": gone"),
                Acceptor.retryOn(
                        r -> true,
                        timings.stateDeadline(),
                        (r, waited, pause) -> what + ": mapping " + uuid + " is " + r.state() + " ("
                                + waited.toSeconds() + " s); checking again in " + pause.toSeconds() + " s",
                        r -> LambdaformException.user(what + ": mapping " + uuid + " is still " + r.state() + " after "
                                + timings.stateDeadline().toMinutes() + " min: run again")));
        cloud.waiter().await(() -> lambda.getEventSourceMapping(r -> r.uuid(uuid)), acceptors, cloud.progress());
    }

    private void deleteMapping(String uuid) {
        String what = "Lambda DeleteEventSourceMapping " + uuid;
        try {
            lambda.deleteEventSourceMapping(r -> r.uuid(uuid));
        } catch (ResourceNotFoundException e) {
            cloud.progress().onProgress(what + ": already gone");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }

    private Link subscribe(Connection c) {
        SnsClient sns = clients.sns();
        subscriptions.forget(c.sourceArn());
        Map<String, String> attributes = new HashMap<>();
        Optional.ofNullable(c.settings().get("filterPolicy")).ifPresent(p -> attributes.put("FilterPolicy", p));
        // SNS returns the existing subscription when the same endpoint subscribes again: safe to repeat.
        String arn = AwsErrors.call(
                "SNS Subscribe " + c.sourceArn(),
                () -> sns.subscribe(r -> r.topicArn(c.sourceArn())
                                .protocol("lambda")
                                .endpoint(c.functionArn())
                                .attributes(attributes)
                                .returnSubscriptionArn(true))
                        .subscriptionArn());
        return new Link(arn, c.settings());
    }

    private void unsubscribe(String subscriptionArn) {
        SnsClient sns = clients.sns();
        subscriptionLinks.forget(subscriptionArn);
        try {
            sns.unsubscribe(r -> r.subscriptionArn(subscriptionArn));
        } catch (NotFoundException e) {
            cloud.progress().onProgress("SNS Unsubscribe " + subscriptionArn + ": already gone");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("SNS Unsubscribe " + subscriptionArn, e);
        }
    }

    /** PutRule and PutTargets both replace what is there: safe to repeat. */
    /** Tags as EventBridge takes them. */
    private static List<Tag> eventBridgeTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    /** The ARN of a mapping of the target. */
    private String mappingArn(String uuid) {
        return target().arn("lambda", "event-source-mapping:" + uuid);
    }

    /** Puts the rule and its target; {@code existing}: the rule exists, and its owner tag is written too. */
    private Link putRule(Connection c, boolean existing) {
        EventBridgeClient events = clients.events();
        String name = c.id();
        rules.forget(name);
        String arn = AwsErrors.call(
                "EventBridge PutRule " + name,
                () -> events.putRule(r -> {
                            r.name(name)
                                    .description("Lambdaform trigger " + c.trigger() + " of stack " + c.stack())
                                    .state(
                                            Boolean.parseBoolean(c.settings().get("enabled"))
                                                    ? RuleState.ENABLED
                                                    : RuleState.DISABLED)
                                    .tags(eventBridgeTags(Map.of(Stack.OWNER_TAG, c.stack())));
                            Optional.ofNullable(c.settings().get("schedule")).ifPresent(r::scheduleExpression);
                            Optional.ofNullable(c.settings().get("pattern")).ifPresent(r::eventPattern);
                        })
                        .ruleArn());
        if (existing) {
            // PutRule does not change the tags of a rule that exists (adopting one, say).
            AwsErrors.run(
                    "EventBridge TagResource " + name,
                    () -> events.tagResource(
                            r -> r.resourceARN(arn).tags(eventBridgeTags(Map.of(Stack.OWNER_TAG, c.stack())))));
        }
        var result = AwsErrors.call(
                "EventBridge PutTargets " + name,
                () -> events.putTargets(
                        r -> r.rule(name).targets(t -> t.id(TARGET_ID).arn(c.functionArn()))));
        if (result.failedEntryCount() != null && result.failedEntryCount() > 0) {
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    "EventBridge PutTargets " + name + ": "
                            + result.failedEntries().get(0).errorMessage());
        }
        return new Link(name, c.settings());
    }

    private void deleteRule(String name) {
        EventBridgeClient events = clients.events();
        rules.forget(name);
        try {
            events.removeTargets(r -> r.rule(name).ids(TARGET_ID));
            events.deleteRule(r -> r.name(name));
        } catch (EventBridgeException e) {
            if (!AwsErrors.hasCode(e, "ResourceNotFoundException")) {
                throw AwsCloud.wrap("EventBridge DeleteRule " + name, e);
            }
            cloud.progress().onProgress("EventBridge DeleteRule " + name + ": already gone");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("EventBridge DeleteRule " + name, e);
        }
    }

    private Link putUrl(Connection c, boolean create) {
        urls.forget(qualified(c.function(), c.qualifier()));
        String what = "Lambda " + (create ? "Create" : "Update") + "FunctionUrlConfig "
                + qualified(c.function(), c.qualifier());
        Cors cors = c.settings().containsKey("cors")
                ? cors(c.settings().get("cors"))
                : Cors.builder().build();
        // Marked first: a URL made without its mark would be found by no inventory, and never pruned.
        markFunction(c.function(), URLS_TAG, urlEntry(c.trigger(), c.qualifier()), true);
        String url;
        try {
            url = create
                    ? lambda.createFunctionUrlConfig(r -> r.functionName(c.function())
                                    .qualifier(c.qualifier().orElse(null))
                                    .authType(c.settings().get("authType"))
                                    .invokeMode(c.settings().get("invokeMode"))
                                    .cors(cors))
                            .functionUrl()
                    : updateUrl(c, cors);
        } catch (ResourceConflictException e) {
            // A lost response: the URL is there; make it as planned.
            url = updateUrl(c, cors);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return new Link(url, c.settings());
    }

    private String updateUrl(Connection c, Cors cors) {
        return AwsErrors.call(
                "Lambda UpdateFunctionUrlConfig " + qualified(c.function(), c.qualifier()),
                () -> lambda.updateFunctionUrlConfig(r -> r.functionName(c.function())
                                .qualifier(c.qualifier().orElse(null))
                                .authType(c.settings().get("authType"))
                                .invokeMode(c.settings().get("invokeMode"))
                                .cors(cors))
                        .functionUrl());
    }
}
