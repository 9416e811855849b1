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
 * use, once per run: adapters are built for every AWS command, and a stack without triggers never builds them.
 * Adapters keep a client in a local variable named after the service ({@code S3Client s3 = clients.s3();}) so that
 * the deployer policy's test finds their calls.
 */
@Singleton
public final class ServiceClients {
    private final Supplier<S3Client> s3;
    private final Supplier<SqsClient> sqs;
    private final Supplier<SnsClient> sns;
    private final Supplier<EventBridgeClient> events;

    @Inject
    ServiceClients(AwsClients clients, AwsConfig config) {
        requireNonNull(clients, "clients is null");
        // Against --endpoint-url (moto, LocalStack) buckets are addressed by path: their hosts are not buckets.
        boolean pathStyle = config.endpoint().isPresent();
        this.s3 = once(() -> clients.build(S3Client.builder().forcePathStyle(pathStyle)));
        this.sqs = once(() -> clients.build(SqsClient.builder()));
        this.sns = once(() -> clients.build(SnsClient.builder()));
        this.events = once(() -> clients.build(EventBridgeClient.builder()));
    }

    public S3Client s3() {
        return s3.get();
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public SnsClient sns() {
        return sns.get();
    }

    public EventBridgeClient events() {
        return events.get();
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
