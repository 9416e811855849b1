package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The clients of the services that triggers and their sources use (S3, SQS, SNS, EventBridge), each built on first
 * use, once per run: adapters are built for every AWS command, and on AWS a stack without triggers or their sources
 * never builds them (against --endpoint-url the inventories of buckets, queues and topics list them).
 * Adapters keep a client in a local variable named after the service ({@code S3Client s3 = clients.s3();}) so that
 * the deployer policy's test finds their calls; the suppliers here are named otherwise, so that it does not take
 * their get() for a call of the service.
 */
@Singleton
public final class ServiceClients {
    private final Supplier<S3Client> s3Client;
    private final Supplier<SqsClient> sqsClient;
    private final Supplier<SnsClient> snsClient;
    private final Supplier<EventBridgeClient> eventsClient;

    @Inject
    ServiceClients(AwsClients clients, AwsConfig config) {
        requireNonNull(clients, "clients is null");
        // Against --endpoint-url (moto, LocalStack) buckets are addressed by path: their hosts are not buckets.
        boolean pathStyle = config.endpoint().isPresent();
        this.s3Client = once(() -> clients.build(S3Client.builder().forcePathStyle(pathStyle)));
        this.sqsClient = once(() -> clients.build(SqsClient.builder()));
        this.snsClient = once(() -> clients.build(SnsClient.builder()));
        this.eventsClient = once(() -> clients.build(EventBridgeClient.builder()));
    }

    public S3Client s3() {
        return s3Client.get();
    }

    public SqsClient sqs() {
        return sqsClient.get();
    }

    public SnsClient sns() {
        return snsClient.get();
    }

    public EventBridgeClient events() {
        return eventsClient.get();
    }

    private static <T> Supplier<T> once(Supplier<T> build) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = build.get();
                }
                return value;
            }
        };
    }
}
