package io.lambdaform.kinds.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.kinds.trigger.Trigger.Type;
import io.lambdaform.resource.TargetDescription;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event documents Lambda sends a function for each kind of trigger, generated from the trigger's declaration (its
 * bucket and key prefix, queue, topic, rule, route): an S3 put, an SQS batch, a Kinesis or DynamoDB stream record, an
 * SNS notification, an EventBridge scheduled or matched event, an API Gateway HTTP API (2.0) or REST (1.0) request,
 * and a function URL request (the 2.0 format). A payload's {@code event} is merged on top: objects key by key, arrays
 * element by element, so that {@code {Records: [{s3: {object: {key: a.jpg}}}]}} changes only the key.
 */
public final class TriggerEvents {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The account of generated events when no target is known (payloads are read before a target is chosen). */
    public static final String EXAMPLE_ACCOUNT = "123456789012";

    private TriggerEvents() {}

    /** What a request to a function URL or an API carries, for the HTTP events. */
    public record HttpRequest(
            String method, String path, String query, Map<String, String> headers, Optional<byte[]> body) {
        public static HttpRequest example(String route) {
            Matcher m = Pattern.compile("^(\\S+) (\\S+)$").matcher(route);
            String method = m.matches() && !m.group(1).equals("ANY") ? m.group(1) : "GET";
            String path = m.matches() ? m.group(2).replaceAll("\\{[^}]*}", "example") : "/";
            return new HttpRequest(
                    method,
                    path,
                    "",
                    Map.of("accept", "application/json", "user-agent", "lambdaform"),
                    Optional.empty());
        }
    }

    /** The event Lambda would send {@code trigger}'s function, with {@code overrides} merged on top. */
    public static JsonNode generate(Trigger trigger, TargetDescription target, Optional<JsonNode> overrides) {
        Instant now = Instant.now();
        JsonNode event = switch (trigger.type()) {
            case S3 -> s3(trigger, target, now);
            case SQS -> sqs(trigger, target, now);
            case KINESIS -> kinesis(trigger, target, now);
            case DYNAMODB -> dynamodb(trigger, target, now);
            case SNS -> sns(trigger, target, now);
            case RULE -> eventBridge(trigger, target, now);
            case URL ->
                http(
                        HttpRequest.example("GET /"),
                        "$default",
                        "example.lambda-url." + target.region() + ".on.aws",
                        target,
                        "example",
                        now);
            case APIGATEWAY -> api(trigger, target, now);
            case PERMISSION -> NODES.objectNode();
        };
        if (overrides.isEmpty()) {
            return event;
        }
        JsonNode merged = merge(event, overrides.get());
        if (trigger.type() == Type.SQS) {
            // A body changed on top keeps its digest right, as SQS computes it, unless the changes give their own.
            JsonNode given = overrides.get().path("Records");
            for (int i = 0; i < merged.path("Records").size(); i++) {
                JsonNode record = merged.path("Records").get(i);
                if (record instanceof ObjectNode object
                        && record.path("body").isTextual()
                        && !given.path(i).has("md5OfBody")) {
                    object.put("md5OfBody", md5(record.path("body").asText()));
                }
            }
        }
        return merged;
    }

    /** The event of a request to a function URL (payload format 2.0), as Lambda builds it. */
    public static JsonNode url(HttpRequest request, String host, TargetDescription target) {
        return http(request, "$default", host, target, host.split("\\.")[0], Instant.now());
    }

    private static ObjectNode s3(Trigger trigger, TargetDescription target, Instant now) {
        String bucket = trigger.source();
        String first =
                trigger.settings().getOrDefault("events", "s3:ObjectCreated:*").split(",")[0];
        String eventName = first.substring(3).replace(":*", first.contains("Removed") ? ":Delete" : ":Put");
        String key = trigger.settings().getOrDefault("prefix", "") + "example"
                + trigger.settings().getOrDefault("suffix", ".txt");
        ObjectNode record = NODES.objectNode();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", target.region());
        record.put("eventTime", ISO.format(now));
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", "AWS:EXAMPLE");
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-request-id", hex(trigger.name(), 16).toUpperCase(Locale.ROOT));
        response.put(
                "x-amz-id-2",
                Base64.getEncoder().encodeToString(hex(trigger.name() + "2", 24).getBytes()));
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", TriggerKind.notificationId(trigger.function(), trigger.name()));
        ObjectNode b = s3.putObject("bucket");
        b.put("name", bucket);
        b.putObject("ownerIdentity").put("principalId", "EXAMPLE");
        b.put("arn", "arn:" + target.partition() + ":s3:::" + bucket);
        ObjectNode object = s3.putObject("object");
        object.put("key", key);
        object.put("size", 1024);
        object.put("eTag", hex(key, 32));
        object.put("sequencer", hex(key + now, 18).toUpperCase(Locale.ROOT));
        return records(record);
    }

    private static ObjectNode sqs(Trigger trigger, TargetDescription target, Instant now) {
        String body = "Hello from SQS!";
        ObjectNode record = NODES.objectNode();
        record.put(
                "messageId",
                UUID.nameUUIDFromBytes(trigger.name().getBytes(StandardCharsets.UTF_8))
                        .toString());
        record.put("receiptHandle", "AQEB" + hex(trigger.name(), 40));
        record.put("body", body);
        ObjectNode attributes = record.putObject("attributes");
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", String.valueOf(now.toEpochMilli()));
        attributes.put("SenderId", "AIDAEXAMPLE");
        attributes.put("ApproximateFirstReceiveTimestamp", String.valueOf(now.toEpochMilli()));
        record.putObject("messageAttributes");
        record.put("md5OfBody", md5(body));
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", TriggerKind.sourceArn(trigger, target));
        record.put("awsRegion", target.region());
        return records(record);
    }

    private static ObjectNode kinesis(Trigger trigger, TargetDescription target, Instant now) {
        ObjectNode record = NODES.objectNode();
        ObjectNode kinesis = record.putObject("kinesis");
        kinesis.put("kinesisSchemaVersion", "1.0");
        kinesis.put("partitionKey", "1");
        kinesis.put("sequenceNumber", "49590338271490256608559692538361571095921575989136588898");
        kinesis.put("data", Base64.getEncoder().encodeToString("Hello from Kinesis!".getBytes(StandardCharsets.UTF_8)));
        kinesis.put("approximateArrivalTimestamp", now.toEpochMilli() / 1000.0);
        record.put("eventSource", "aws:kinesis");
        record.put("eventVersion", "1.0");
        record.put("eventID", "shardId-000000000000:49590338271490256608559692538361571095921575989136588898");
        record.put("eventName", "aws:kinesis:record");
        record.put("invokeIdentityArn", target.roleArn("/", "lambda-role"));
        record.put("awsRegion", target.region());
        record.put("eventSourceARN", trigger.source());
        return records(record);
    }

    private static ObjectNode dynamodb(Trigger trigger, TargetDescription target, Instant now) {
        ObjectNode record = NODES.objectNode();
        record.put("eventID", hex(trigger.name(), 32));
        record.put("eventName", "INSERT");
        record.put("eventVersion", "1.1");
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", target.region());
        ObjectNode db = record.putObject("dynamodb");
        db.put("ApproximateCreationDateTime", now.getEpochSecond());
        db.putObject("Keys").putObject("id").put("S", "example");
        ObjectNode image = db.putObject("NewImage");
        image.putObject("id").put("S", "example");
        image.putObject("message").put("S", "Hello from DynamoDB!");
        db.put("SequenceNumber", "111");
        db.put("SizeBytes", 26);
        db.put("StreamViewType", "NEW_AND_OLD_IMAGES");
        record.put("eventSourceARN", trigger.source());
        return records(record);
    }

    private static ObjectNode sns(Trigger trigger, TargetDescription target, Instant now) {
        String topic = TriggerKind.sourceArn(trigger, target);
        ObjectNode record = NODES.objectNode();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put(
                "EventSubscriptionArn",
                topic + ":" + UUID.nameUUIDFromBytes(trigger.name().getBytes(StandardCharsets.UTF_8)));
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification");
        sns.put(
                "MessageId",
                UUID.nameUUIDFromBytes((trigger.name() + now).getBytes(StandardCharsets.UTF_8))
                        .toString());
        sns.put("TopicArn", topic);
        sns.put("Subject", "Example");
        sns.put("Message", "Hello from SNS!");
        sns.put("Timestamp", ISO.format(now));
        sns.put("SignatureVersion", "1");
        sns.put("Signature", "EXAMPLE");
        sns.put("SigningCertUrl", "EXAMPLE");
        sns.put("UnsubscribeUrl", "EXAMPLE");
        sns.putObject("MessageAttributes");
        return records(record);
    }

    private static ObjectNode eventBridge(Trigger trigger, TargetDescription target, Instant now) {
        ObjectNode event = NODES.objectNode();
        event.put("version", "0");
        event.put(
                "id",
                UUID.nameUUIDFromBytes((trigger.name() + now).getBytes(StandardCharsets.UTF_8))
                        .toString());
        Optional<JsonNode> pattern =
                Optional.ofNullable(trigger.settings().get("pattern")).map(TriggerEvents::parse);
        event.put(
                "detail-type",
                pattern.map(p -> firstValue(p.path("detail-type"))).orElse("Scheduled Event"));
        event.put("source", pattern.map(p -> firstValue(p.path("source"))).orElse("aws.events"));
        event.put("account", target.accountId());
        event.put("time", SECONDS.format(now));
        event.put("region", target.region());
        event.putArray("resources").add(TriggerKind.sourceArn(trigger, target));
        event.putObject("detail");
        return event;
    }

    private static String firstValue(JsonNode values) {
        if (values.isArray() && values.size() > 0 && values.get(0).isTextual()) {
            return values.get(0).asText();
        }
        return values.isTextual() ? values.asText() : "Example Event";
    }

    private static JsonNode api(Trigger trigger, TargetDescription target, Instant now) {
        String route = trigger.settings().getOrDefault("route", "ANY /{proxy+}");
        HttpRequest request = HttpRequest.example(route);
        String host = trigger.source() + ".execute-api." + target.region() + ".amazonaws.com";
        if ("1.0".equals(trigger.settings().get("payloadFormat"))) {
            return rest(request, route, host, trigger.source(), target, now);
        }
        return http(request, route, host, target, trigger.source(), now);
    }

    /** Payload format 2.0: HTTP APIs and function URLs. */
    private static ObjectNode http(
            HttpRequest request, String routeKey, String host, TargetDescription target, String apiId, Instant now) {
        ObjectNode event = NODES.objectNode();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", request.path());
        event.put("rawQueryString", request.query());
        ArrayNode cookies = NODES.arrayNode();
        ObjectNode headers = NODES.objectNode();
        request.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("cookie")) {
                // Format 2.0 moves cookies out of the headers, one string per cookie.
                for (String cookie : v.split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.strip());
                    }
                }
            } else {
                headers.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        headers.put("host", host);
        if (!cookies.isEmpty()) {
            event.set("cookies", cookies);
        }
        event.set("headers", headers);
        if (!request.query().isEmpty()) {
            ObjectNode query = event.putObject("queryStringParameters");
            for (String pair : request.query().split("&")) {
                String[] kv = pair.split("=", 2);
                String k = decode(kv[0]);
                String v = kv.length == 2 ? decode(kv[1]) : "";
                query.put(k, query.has(k) ? query.get(k).asText() + "," + v : v);
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", target.accountId());
        context.put("apiId", apiId);
        context.put("domainName", host);
        context.put("domainPrefix", host.split("\\.")[0]);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.path());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", request.headers().getOrDefault("user-agent", "lambdaform"));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", CLF.format(now));
        context.put("timeEpoch", now.toEpochMilli());
        body(event, request);
        return event;
    }

    /** Payload format 1.0: REST APIs. */
    private static ObjectNode rest(
            HttpRequest request, String route, String host, String apiId, TargetDescription target, Instant now) {
        String resource = route.substring(route.indexOf(' ') + 1);
        ObjectNode event = NODES.objectNode();
        event.put("resource", resource);
        event.put("path", request.path());
        event.put("httpMethod", request.method());
        ObjectNode headers = event.putObject("headers");
        ObjectNode multi = event.putObject("multiValueHeaders");
        request.headers().forEach((k, v) -> {
            headers.put(k, v);
            multi.putArray(k).add(v);
        });
        headers.put("Host", host);
        multi.putArray("Host").add(host);
        event.putNull("queryStringParameters");
        event.putNull("multiValueQueryStringParameters");
        ObjectNode parameters = NODES.objectNode();
        Matcher names = Pattern.compile("\\{([^}+]+)\\+?}").matcher(resource);
        while (names.find()) {
            parameters.put(names.group(1), "example");
        }
        if (parameters.isEmpty()) {
            event.putNull("pathParameters");
        } else {
            event.set("pathParameters", parameters);
        }
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", target.accountId());
        context.put("apiId", apiId);
        context.put("domainName", host);
        context.put("httpMethod", request.method());
        context.put("path", "/prod" + request.path());
        context.put("protocol", "HTTP/1.1");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.put("resourcePath", resource);
        context.put("stage", "prod");
        context.putObject("identity").put("sourceIp", "127.0.0.1");
        body(event, request);
        return event;
    }

    private static void body(ObjectNode event, HttpRequest request) {
        if (request.body().isEmpty() || request.body().get().length == 0) {
            event.put("isBase64Encoded", false);
            return;
        }
        byte[] body = request.body().get();
        String type = request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("");
        boolean text = type.startsWith("text/")
                || type.contains("json")
                || type.contains("xml")
                || type.contains("x-www-form-urlencoded")
                || type.contains("javascript");
        if (text) {
            event.put("body", new String(body, StandardCharsets.UTF_8));
            event.put("isBase64Encoded", false);
        } else {
            event.put("body", Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", true);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static ObjectNode records(ObjectNode record) {
        ObjectNode event = NODES.objectNode();
        ArrayNode records = event.putArray("Records");
        records.add(record);
        return event;
    }

    /**
     * {@code overrides} on top of {@code base}: objects merged key by key, arrays element by element (extra elements
     * appended), anything else replaced. Neither is changed.
     */
    public static JsonNode merge(JsonNode base, JsonNode overrides) {
        if (base.isObject() && overrides.isObject()) {
            ObjectNode merged = ((ObjectNode) base).deepCopy();
            Iterator<Map.Entry<String, JsonNode>> fields = overrides.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode existing = merged.get(field.getKey());
                merged.set(field.getKey(), existing == null ? field.getValue() : merge(existing, field.getValue()));
            }
            return merged;
        }
        if (base.isArray() && overrides.isArray()) {
            ArrayNode merged = NODES.arrayNode();
            for (int i = 0; i < Math.max(base.size(), overrides.size()); i++) {
                if (i >= overrides.size()) {
                    merged.add(base.get(i));
                } else if (i >= base.size()) {
                    merged.add(overrides.get(i));
                } else {
                    merged.add(merge(base.get(i), overrides.get(i)));
                }
            }
            return merged;
        }
        return overrides;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return NODES.objectNode();
        }
    }

    private static String hex(String seed, int length) {
        String digest = TriggerKind.digest(seed);
        return digest.substring(0, Math.min(length, digest.length()));
    }

    private static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a trigger has an event to generate (a bare permission has none). */
    public static boolean generates(Type type) {
        return type != Type.PERMISSION;
    }
}
