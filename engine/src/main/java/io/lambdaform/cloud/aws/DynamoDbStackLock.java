package io.lambdaform.cloud.aws;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.StackLock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * A stack's lock that works across CI runners: one item per stack in a DynamoDB table (partition key {@code LockID},
 * a string), created with a conditional write that fails while another run holds it, and deleted on release only by
 * the run holding it (its token). The item names its holder (host, process, CI run, time).
 */
final class DynamoDbStackLock implements StackLock {
    static final String KEY = "LockID";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String lockId;
    private final String token;
    private boolean released;
    private final Thread releaseOnExit;

    private DynamoDbStackLock(DynamoDbClient dynamo, String table, String lockId, String token) {
        this.dynamo = dynamo;
        this.table = table;
        this.lockId = lockId;
        this.token = token;
        // A run cancelled with Ctrl-C or SIGTERM (as CI cancels jobs) still releases its lock.
        this.releaseOnExit = new Thread(this::release, "lambdaform-lock-release");
        Runtime.getRuntime().addShutdownHook(releaseOnExit);
    }

    static String lockId(String stackName) {
        return "lambdaform/stack/" + stackName;
    }

    static DynamoDbStackLock acquire(
            DynamoDbClient dynamo,
            String table,
            String stackName,
            Duration timeout,
            CloudProvider.ProgressListener progress,
            AwsCloud.Sleeper sleeper) {
        String lockId = lockId(stackName);
        String token = UUID.randomUUID().toString();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                dynamo.putItem(r -> r.tableName(table)
                        .conditionExpression("attribute_not_exists(" + KEY + ")")
                        .item(Map.of(
                                KEY,
                                s(lockId),
                                "Token",
                                s(token),
                                "Holder",
                                s(holder()),
                                "Created",
                                s(Instant.now().toString()))));
                return new DynamoDbStackLock(dynamo, table, lockId, token);
            } catch (ConditionalCheckFailedException e) {
                if (heldWith(dynamo, table, lockId, token)) {
                    // An earlier attempt of this PutItem took the lock, and its response was lost.
                    return new DynamoDbStackLock(dynamo, table, lockId, token);
                }
                String holder = holder(dynamo, table, lockId).orElse("a run that just released it");
                if (!Instant.now().isBefore(deadline)) {
                    throw LambdaformException.user("stack '" + stackName + "' is locked by another run (" + holder
                            + "). Wait for it, retry with a longer --lock-timeout, or, if that run died, release the"
                            + " lock with 'lambdaform force-unlock'");
                }
                progress.onProgress("waiting for the lock of stack '" + stackName + "', held by " + holder);
                sleeper.sleep(Duration.ofSeconds(2).compareTo(timeout) < 0 ? Duration.ofSeconds(2) : timeout);
            } catch (ResourceNotFoundException e) {
                throw LambdaformException.user("the lock table '" + table + "' does not exist; create it (partition"
                        + " key LockID, type String; see docs/gitops.md) or drop --lock-table");
            } catch (RuntimeException e) {
                throw AwsErrors.translate("DynamoDB PutItem " + table, asService(e));
            }
        }
    }

    private static boolean heldWith(DynamoDbClient dynamo, String table, String lockId, String token) {
        Map<String, AttributeValue> item = AwsErrors.call(
                "DynamoDB GetItem " + table,
                () -> dynamo.getItem(
                                r -> r.tableName(table).consistentRead(true).key(Map.of(KEY, s(lockId))))
                        .item());
        return item != null
                && item.containsKey("Token")
                && token.equals(item.get("Token").s());
    }

    static Optional<String> holder(DynamoDbClient dynamo, String table, String lockId) {
        Map<String, AttributeValue> item = AwsErrors.call(
                "DynamoDB GetItem " + table,
                () -> dynamo.getItem(
                                r -> r.tableName(table).consistentRead(true).key(Map.of(KEY, s(lockId))))
                        .item());
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(item.getOrDefault("Holder", s("unknown holder")).s() + ", since "
                + item.getOrDefault("Created", s("?")).s());
    }

    static Optional<String> forceUnlock(DynamoDbClient dynamo, String table, String stackName) {
        String lockId = lockId(stackName);
        Optional<String> holder = holder(dynamo, table, lockId);
        AwsErrors.run(
                "DynamoDB DeleteItem " + table,
                () -> dynamo.deleteItem(r -> r.tableName(table).key(Map.of(KEY, s(lockId)))));
        return holder;
    }

    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(releaseOnExit);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook releases the lock (idempotently).
        }
    }

    /**
     * Deletes the item once. Synchronized: when the process exits (a second signal) while the command itself is
     * releasing, the shutdown hook waits for that delete to finish instead of letting the JVM end in the middle of it.
     */
    private synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            dynamo.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, s(lockId)))
                    .conditionExpression("#t = :token")
                    .expressionAttributeNames(Map.of("#t", "Token"))
                    .expressionAttributeValues(Map.of(":token", s(token))));
        } catch (ConditionalCheckFailedException e) {
            // Someone force-unlocked it meanwhile; it is not ours to delete any more.
        } catch (RuntimeException e) {
            // Best effort: the holder is named in the item, and force-unlock releases it.
        }
    }

    private static String holder() {
        String run = Optional.ofNullable(System.getenv("GITHUB_RUN_ID"))
                .map(id -> ", GitHub run " + id)
                .orElse("");
        return ManagementFactory.getRuntimeMXBean().getName() + run;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AwsServiceException asService(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            return service;
        }
        if (e instanceof SdkClientException client) {
            throw AwsErrors.client("DynamoDB", client);
        }
        throw e;
    }
}
