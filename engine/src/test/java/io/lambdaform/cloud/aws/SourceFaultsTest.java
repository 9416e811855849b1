package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.ContractTargets;
import io.lambdaform.kinds.bucket.Buckets;
import io.lambdaform.kinds.queue.Queues;
import io.lambdaform.kinds.topic.Topics;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transient faults of S3, SQS and SNS, each in its own protocol (REST-XML, JSON, Query), are retried: the
 * inventories every plan reads go through a throttle or a server error with one retry line each.
 */
class SourceFaultsTest {
    @ParameterizedTest
    @EnumSource(
            value = FaultProxy.Fault.class,
            names = {"THROTTLE", "ERROR_500", "ERROR_503"})
    void theSourcesInventories_retryTransientFaults(FaultProxy.Fault fault) {
        URI moto = MotoServer.freshEndpoint();
        List<String> progress = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = FaultProxy.to(moto).start()) {
            proxy.script("s3:GET /", fault).script("sqs:ListQueues", fault).script("sns:ListTopics", fault);
            TestTarget<?> target = ContractTargets.aws(proxy.endpoint(), "eu-west-1", progress::add);

            assertThat(target.ports().get(Buckets.class).inventory("s1", Set.of()))
                    .isEmpty();
            assertThat(target.ports().get(Queues.class).inventory("s1", Set.of()))
                    .isEmpty();
            assertThat(target.ports().get(Topics.class).inventory("s1", Set.of()))
                    .isEmpty();

            assertThat(proxy.log()).hasSize(3);
            assertThat(progress)
                    .anyMatch(m -> m.startsWith("S3 ListBuckets: HTTP 5"))
                    .anyMatch(m -> m.startsWith("Sqs ListQueues: HTTP "))
                    .anyMatch(m -> m.startsWith("Sns ListTopics: HTTP "))
                    .allMatch(m -> m.contains("retrying in"));
        }
    }
}
