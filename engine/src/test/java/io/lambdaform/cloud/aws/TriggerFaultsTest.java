package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.TriggersContract;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.Triggers;
import io.lambdaform.resource.Stack;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * Triggers applied through {@link FaultProxy} on moto, with Lambda's refusals of what exists restored
 * ({@link LambdaRefusals}): a response lost after moto made the statement, the mapping, the notification entry, the
 * subscription or the rule is retried, and the retry converges on exactly one of each, nothing orphaned, planned empty
 * afterwards; the reads every plan makes of triggers go through a throttle.
 */
class TriggerFaultsTest {
    private static final String ACCOUNT = "123456789012";

    @TempDir
    Path work;

    private URI moto;
    private FaultProxy proxy;
    private LambdaRefusals lambda;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        moto = MotoServer.freshEndpoint();
        lambda = new LambdaRefusals(moto);
        TriggersContract.given(direct(), work);
        proxy = FaultProxy.to(moto).start();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    /** A run straight on moto. */
    private TestTarget<AwsCloud> direct() {
        return AwsTestSupport.cloud(moto, Optional.empty(), AwsTestSupport.FAST, progress::add, lambda);
    }

    /** A run through the proxy. */
    private TestTarget<AwsCloud> faulty() {
        return AwsTestSupport.cloud(proxy.endpoint(), Optional.empty(), AwsTestSupport.FAST, progress::add, lambda);
    }

    private <C extends AwsClientBuilder<C, ?>> C raw(C builder) {
        return builder.endpointOverride(moto)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")));
    }

    /** Applies {@code declared} through the proxy, then checks that the next run (straight on moto) plans nothing. */
    private List<String> applyThroughFaults(Trigger... declared) {
        List<String> applied = TriggersContract.apply(faulty(), declared);
        assertThat(TriggersContract.plan(direct(), declared))
                .as("the plan after")
                .isEmpty();
        return applied;
    }

    @Test
    void aLostAddPermissionResponse_isRetried_andLeavesOneStatement() {
        Trigger partner = TriggersContract.declared("permission", false);
        proxy.script("lambda:AddPermission", FaultProxy.Fault.LOST_RESPONSE);

        assertThat(applyThroughFaults(partner)).containsExactly("AddPermission");

        assertThat(proxy.log()).containsExactly("lambda:AddPermission LOST_RESPONSE");
        assertThat(lambda.refused())
                .as("the SDK's retry, refused as Lambda refuses a statement id it holds")
                .containsExactly("AddPermission lambdaform-partner");
        assertThat(progress)
                .anyMatch(m -> m.contains("Lambda AddPermission app lambdaform-partner: the statement is already there,"
                        + " as planned"));
        assertThat(lambda.sids("app", Optional.empty())).containsExactly("lambdaform-partner");
    }

    @Test
    void aLostCreateEventSourceMappingResponse_isRetried_andLeavesOneMappingOfTheStack() {
        Trigger jobs = TriggersContract.declared("sqs", false);
        proxy.script("lambda:CreateEventSourceMapping", FaultProxy.Fault.LOST_RESPONSE);

        assertThat(applyThroughFaults(jobs)).containsExactly("ConnectTrigger");

        assertThat(proxy.log()).containsExactly("lambda:CreateEventSourceMapping LOST_RESPONSE");
        assertThat(lambda.refused())
                .as("the SDK's retry, refused as Lambda refuses a second mapping of a source to a function")
                .containsExactly(
                        "CreateEventSourceMapping arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + TriggersContract.QUEUE);
        try (LambdaClient raw = raw(LambdaClient.builder()).build()) {
            List<EventSourceMappingConfiguration> all =
                    raw.listEventSourceMappings(r -> {}).eventSourceMappings();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).eventSourceArn())
                    .isEqualTo("arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + TriggersContract.QUEUE);
            assertThat(raw.listTags(r -> r.resource(all.get(0).eventSourceMappingArn()))
                            .tags())
                    .containsEntry(Stack.OWNER_TAG, TriggersContract.STACK)
                    .containsEntry("lambdaform:trigger", "jobs");
        }
        assertThat(direct().ports().get(Triggers.class).inventory(TriggersContract.STACK, Set.of()))
                .containsExactly("jobs");
    }

    @Test
    void aLostPutBucketNotificationConfigurationResponse_isRetried_andLeavesOneEntry() {
        Trigger upload = TriggersContract.declared("s3", false);
        String put = "s3:PUT /" + TriggersContract.BUCKET;
        proxy.script(put, FaultProxy.Fault.LOST_RESPONSE);

        assertThat(applyThroughFaults(upload)).containsExactly("AddPermission", "ConnectTrigger");

        assertThat(proxy.log()).containsExactly(put + " LOST_RESPONSE");
        assertThat(proxy.requests(put)).isEqualTo(2);
        try (S3Client s3 = raw(S3Client.builder()).forcePathStyle(true).build()) {
            assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(TriggersContract.BUCKET))
                            .lambdaFunctionConfigurations())
                    .extracting(LambdaFunctionConfiguration::id)
                    .containsExactly("lambdaform.app.on-upload");
        }
        assertThat(lambda.sids("app", Optional.empty())).containsExactly("lambdaform-on-upload");
    }

    @Test
    void aLostSubscribeResponse_isRetried_andLeavesOneSubscription() {
        Trigger alerts = TriggersContract.declared("sns", true);
        proxy.script("sns:Subscribe", FaultProxy.Fault.LOST_RESPONSE);

        assertThat(applyThroughFaults(alerts)).containsExactly("AddPermission", "ConnectTrigger");

        assertThat(proxy.log()).containsExactly("sns:Subscribe LOST_RESPONSE");
        assertThat(proxy.requests("sns:Subscribe")).isEqualTo(2);
        try (SnsClient sns = raw(SnsClient.builder()).build()) {
            List<Subscription> subscriptions = sns.listSubscriptions().subscriptions();
            assertThat(subscriptions)
                    .extracting(Subscription::endpoint)
                    .containsExactly("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:app");
            assertThat(sns.getSubscriptionAttributes(
                                    r -> r.subscriptionArn(subscriptions.get(0).subscriptionArn()))
                            .attributes())
                    .containsEntry("FilterPolicy", "{\"level\":[\"error\"]}");
        }
    }

    @Test
    void lostPutRuleAndPutTargetsResponses_areRetried_andLeaveOneRuleWithOneTarget() {
        Trigger nightly = TriggersContract.declared("schedule", false);
        proxy.script("events:PutRule", FaultProxy.Fault.LOST_RESPONSE)
                .script("events:PutTargets", FaultProxy.Fault.LOST_RESPONSE);

        assertThat(applyThroughFaults(nightly)).containsExactly("AddPermission", "ConnectTrigger");

        assertThat(proxy.log()).containsExactly("events:PutRule LOST_RESPONSE", "events:PutTargets LOST_RESPONSE");
        try (EventBridgeClient events = raw(EventBridgeClient.builder()).build()) {
            assertThat(events.listRules(r -> {}).rules())
                    .extracting(r -> r.name())
                    .containsExactly("app.nightly");
            assertThat(events.listTargetsByRule(r -> r.rule("app.nightly")).targets())
                    .extracting(t -> t.id() + " " + t.arn())
                    .containsExactly("lambdaform arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:app");
        }
    }

    @Test
    void throttledReadsOfAPlan_areRetried() {
        Trigger[] all = {
            TriggersContract.declared("s3", false),
            TriggersContract.declared("sqs", false),
            TriggersContract.declared("schedule", false),
            TriggersContract.declared("url", false)
        };
        TriggersContract.apply(direct(), all);
        proxy.script("lambda:GetPolicy", FaultProxy.Fault.THROTTLE)
                .script("lambda:ListEventSourceMappings", FaultProxy.Fault.THROTTLE)
                .script("lambda:GetFunctionUrlConfig", FaultProxy.Fault.THROTTLE)
                .script("events:DescribeRule", FaultProxy.Fault.THROTTLE)
                .script("s3:GET /" + TriggersContract.BUCKET, FaultProxy.Fault.THROTTLE);
        progress.clear();

        assertThat(TriggersContract.plan(faulty(), all)).isEmpty();

        assertThat(proxy.log())
                .containsExactlyInAnyOrder(
                        "lambda:GetPolicy THROTTLE",
                        "lambda:ListEventSourceMappings THROTTLE",
                        "lambda:GetFunctionUrlConfig THROTTLE",
                        "events:DescribeRule THROTTLE",
                        "s3:GET /" + TriggersContract.BUCKET + " THROTTLE");
        assertThat(progress)
                .hasSize(5)
                .allMatch(m -> m.contains(", retrying in"))
                .anyMatch(m -> m.startsWith("Lambda GetPolicy ") && m.contains(": HTTP 429 TooManyRequestsException"))
                .anyMatch(m -> m.startsWith("Lambda ListEventSourceMappings ")
                        && m.contains(": HTTP 429 TooManyRequestsException"))
                .anyMatch(m -> m.startsWith("Lambda GetFunctionUrlConfig site: HTTP 429 TooManyRequestsException"))
                .anyMatch(m -> m.startsWith("EventBridge DescribeRule: HTTP 400 ThrottlingException"))
                .anyMatch(m -> m.startsWith("S3 GetBucketNotificationConfiguration: HTTP 503 SlowDown"));
    }
}
