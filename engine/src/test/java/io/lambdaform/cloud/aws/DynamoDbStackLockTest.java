package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.StackLock;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The cross-runner stack lock on moto's DynamoDB: two providers stand for two CI runners. */
class DynamoDbStackLockTest {
    private static final String TABLE = "lambdaform-locks";

    private URI endpoint;

    @BeforeEach
    void setUp() {
        endpoint = MotoServer.freshEndpoint();
        // The table is the user's to create once (docs/gitops.md); the test creates it the same way.
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build()) {
            dynamo.createTable(r -> r.tableName(TABLE)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("LockID").keyType("HASH")));
        }
    }

    private TestTarget<AwsCloud> runner() {
        return AwsTestSupport.cloud(endpoint, Optional.of(TABLE), AwsTestSupport.FAST);
    }

    @Test
    void secondRunner_failsNamingTheHolder_untilTheFirstReleases() {
        TestTarget<AwsCloud> first = runner();
        TestTarget<AwsCloud> second = runner();

        try (StackLock held = first.cloud().lock("orders", Duration.ZERO)) {
            assertThatThrownBy(() -> second.cloud().lock("orders", Duration.ZERO))
                    .isInstanceOf(LambdaformException.class)
                    .hasMessageContaining("stack 'orders' is locked by another run")
                    .hasMessageContaining("force-unlock");
            try (StackLock other = second.cloud().lock("payments", Duration.ZERO)) {
                assertThat(other).isNotNull();
            }
        }
        try (StackLock again = second.cloud().lock("orders", Duration.ZERO)) {
            assertThat(again.warning()).isEmpty();
        }
    }

    @Test
    void secondRunner_withALockTimeout_waitsForTheFirst() throws Exception {
        TestTarget<AwsCloud> first = runner();
        StackLock held = first.cloud().lock("orders", Duration.ZERO);
        CompletableFuture<StackLock> waiting =
                CompletableFuture.supplyAsync(() -> runner().cloud().lock("orders", Duration.ofSeconds(30)));

        Thread.sleep(300);
        assertThat(waiting).isNotDone();
        held.close();

        try (StackLock acquired = waiting.get(20, TimeUnit.SECONDS)) {
            assertThat(acquired).isNotNull();
        }
    }

    @Test
    void forceUnlock_releasesTheLockOfADeadHolder() {
        runner().cloud().lock("orders", Duration.ZERO); // a run that died without releasing

        Optional<String> holder = runner().cloud().forceUnlock("orders");

        assertThat(holder).get().asString().contains("since");
        try (StackLock lock = runner().cloud().lock("orders", Duration.ZERO)) {
            assertThat(lock).isNotNull();
        }
        assertThat(runner().cloud().forceUnlock("nobody-holds-this")).isEmpty();
    }

    @Test
    void missingTable_isAClearError() {
        TestTarget<AwsCloud> cloud = AwsTestSupport.cloud(endpoint, Optional.of("no-such-table"), AwsTestSupport.FAST);

        assertThatThrownBy(() -> cloud.cloud().lock("orders", Duration.ZERO))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("the lock table 'no-such-table' does not exist");
    }

    @Test
    void withoutALockTable_theLockWarnsThatItDoesNotProtect() {
        try (StackLock lock = AwsTestSupport.cloud(endpoint).cloud().lock("orders", Duration.ZERO)) {
            assertThat(lock.warning()).get().asString().contains("no --lock-table");
        }
    }
}
