package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.TriggersContract;
import io.lambdaform.kinds.trigger.Trigger;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.LambdaFunctionConfiguration;

/**
 * The {@link io.lambdaform.kinds.trigger.Triggers} port's contract on moto, with Lambda's refusals of a statement id
 * or a mapping that exists restored ({@link LambdaRefusals}), plus what only AWS keeps apart: another tool's entry in a
 * bucket's notification configuration, and sources that do not exist.
 */
class MotoTriggersContractTest extends TriggersContract {
    private URI moto;
    private LambdaRefusals lambda;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        moto = MotoServer.freshEndpoint();
        lambda = new LambdaRefusals(moto);
    }

    @Override
    protected TestTarget<?> run() {
        return AwsTestSupport.cloud(moto, Optional.empty(), AwsTestSupport.FAST, progress::add, lambda);
    }

    @Override
    protected List<String> policySids(String function, Optional<String> qualifier) {
        return lambda.sids(function, qualifier);
    }

    private S3Client s3() {
        return S3Client.builder()
                .endpointOverride(moto)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build();
    }

    @Test
    void anotherToolsEntriesInTheBucketsNotifications_surviveConnectUpdateAndDisconnect() {
        given();
        String account = run().cloud().describe().accountId();
        try (S3Client s3 = s3()) {
            s3.putBucketNotificationConfiguration(r -> r.bucket(BUCKET)
                    .notificationConfiguration(n -> n.queueConfigurations(q -> q.id("audit-everything")
                                    .queueArn("arn:aws:sqs:us-east-1:" + account + ":" + QUEUE)
                                    .events(Event.S3_OBJECT_CREATED))
                            .lambdaFunctionConfigurations(l -> l.id("other-tool")
                                    .lambdaFunctionArn("arn:aws:lambda:us-east-1:" + account + ":function:other")
                                    .eventsWithStrings("s3:ObjectRemoved:*"))));
            var others = s3.getBucketNotificationConfiguration(r -> r.bucket(BUCKET));

            apply(declared("s3", false));
            var connected = s3.getBucketNotificationConfiguration(r -> r.bucket(BUCKET));
            assertThat(connected.queueConfigurations()).isEqualTo(others.queueConfigurations());
            assertThat(connected.lambdaFunctionConfigurations())
                    .extracting(LambdaFunctionConfiguration::id)
                    .containsExactlyInAnyOrder("other-tool", "lambdaform.app.on-upload");
            assertThat(connected.lambdaFunctionConfigurations()).containsAll(others.lambdaFunctionConfigurations());

            apply(declared("s3", true));
            var updated = s3.getBucketNotificationConfiguration(r -> r.bucket(BUCKET));
            assertThat(updated.queueConfigurations()).isEqualTo(others.queueConfigurations());
            assertThat(updated.lambdaFunctionConfigurations())
                    .hasSize(2)
                    .containsAll(others.lambdaFunctionConfigurations());

            apply();
            var disconnected = s3.getBucketNotificationConfiguration(r -> r.bucket(BUCKET));
            assertThat(disconnected.queueConfigurations()).isEqualTo(others.queueConfigurations());
            assertThat(disconnected.lambdaFunctionConfigurations()).isEqualTo(others.lambdaFunctionConfigurations());
        }
    }

    @Test
    void aSourceTheStackDoesNotOwn_thatDoesNotExist_isNotFound_andThePlanSaysSo() {
        given();
        for (String link : List.of("s3", "sqs", "sns")) {
            Trigger declared = declared(link, false);
            Trigger missing = new Trigger(
                    declared.name(),
                    declared.function(),
                    declared.qualifier(),
                    declared.type(),
                    "no-such-" + declared.type().sourceNoun(),
                    false,
                    declared.settings(),
                    declared.grant());

            assertThat(find(missing).sourceFound()).as(link).isFalse();
            assertThatThrownBy(() -> plan(missing))
                    .isInstanceOf(LambdaformException.class)
                    .hasMessageContaining(declared.type().sourceNoun() + " 'no-such-"
                            + declared.type().sourceNoun() + "' does not exist");
        }
        assertThat(triggers().inventory(STACK, Set.of())).isEmpty();
    }
}
