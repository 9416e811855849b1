package io.lambdaform.kinds.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lambdaform.LambdaformException;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.kinds.bucket.BucketKind;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.queue.QueueKind;
import io.lambdaform.kinds.topic.TopicKind;
import io.lambdaform.kinds.trigger.Trigger.Type;
import io.lambdaform.kinds.trigger.TriggerOperations.AddPermission;
import io.lambdaform.kinds.trigger.TriggerOperations.ConnectTrigger;
import io.lambdaform.kinds.trigger.TriggerOperations.DisconnectTrigger;
import io.lambdaform.kinds.trigger.TriggerOperations.RemovePermission;
import io.lambdaform.kinds.trigger.TriggerOperations.UpdateTrigger;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.TargetDescription;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Triggers, read from {@code kind: Trigger} documents: what invokes a function besides an explicit invoke. Each plans
 * its invoke permission (a statement of the function's policy, compared by meaning) and its link on the source (a
 * bucket's notification entry, a topic's subscription, an EventBridge rule and its target, an event source mapping,
 * a function URL) as operations of their own, after the function, its alias and the source the stack declares, and
 * removes them before those. The trigger's source may be the stack's own Bucket, Queue or Topic, or one it does not
 * own, which must exist.
 */
public final class TriggerKind extends AbstractResourceKind<Trigger, Triggers.State, Triggers> {
    public static final TriggerKind KIND = new TriggerKind();

    /** The spec's keys that name a source, one per document. */
    static final Map<String, Type> SOURCES = Map.of(
            "s3", Type.S3,
            "sqs", Type.SQS,
            "kinesis", Type.KINESIS,
            "dynamodb", Type.DYNAMODB,
            "sns", Type.SNS,
            "schedule", Type.RULE,
            "eventPattern", Type.RULE,
            "url", Type.URL,
            "apigateway", Type.APIGATEWAY,
            "permission", Type.PERMISSION);

    private static final Pattern ARN = Pattern.compile("^arn:[a-z-]+:([a-z0-9-]+):([a-z0-9-]*):([0-9]*):(.+)$");
    private static final Pattern ROUTE = Pattern.compile("^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (/\\S*)$");
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TriggerKind() {
        super("Trigger", 3, Trigger.class, Triggers.class, TriggerOperations.TriggerOperation.class);
    }

    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.NONE;
    }

    /**
     * The arrow from its source to the function (or the alias) it invokes, named after the trigger: a bucket, queue or
     * topic by name (the stack's, or drawn outside it) or by ARN, a stream by ARN; a schedule, an event pattern, a
     * function URL, an API or a permission's principal as what it is.
     */
    @Override
    public List<Link> links(Trigger desired) {
        Link.End invoked = new Link.Declared(desired.qualifier()
                .map(alias -> AliasKind.key(Alias.name(desired.function(), alias)))
                .orElse(FunctionKind.key(desired.function())));
        String source = desired.source();
        Link.End from = switch (desired.type()) {
            case S3 -> new Link.Declared(BucketKind.key(source));
            case SQS -> source.startsWith("arn:") ? new Link.ByArn(source) : new Link.Declared(QueueKind.key(source));
            case SNS -> source.startsWith("arn:") ? new Link.ByArn(source) : new Link.Declared(TopicKind.key(source));
            case KINESIS, DYNAMODB -> new Link.ByArn(source);
            case RULE ->
                new Link.Outside(
                        desired.settings().containsKey("schedule")
                                ? "schedule " + desired.settings().get("schedule")
                                : "EventBridge rule " + desired.name());
            case URL ->
                new Link.Outside("function URL " + desired.name() + " (auth "
                        + desired.settings().get("authType") + ")");
            case APIGATEWAY ->
                new Link.Outside(
                        "API Gateway " + source + " " + desired.settings().get("route"));
            case PERMISSION ->
                desired.grant()
                        .flatMap(Trigger.Grant::sourceArn)
                        .<Link.End>map(Link.ByArn::new)
                        .orElseGet(() -> new Link.Outside("principal "
                                + desired.grant().map(Trigger.Grant::principal).orElse("")));
        };
        return List.of(
                new Link(from, invoked, desired.name() + " (" + desired.type().label() + ")"));
    }

    // Reading

    @Override
    public Optional<Trigger> read(ReadContext document) {
        int before = document.problemCount();
        JsonNode spec = document.spec();
        String function = spec.path("function").asText();
        Optional<JsonNode> functionSpec = Optional.empty();
        if (spec.path("function").isTextual()) {
            functionSpec = document.declaredSpec(FunctionKind.KIND.manifestName(), function);
            if (functionSpec.isEmpty()) {
                document.problemAt(
                        "/spec/function",
                        "function '" + document.sensitive().mask(function) + "' is not a Function of this manifest set"
                                + document.suggestion(function, document.declared(FunctionKind.KIND.manifestName())));
            }
        }
        Optional<String> qualifier = Optional.ofNullable(spec.path("alias").textValue());
        qualifier.ifPresent(alias -> {
            Optional<JsonNode> declared =
                    document.declaredSpec(AliasKind.KIND.manifestName(), Alias.name(function, alias));
            if (declared.isEmpty()
                    || !function.equals(declared.get().path("function").asText())) {
                document.problemAt(
                        "/spec/alias",
                        "alias '" + document.sensitive().mask(alias) + "' is not an Alias of function '" + function
                                + "' in this manifest set: declare it (kind: Alias, spec.function: " + function
                                + "), or remove 'alias' to invoke $LATEST");
            }
        });
        // What names a function, an alias or a source ends up in ARNs, statement conditions and every plan.
        for (String pointer : List.of(
                "/spec/function",
                "/spec/alias",
                "/spec/s3/bucket",
                "/spec/sqs/queue",
                "/spec/kinesis/stream",
                "/spec/dynamodb/stream",
                "/spec/sns/topic",
                "/spec/apigateway/api",
                "/spec/permission/principal",
                "/spec/permission/sourceArn",
                "/spec/permission/sourceAccount")) {
            JsonNode value = spec.at(pointer.substring("/spec".length()));
            if (value.isTextual() && document.sensitive().appearsIn(value.asText())) {
                document.problemAt(
                        pointer,
                        "'" + pointer.substring(pointer.lastIndexOf('/') + 1) + "' cannot hold a sensitive value: it"
                                + " is part of an ARN or a policy, which appear in logs and every plan");
            }
        }
        List<String> present = new ArrayList<>();
        spec.fieldNames().forEachRemaining(f -> {
            if (SOURCES.containsKey(f)) {
                present.add(f);
            }
        });
        if (present.size() != 1) {
            document.problemAt(
                    present.size() > 1 ? "/spec/" + present.get(1) : "/spec",
                    present.isEmpty()
                            ? "a trigger names one source: s3, sqs, kinesis, dynamodb, sns, schedule, eventPattern, url,"
                                    + " apigateway or permission"
                            : "a trigger names one source, found " + String.join(" and ", present)
                                    + ": write one Trigger per source");
            return Optional.empty();
        }
        String field = present.get(0);
        Type type = SOURCES.get(field);
        SortedMap<String, String> settings = new TreeMap<>();
        String source = "";
        boolean declared = false;
        Optional<Trigger.Grant> grant = Optional.empty();
        String at = "/spec/" + field;
        JsonNode body = spec.path(field);
        switch (type) {
            case S3 -> {
                source = bucketName(body.path("bucket").asText());
                declared = document.declared(BucketKind.KIND.manifestName()).contains(source);
                TreeSet<String> events = new TreeSet<>(Specs.list(body.path("events")));
                if (events.isEmpty()) {
                    events.add("s3:ObjectCreated:*");
                }
                settings.put("events", String.join(",", events));
                Specs.text(body, "prefix").filter(p -> !p.isEmpty()).ifPresent(p -> settings.put("prefix", p));
                Specs.text(body, "suffix").filter(p -> !p.isEmpty()).ifPresent(p -> settings.put("suffix", p));
            }
            case SQS, KINESIS, DYNAMODB -> {
                String sourceField = type == Type.SQS ? "queue" : "stream";
                source = body.path(sourceField).asText();
                if (!body.path(sourceField).isTextual()) {
                    document.problemAt(
                            at,
                            "'" + field + "' names its " + sourceField + ": add '" + sourceField + ":'"
                                    + (type == Type.SQS
                                            ? " (a Queue of this set, or a queue's name or ARN)"
                                            : " (the stream's ARN)"));
                } else if (type == Type.SQS && body.has("startingPosition")) {
                    document.problemAt(
                            at + "/startingPosition",
                            "a queue has no starting position: Lambda reads its messages as they come");
                } else if (type != Type.SQS && body.has("maximumConcurrency")) {
                    document.problemAt(
                            at + "/maximumConcurrency",
                            "'maximumConcurrency' caps the readers of an SQS queue; a stream has one per shard");
                } else if (type == Type.SQS ? body.has("stream") : body.has("queue")) {
                    document.problemAt(
                            at + "/" + (type == Type.SQS ? "stream" : "queue"),
                            "'" + field + "' takes a " + sourceField + ", not a "
                                    + (type == Type.SQS ? "stream" : "queue"));
                }
                if (type == Type.SQS) {
                    declared = document.declared(QueueKind.KIND.manifestName()).contains(source);
                    if (declared) {
                        checkVisibility(document, source, function, functionSpec, at + "/queue");
                    }
                } else if (!ARN.matcher(source).matches()) {
                    document.problemAt(at + "/stream", "'stream' is the ARN of the " + type.label() + " stream");
                }
                boolean stream = type != Type.SQS;
                settings.put(
                        "batchSize",
                        String.valueOf(Specs.integer(document, at + "/batchSize", 1, 10000)
                                .orElse(stream ? 100 : 10)));
                long window = Specs.duration(document, at + "/batchingWindow")
                        .map(Duration::toSeconds)
                        .orElse(0L);
                if (window > 300) {
                    document.problemAt(
                            at + "/batchingWindow",
                            "'batchingWindow' is " + window + " s; Lambda waits at most 300 s (5m) before invoking");
                }
                settings.put("batchingWindow", String.valueOf(window));
                if (stream) {
                    settings.put(
                            "startingPosition",
                            Specs.oneOf(document, at + "/startingPosition", List.of("LATEST", "TRIM_HORIZON"))
                                    .orElse("LATEST"));
                }
                if (body.path("filters").isArray() && !body.path("filters").isEmpty()) {
                    List<String> patterns = new ArrayList<>();
                    body.path("filters").forEach(p -> patterns.add(canonical(p)));
                    settings.put("filters", String.join("\n", patterns));
                }
                settings.put(
                        "reportBatchItemFailures",
                        String.valueOf(Specs.bool(document, at + "/reportBatchItemFailures")
                                .orElse(false)));
                if (type == Type.SQS) {
                    Specs.integer(document, at + "/maximumConcurrency", 2, 1000)
                            .ifPresent(c -> settings.put("maximumConcurrency", String.valueOf(c)));
                }
                settings.put("enabled", String.valueOf(enabled(document)));
            }
            case SNS -> {
                source = body.path("topic").asText();
                declared = document.declared(TopicKind.KIND.manifestName()).contains(source);
                if (body.has("filterPolicy")) {
                    settings.put("filterPolicy", canonical(body.path("filterPolicy")));
                }
            }
            case RULE -> {
                if (field.equals("schedule")) {
                    settings.put("schedule", body.asText());
                    if (body.isTextual()) {
                        scheduleProblem(body.asText()).ifPresent(p -> document.problemAt(at, p));
                    }
                } else {
                    settings.put("pattern", canonical(body));
                }
                settings.put("enabled", String.valueOf(enabled(document)));
            }
            case URL -> {
                settings.put("authType", body.path("authType").asText("AWS_IAM"));
                settings.put("invokeMode", body.path("invokeMode").asText("BUFFERED"));
                if (body.has("cors")) {
                    settings.put("cors", canonical(body.path("cors")));
                }
            }
            case APIGATEWAY -> {
                source = body.path("api").asText();
                String route = body.path("route").asText("ANY /{proxy+}");
                if (!ROUTE.matcher(route).matches()) {
                    document.problemAt(at + "/route", "a route is a method and a path: 'GET /items/{id}'");
                }
                settings.put("route", route);
                settings.put("payloadFormat", body.path("payloadFormat").asText("2.0"));
            }
            case PERMISSION ->
                grant = Optional.of(new Trigger.Grant(
                        body.path("principal").asText(),
                        Optional.ofNullable(body.path("sourceArn").textValue()),
                        Optional.ofNullable(body.path("sourceAccount").textValue())));
        }
        if (document.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Trigger(document.name(), function, qualifier, type, source, declared, settings, grant));
    }

    private static final Pattern RATE = Pattern.compile("^rate\\(([0-9]+) (minute|minutes|hour|hours|day|days)\\)$");

    /**
     * What EventBridge would refuse in a schedule: a rate that is not {@code rate(N unit)} (singular for 1, plural
     * otherwise), a cron expression without its six fields, or with both day fields set.
     */
    static Optional<String> scheduleProblem(String schedule) {
        if (!schedule.endsWith(")") || !(schedule.startsWith("rate(") || schedule.startsWith("cron("))) {
            return Optional.empty(); // not a schedule at all: the schema says so
        }
        if (schedule.startsWith("rate(")) {
            Matcher rate = RATE.matcher(schedule);
            if (!rate.matches()) {
                return Optional.of("a rate is rate(N unit), the unit minute(s), hour(s) or day(s): rate(5 minutes)");
            }
            long value = Long.parseLong(rate.group(1).length() > 9 ? "0" : rate.group(1));
            boolean plural = rate.group(2).endsWith("s");
            if (value == 0) {
                return Optional.of("a rate's value is a positive whole number: rate(1 hour), rate(5 minutes)");
            }
            if ((value == 1) == plural) {
                return Optional.of("EventBridge writes rate(1 " + rate.group(2).replaceAll("s$", "") + ") for one, and"
                        + " the plural for more: rate(" + value + " "
                        + rate.group(2).replaceAll("s$", "")
                        + (value == 1 ? "" : "s") + ")");
            }
            return Optional.empty();
        }
        String[] fields = schedule.substring("cron(".length(), schedule.length() - 1)
                .trim()
                .split("\\s+");
        if (fields.length != 6) {
            return Optional.of("a cron expression has six fields (minutes hours day-of-month month day-of-week year),"
                    + " found " + fields.length + ": cron(0 3 * * ? *) runs at 03:00 UTC every day");
        }
        if (!fields[2].equals("?") && !fields[4].equals("?")) {
            return Optional.of("a cron expression sets day-of-month or day-of-week, not both: write ? in the other"
                    + " (cron(0 3 * * ? *), cron(0 3 ? * MON *))");
        }
        return Optional.empty();
    }

    private static boolean enabled(ReadContext document) {
        return Specs.bool(document, "/spec/enabled").orElse(true);
    }

    /**
     * Lambda refuses to map a queue whose visibility timeout is shorter than the function's timeout: said here, where
     * both are declared, rather than by CreateEventSourceMapping.
     */
    private static void checkVisibility(
            ReadContext document, String queue, String function, Optional<JsonNode> functionSpec, String pointer) {
        long visibility = document.declaredSpec(QueueKind.KIND.manifestName(), queue)
                .map(QueueKind::visibilityTimeoutSeconds)
                .orElse(30);
        long timeout = functionSpec.map(f -> f.path("timeout").asLong(3)).orElse(3L);
        if (visibility < timeout) {
            document.problemAt(
                    pointer,
                    "queue '" + queue + "' has a visibility timeout of " + visibility + " s, shorter than function '"
                            + function + "''s timeout of " + timeout + " s: Lambda refuses to map it (a message"
                            + " would be seen again while it is still being handled). Set the Queue's"
                            + " visibilityTimeout to at least " + timeout + "s (AWS advises six times the timeout)");
        }
    }

    /** The bucket of {@code arn:aws:s3:::name}, or the name as written. */
    public static String bucketName(String written) {
        int at = written.startsWith("arn:") ? written.lastIndexOf(':') : -1;
        return at < 0 ? written : written.substring(at + 1);
    }

    /** JSON as one line with keys in order: how filters, patterns, policies and CORS are compared. */
    public static String canonical(JsonNode node) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@link #canonical(JsonNode)} of JSON text; the text itself when it is not JSON. */
    public static String canonical(String json) {
        try {
            return canonical(CANONICAL.readTree(json));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return json;
        }
    }

    // Planning

    /** The ARN the source invokes: the function's, with the alias when the trigger names one. */
    public static String functionArn(Trigger trigger, TargetDescription target) {
        return functionArn(trigger.function(), trigger.qualifier(), target);
    }

    static String functionArn(String function, Optional<String> qualifier, TargetDescription target) {
        return target.arn(
                "lambda", "function:" + function + qualifier.map(q -> ":" + q).orElse(""));
    }

    /** The source's ARN on the target: a name becomes the ARN of the target's account and region. */
    public static String sourceArn(Trigger trigger, TargetDescription target) {
        String source = trigger.source();
        return switch (trigger.type()) {
            case S3 -> "arn:" + target.partition() + ":s3:::" + source;
            case SQS -> source.startsWith("arn:") ? source : target.arn("sqs", source);
            case SNS -> source.startsWith("arn:") ? source : target.arn("sns", source);
            case KINESIS, DYNAMODB -> source;
            case RULE -> target.arn("events", "rule/" + ruleName(trigger.function(), trigger.name()));
            case APIGATEWAY ->
                target.arn(
                        "execute-api",
                        source + "/*/" + apiPath(trigger.settings().get("route")));
            case URL -> "";
            case PERMISSION -> trigger.grant().flatMap(Trigger.Grant::sourceArn).orElse("");
        };
    }

    /** "GET /items/{id}" → "GET/items/*": the part of an execute-api ARN after the stage. */
    static String apiPath(String route) {
        Matcher m = ROUTE.matcher(route);
        if (!m.matches()) {
            return "*/*";
        }
        String method = m.group(1).equals("ANY") ? "*" : m.group(1);
        String path = m.group(2).replaceAll("\\{[^}]*\\+}", "*").replaceAll("\\{[^}]*}", "*");
        return method + path;
    }

    /**
     * The name of a trigger's EventBridge rule: {@code <function>.<trigger>} (a function's name is unique in its
     * account and region, a trigger's in its stack), shortened with a digest to EventBridge's 64 characters.
     */
    public static String ruleName(String function, String trigger) {
        // A dot never appears in either name: function a-b's trigger c and function a's trigger b-c differ.
        String name = function + "." + trigger;
        if (name.length() <= 64) {
            return name;
        }
        return name.substring(0, 55) + "-" + digest(name).substring(0, 8);
    }

    /**
     * The id of a trigger's entry in a bucket's notification configuration: {@code lambdaform.<function>.<trigger>}
     * (a dot appears in neither name, so no two triggers share one).
     */
    public static String notificationId(String function, String trigger) {
        return "lambdaform." + function + "." + trigger;
    }

    /** The SHA-256 of the text, in hex: short, stable names (and the generated events' ids). */
    static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The statement a trigger needs in its function's policy; empty for a source Lambda polls, or a private URL. */
    public static Optional<Triggers.Statement> statement(Trigger trigger, TargetDescription target, String sourceArn) {
        String sid = Trigger.sid(trigger.name());
        String invoke = "lambda:InvokeFunction";
        Optional<String> account = Optional.of(target.accountId());
        return switch (trigger.type()) {
            case S3 ->
                Optional.of(new Triggers.Statement(
                        sid, "s3.amazonaws.com", invoke, Optional.of(sourceArn), account, Optional.empty()));
            case SNS ->
                Optional.of(new Triggers.Statement(
                        sid, "sns.amazonaws.com", invoke, Optional.of(sourceArn), Optional.empty(), Optional.empty()));
            case RULE ->
                Optional.of(new Triggers.Statement(
                        sid,
                        "events.amazonaws.com",
                        invoke,
                        Optional.of(sourceArn),
                        Optional.empty(),
                        Optional.empty()));
            case APIGATEWAY ->
                Optional.of(new Triggers.Statement(
                        sid,
                        "apigateway.amazonaws.com",
                        invoke,
                        Optional.of(sourceArn),
                        Optional.empty(),
                        Optional.empty()));
            case URL ->
                "NONE".equals(trigger.settings().get("authType"))
                        ? Optional.of(new Triggers.Statement(
                                sid,
                                "*",
                                "lambda:InvokeFunctionUrl",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of("NONE")))
                        : Optional.empty();
            case PERMISSION -> {
                Trigger.Grant grant = trigger.grant().orElseThrow();
                yield Optional.of(new Triggers.Statement(
                        sid,
                        principal(grant.principal()),
                        invoke,
                        grant.sourceArn(),
                        grant.sourceAccount(),
                        Optional.empty()));
            }
            case SQS, KINESIS, DYNAMODB -> Optional.empty();
        };
    }

    /**
     * The type of the trigger {@code name} known only by its statement (pruning, on every target): a link's when it
     * is the statement that link's trigger plans (an S3 trigger's names a bucket and the target's account, an SNS
     * trigger's a topic, a rule's the trigger's own rule); any other statement for a service is a bare permission,
     * pruned as such.
     */
    public static Type typeOf(String function, String name, Triggers.Statement s, String accountId) {
        String source = s.sourceArn().orElse("");
        return switch (s.principal()) {
            case "s3.amazonaws.com" ->
                source.contains(":s3:::") && s.sourceAccount().equals(Optional.of(accountId))
                        ? Type.S3
                        : Type.PERMISSION;
            case "sns.amazonaws.com" -> source.contains(":sns:") ? Type.SNS : Type.PERMISSION;
            case "events.amazonaws.com" ->
                source.endsWith(":rule/" + ruleName(function, name)) ? Type.RULE : Type.PERMISSION;
            case "apigateway.amazonaws.com" -> Type.APIGATEWAY;
            default -> s.urlAuthType().isPresent() ? Type.URL : Type.PERMISSION;
        };
    }

    /** A principal by meaning: an account's root ARN is the account's id. */
    public static String principal(String written) {
        Matcher root = Pattern.compile("^arn:[a-z-]+:iam::([0-9]{12}):root$").matcher(written);
        return root.matches() ? root.group(1) : written;
    }

    /** The settings the plan compares: the trigger's own, with its source and the ARN the source invokes. */
    static SortedMap<String, String> settings(Trigger trigger, String sourceArn, String functionArn) {
        SortedMap<String, String> settings = new TreeMap<>(trigger.settings());
        if (!sourceArn.isEmpty()) {
            settings.put("source", sourceArn);
        }
        settings.put("function", functionArn);
        return settings;
    }

    /**
     * The triggers of the set by what Lambda keeps one of: a function's (or alias's) URL, a function's mapping of one
     * source. Two triggers of one such link would take it from each other at every apply.
     */
    private static final PlanBuilder.Index<Map<String, List<String>>> LINK_OWNERS =
            new PlanBuilder.Index<>("triggers by the link Lambda keeps one of", stack -> {
                Map<String, List<String>> owners = new HashMap<>();
                for (Trigger t : stack.resources(KIND)) {
                    linkIdentity(t)
                            .ifPresent(id -> owners.computeIfAbsent(id, k -> new ArrayList<>())
                                    .add(t.name()));
                }
                return owners;
            });

    /** What Lambda identifies a URL or a mapping by, for a trigger that makes one. */
    static Optional<String> linkIdentity(Trigger t) {
        return linkIdentity(t.type(), t.function(), t.qualifier(), t.source());
    }

    /** The same of a live trigger's link. */
    static Optional<String> linkIdentity(Triggers.State live) {
        return linkIdentity(
                live.type(),
                live.function(),
                live.qualifier(),
                live.link().map(l -> l.settings().getOrDefault("source", "")).orElse(""));
    }

    private static Optional<String> linkIdentity(
            Type type, String function, Optional<String> qualifier, String source) {
        String on = function + qualifier.map(q -> ":" + q).orElse("");
        if (type == Type.URL) {
            return Optional.of("the URL of " + on);
        }
        if (type.polled()) {
            // A queue is the same written by name or by ARN.
            String queue = type == Type.SQS ? source.substring(source.lastIndexOf(':') + 1) : source;
            return Optional.of("the mapping of " + queue + " to " + on);
        }
        return Optional.empty();
    }

    @Override
    public void plan(Trigger desired, Optional<Triggers.State> found, PlanBuilder plan) {
        ResourceKey key = key(desired.name());
        Optional<String> identity = linkIdentity(desired);
        if (identity.isPresent()) {
            List<String> owners = plan.index(LINK_OWNERS).getOrDefault(identity.get(), List.of());
            if (owners.size() > 1) {
                throw LambdaformException.user("triggers " + String.join(" and ", owners) + " both make "
                        + identity.get() + ", of which Lambda keeps one: declare it once");
            }
        }
        Triggers.State live = found.orElseGet(() -> Triggers.State.absent(desired, true));
        TargetDescription target = plan.target();
        String stack = plan.stack().name();
        String sourceArn = sourceArn(desired, target);
        if (!desired.sourceDeclared()
                && !desired.source().isEmpty()
                && desired.type() != Type.APIGATEWAY
                && !live.sourceFound()) {
            throw LambdaformException.user(
                    "trigger " + desired.name() + ": " + desired.type().sourceNoun() + " '"
                            + desired.source() + "' does not exist in " + target + " (" + sourceArn + "): create it, or"
                            + " declare it in the manifests (kind: " + sourceKind(desired.type()) + ")");
        }
        List<Integer> after = new ArrayList<>();
        plan.last(FunctionKind.key(desired.function())).ifPresent(after::add);
        desired.qualifier()
                .flatMap(q -> plan.last(AliasKind.key(Alias.name(desired.function(), q))))
                .ifPresent(after::add);
        sourceKey(desired).flatMap(plan::last).ifPresent(after::add);
        int planned = operationCount(plan, key);
        // What the trigger left where it pointed before goes first: S3 refuses a second entry for the same keys.
        for (Triggers.State old : live.stale()) {
            remove(old, key, plan);
        }

        Optional<Triggers.Statement> wanted = statement(desired, target, sourceArn);
        Optional<Triggers.Statement> current = live.permission();
        boolean samePermission = wanted.map(Triggers.Statement::fields).equals(current.map(Triggers.Statement::fields));
        if (!samePermission) {
            current.ifPresent(s ->
                    plan.add(key, new RemovePermission(desired.name(), live.function(), live.qualifier(), s), after));
            wanted.ifPresent(s -> plan.add(
                    key, new AddPermission(desired.name(), desired.function(), desired.qualifier(), s), after));
        }
        if (hasLink(desired.type())) {
            String functionArn = functionArn(desired, target);
            Triggers.Connection connection = new Triggers.Connection(
                    desired.name(),
                    stack,
                    desired.function(),
                    desired.qualifier(),
                    desired.type(),
                    sourceArn,
                    linkId(desired, stack),
                    functionArn,
                    settings(desired, sourceArn, functionArn));
            if (live.link().isEmpty()) {
                plan.add(
                        key,
                        new ConnectTrigger(
                                connection,
                                connection.settings().entrySet().stream()
                                        .map(e -> FieldChange.set(e.getKey(), e.getValue()))
                                        .toList()),
                        after);
            } else {
                List<FieldChange> changes = changes(live.link().get().settings(), connection.settings());
                // A mapping or rule that does not name this stack (another's, released, or adopted) is tagged.
                boolean retag = tagged(desired.type()) && !live.owner().equals(Optional.of(stack));
                if (!changes.isEmpty() || retag) {
                    plan.add(key, new UpdateTrigger(connection, live.link().get(), changes), after);
                }
            }
        }
        if (operationCount(plan, key) > planned) {
            notes(desired, wanted, key, plan);
        }
    }

    private static int operationCount(PlanBuilder plan, ResourceKey key) {
        return plan.last(key).orElse(-1);
    }

    /** What a reviewer must see of a trigger the plan makes or changes. */
    private static void notes(
            Trigger desired, Optional<Triggers.Statement> statement, ResourceKey key, PlanBuilder plan) {
        if (desired.type() == Type.URL && "NONE".equals(desired.settings().get("authType"))) {
            plan.note(
                    key,
                    Note.Category.SECURITY,
                    "function " + desired.function()
                            + desired.qualifier().map(q -> ":" + q).orElse("")
                            + " gets a public URL (auth type NONE): anyone on the internet can invoke it without"
                            + " signing a request");
        } else if (statement.filter(s -> s.principal().equals("*")).isPresent()) {
            plan.note(
                    key,
                    Note.Category.SECURITY,
                    "principal * may invoke function " + desired.function()
                            + (statement.get().sourceArn().isEmpty()
                                    ? " from anywhere"
                                    : " from " + statement.get().sourceArn().get()));
        }
        String account = plan.target().accountId();
        statement
                .filter(s ->
                        s.principal().matches("[0-9]{12}") && !s.principal().equals(account))
                .ifPresent(s -> plan.note(
                        key,
                        Note.Category.SECURITY,
                        "account " + s.principal() + " (not the target's) may invoke function " + desired.function()));
        statement
                .filter(s -> s.sourceAccount().filter(a -> !a.equals(account)).isPresent())
                .ifPresent(s -> plan.note(
                        key,
                        Note.Category.SECURITY,
                        "function " + desired.function() + " may be invoked from account "
                                + s.sourceAccount().get() + " (not the target's)"));
        statement
                .filter(s -> s.principal().equals("s3.amazonaws.com")
                        && s.sourceAccount().isEmpty())
                .ifPresent(s -> plan.note(
                        key,
                        Note.Category.SECURITY,
                        "S3 may invoke function " + desired.function() + " without a source account: a bucket of that"
                                + " name in another account could invoke it (confused deputy); add sourceAccount"));
        if (desired.type().polled()) {
            RoleReads.check(desired, plan).ifPresent(warning -> plan.note(key, Note.Category.WARNING, warning));
        }
    }

    /** The manifest kind of a source the stack may declare. */
    static String sourceKind(Type type) {
        return switch (type) {
            case S3 -> "Bucket";
            case SQS -> "Queue";
            case SNS -> "Topic";
            default -> type.sourceNoun();
        };
    }

    /** The key of the stack's own source (bucket, queue, topic), which the trigger's link waits for. */
    private static Optional<ResourceKey> sourceKey(Trigger desired) {
        if (!desired.sourceDeclared()) {
            return Optional.empty();
        }
        return switch (desired.type()) {
            case S3 -> Optional.of(BucketKind.key(desired.source()));
            case SQS -> Optional.of(QueueKind.key(desired.source()));
            case SNS -> Optional.of(TopicKind.key(desired.source()));
            default -> Optional.empty();
        };
    }

    static boolean hasLink(Type type) {
        return type != Type.APIGATEWAY && type != Type.PERMISSION;
    }

    /** The id of the link where the stack names it: a notification entry's, a rule's. */
    static String linkId(Trigger desired, String stack) {
        return switch (desired.type()) {
            case S3 -> notificationId(desired.function(), desired.name());
            case RULE -> ruleName(desired.function(), desired.name());
            default -> "";
        };
    }

    private static List<FieldChange> changes(SortedMap<String, String> live, SortedMap<String, String> desired) {
        List<FieldChange> changes = new ArrayList<>();
        TreeSet<String> fields = new TreeSet<>(live.keySet());
        fields.addAll(desired.keySet());
        for (String field : fields) {
            String before = live.get(field);
            String after = desired.get(field);
            if (before == null) {
                changes.add(FieldChange.set(field, after));
            } else if (after == null) {
                changes.add(FieldChange.remove(field, before));
            } else if (!before.equals(after)) {
                changes.add(FieldChange.change(field, before, after));
            }
        }
        return changes;
    }

    @Override
    public void prune(String name, Optional<Triggers.State> live, PlanBuilder plan) {
        Triggers.State state = live.orElseThrow(() -> new IllegalStateException("trigger " + name + " was not read"));
        ResourceKey key = key(name);
        remove(state, key, plan);
        for (Triggers.State old : state.stale()) {
            remove(old, key, plan);
        }
    }

    /**
     * Removes a trigger's pieces: its link, then its permission. A link that a declared trigger makes too (a URL or
     * a mapping, which Lambda keeps one of, renamed in the manifests) stays: that trigger takes it over as it is.
     */
    private static void remove(Triggers.State pieces, ResourceKey key, PlanBuilder plan) {
        boolean shared = plan.stack() != null
                && linkIdentity(pieces)
                        .filter(id -> plan.index(LINK_OWNERS).containsKey(id))
                        .isPresent();
        if (pieces.link().isPresent() && !shared) {
            plan.add(key, new DisconnectTrigger(pieces.alone()));
        }
        pieces.permission()
                .ifPresent(
                        s -> plan.add(key, new RemovePermission(key.name(), pieces.function(), pieces.qualifier(), s)));
    }

    @Override
    public boolean prunesFromLiveState() {
        return true;
    }

    /** Pieces AWS cannot tag (statements, notification entries, subscriptions, URLs) are the function's owner's. */
    @Override
    public boolean mayManage(Triggers.State live, String stackName, boolean adopted) {
        if (!live.exists() || (live.owner().isEmpty() && !tagged(live.type()))) {
            return true;
        }
        return super.mayManage(live, stackName, adopted);
    }

    @Override
    public boolean ownedBy(Triggers.State live, String stackName) {
        return live.owner().isEmpty() && !tagged(live.type()) || super.ownedBy(live, stackName);
    }

    /** Whether AWS tags the trigger's link (an event source mapping, a rule): then it carries its owner. */
    public static boolean tagged(Type type) {
        return type.polled() || type == Type.RULE;
    }

    /** "create S3 notification lambdaform-thumb-on-upload on bucket uploads → thumbnail". */
    static String describe(Triggers.Connection c, String verb) {
        return describe(c.type(), verb, c.id(), c.sourceArn(), c.function(), c.qualifier());
    }

    static String describe(Triggers.State s, String verb) {
        return describe(
                s.type(),
                verb,
                s.link().map(Triggers.Link::id).orElse(""),
                s.link().map(l -> l.settings().getOrDefault("source", "")).orElse(""),
                s.function(),
                s.qualifier());
    }

    /** "create notification … on bucket uploads → thumbnail (S3 PutBucketNotificationConfiguration)". */
    private static String describe(
            Type type, String verb, String id, String source, String function, Optional<String> qualifier) {
        String to = function + qualifier.map(q -> ":" + q).orElse("");
        String what = switch (type) {
            case S3 -> "notification " + id + " on bucket " + bucketName(source) + " → " + to;
            case SQS, KINESIS, DYNAMODB -> "event source mapping " + source + " → " + to;
            case SNS -> "subscription of " + to + " to " + source;
            case RULE -> "EventBridge rule " + id + " → " + to;
            case URL -> "function URL of " + to;
            default -> type.label() + " trigger of " + to;
        };
        return verb + " " + what + call(type, verb);
    }

    /** The API call that carries out {@code verb} (create, update, delete) on a link of {@code type}. */
    private static String call(Type type, String verb) {
        String as = verb.equals("create") ? "Create" : verb.equals("update") ? "Update" : "Delete";
        return switch (type) {
            case S3 -> " (S3 PutBucketNotificationConfiguration)";
            case SQS, KINESIS, DYNAMODB -> " (Lambda " + as + "EventSourceMapping)";
            case SNS ->
                " (SNS "
                        + (verb.equals("create")
                                ? "Subscribe"
                                : verb.equals("update") ? "SetSubscriptionAttributes" : "Unsubscribe")
                        + ")";
            case RULE ->
                verb.equals("delete")
                        ? " (EventBridge RemoveTargets, DeleteRule)"
                        : " (EventBridge PutRule, PutTargets)";
            case URL -> " (Lambda " + as + "FunctionUrlConfig)";
            default -> "";
        };
    }
}
