package io.lambdaform.kinds.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.resource.TargetDescription;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The events generated for each kind of trigger have the shape and the values Lambda's sources send. */
class TriggerEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TargetDescription TARGET = new TargetDescription("test", "here", "111122223333", "eu-west-1");

    private static Trigger trigger(Trigger.Type type, String source, Map<String, String> settings) {
        return new Trigger("t", "fn", Optional.empty(), type, source, true, new TreeMap<>(settings), Optional.empty());
    }

    private static JsonNode generate(Trigger trigger, String overrides) throws Exception {
        return TriggerEvents.generate(
                trigger, TARGET, overrides == null ? Optional.empty() : Optional.of(JSON.readTree(overrides)));
    }

    @Test
    void s3_namesTheBucketAndAKeyWithinThePrefixAndSuffix() throws Exception {
        JsonNode event = generate(
                trigger(
                        Trigger.Type.S3,
                        "uploads",
                        Map.of("events", "s3:ObjectCreated:*", "prefix", "in/", "suffix", ".jpg")),
                null);

        JsonNode record = event.at("/Records/0");
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:s3");
        assertThat(record.path("eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(record.path("awsRegion").asText()).isEqualTo("eu-west-1");
        assertThat(record.at("/s3/bucket/name").asText()).isEqualTo("uploads");
        assertThat(record.at("/s3/bucket/arn").asText()).isEqualTo("arn:aws:s3:::uploads");
        assertThat(record.at("/s3/object/key").asText()).startsWith("in/").endsWith(".jpg");
        assertThat(record.at("/s3/configurationId").asText()).isEqualTo("lambdaform.fn.t");
    }

    @Test
    void aRemovalTrigger_sendsADeleteEvent() throws Exception {
        JsonNode event = generate(trigger(Trigger.Type.S3, "uploads", Map.of("events", "s3:ObjectRemoved:*")), null);

        assertThat(event.at("/Records/0/eventName").asText()).isEqualTo("ObjectRemoved:Delete");
    }

    @Test
    void sqs_isABatchFromTheQueue_withItsBodysMd5() throws Exception {
        JsonNode record =
                generate(trigger(Trigger.Type.SQS, "jobs", Map.of()), null).at("/Records/0");

        assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(record.path("eventSourceARN").asText()).isEqualTo("arn:aws:sqs:eu-west-1:111122223333:jobs");
        assertThat(record.path("md5OfBody").asText()).isEqualTo("7b270e59b47ff90a553787216d55d91d");
        assertThat(record.at("/attributes/ApproximateReceiveCount").asText()).isEqualTo("1");
    }

    @Test
    void anSqsBodyChangedOnTop_getsItsOwnDigest() throws Exception {
        JsonNode record = generate(trigger(Trigger.Type.SQS, "jobs", Map.of()), "{\"Records\":[{\"body\":\"fail\"}]}")
                .at("/Records/0");

        assertThat(record.path("body").asText()).isEqualTo("fail");
        assertThat(record.path("md5OfBody").asText()).isEqualTo("e11185b6e35c1b767174dc988aa0f179");
    }

    @Test
    void sns_isANotificationOfTheTopic() throws Exception {
        JsonNode sns =
                generate(trigger(Trigger.Type.SNS, "alerts", Map.of()), null).at("/Records/0/Sns");

        assertThat(sns.path("Type").asText()).isEqualTo("Notification");
        assertThat(sns.path("TopicArn").asText()).isEqualTo("arn:aws:sns:eu-west-1:111122223333:alerts");
    }

    @Test
    void aSchedule_sendsAScheduledEvent_andAPattern_anEventItMatches() throws Exception {
        JsonNode scheduled = generate(trigger(Trigger.Type.RULE, "", Map.of("schedule", "rate(1 day)")), null);
        assertThat(scheduled.path("detail-type").asText()).isEqualTo("Scheduled Event");
        assertThat(scheduled.path("source").asText()).isEqualTo("aws.events");
        assertThat(scheduled.at("/resources/0").asText()).isEqualTo("arn:aws:events:eu-west-1:111122223333:rule/fn.t");

        JsonNode matched = generate(
                trigger(
                        Trigger.Type.RULE,
                        "",
                        Map.of("pattern", "{\"detail-type\":[\"Order Placed\"],\"source\":[\"shop.orders\"]}")),
                null);
        assertThat(matched.path("detail-type").asText()).isEqualTo("Order Placed");
        assertThat(matched.path("source").asText()).isEqualTo("shop.orders");
    }

    @Test
    void apiGateway_sendsTheHttpApiFormat_orTheRestFormat() throws Exception {
        JsonNode http = generate(
                trigger(Trigger.Type.APIGATEWAY, "abc123", Map.of("route", "GET /items/{id}", "payloadFormat", "2.0")),
                null);
        assertThat(http.path("version").asText()).isEqualTo("2.0");
        assertThat(http.path("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(http.at("/requestContext/http/method").asText()).isEqualTo("GET");
        assertThat(http.path("rawPath").asText()).isEqualTo("/items/example");

        JsonNode rest = generate(
                trigger(Trigger.Type.APIGATEWAY, "abc123", Map.of("route", "POST /items/{id}", "payloadFormat", "1.0")),
                null);
        assertThat(rest.path("httpMethod").asText()).isEqualTo("POST");
        assertThat(rest.path("resource").asText()).isEqualTo("/items/{id}");
        assertThat(rest.at("/pathParameters/id").asText()).isEqualTo("example");
        assertThat(rest.has("version")).isFalse();
    }

    @Test
    void aUrlRequest_carriesItsQueryAndABinaryBodyInBase64() {
        byte[] body = {0, 1, 2, (byte) 255};
        JsonNode event = TriggerEvents.url(
                new TriggerEvents.HttpRequest(
                        "POST",
                        "/upload",
                        "a=1&a=2&b=x%20y",
                        Map.of("content-type", "application/octet-stream"),
                        Optional.of(body)),
                "127.0.0.1:8790",
                TARGET);

        assertThat(event.path("rawQueryString").asText()).isEqualTo("a=1&a=2&b=x%20y");
        assertThat(event.at("/queryStringParameters/a").asText()).isEqualTo("1,2");
        assertThat(event.at("/queryStringParameters/b").asText()).isEqualTo("x y");
        assertThat(event.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(Base64.getDecoder().decode(event.path("body").asText())).isEqualTo(body);

        JsonNode text = TriggerEvents.url(
                new TriggerEvents.HttpRequest(
                        "POST",
                        "/",
                        "",
                        Map.of("content-type", "application/json"),
                        Optional.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8))),
                "127.0.0.1:8790",
                TARGET);
        assertThat(text.path("body").asText()).isEqualTo("{\"a\":1}");

        JsonNode withCookies = TriggerEvents.url(
                new TriggerEvents.HttpRequest(
                        "GET", "/", "", Map.of("Cookie", "a=1; b=2", "accept", "*/*"), Optional.empty()),
                "127.0.0.1:8790",
                TARGET);
        assertThat(withCookies.path("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
        assertThat(withCookies.path("headers").has("cookie")).isFalse();
        assertThat(text.path("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void overrides_mergeObjectsByKey_andArraysByElement() throws Exception {
        JsonNode event = generate(
                trigger(Trigger.Type.S3, "uploads", Map.of("events", "s3:ObjectCreated:*")),
                "{\"Records\":[{\"s3\":{\"object\":{\"key\":\"cat.jpg\"}}},{\"extra\":true}]}");

        assertThat(event.at("/Records/0/s3/object/key").asText()).isEqualTo("cat.jpg");
        assertThat(event.at("/Records/0/s3/object/size").asInt()).isEqualTo(1024);
        assertThat(event.at("/Records/0/s3/bucket/name").asText()).isEqualTo("uploads");
        assertThat(event.at("/Records/1/extra").asBoolean()).isTrue();
    }
}
