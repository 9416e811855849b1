package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Provider;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * What concerns an AWS target as a whole (or an AWS-compatible endpoint), through the AWS SDK for Java v2: its
 * description (the account, read once from STS), the stack lock (DynamoDB), the API calls counted, and what the
 * kinds' adapters ({@link AwsRoles}, {@link AwsFunctions}) share: the waiter, retry reporting and the "already
 * exists" rule of idempotent creates.
 */
public final class AwsCloud implements CloudProvider {
    private final Memo<StsClient> stsClient;
    private final Memo<DynamoDbClient> dynamoClient;
    private final AwsConfig config;
    private final String region;
    private final ApiCallCounter counter;
    private final RetryReporter retries;
    private final Sleeper sleeper;
    private final Waiter waiter;
    private final ProgressListener progress;
    private volatile String accountId;

    AwsCloud(
            Provider<StsClient> sts,
            Provider<DynamoDbClient> dynamo,
            AwsConfig config,
            String region,
            ApiCallCounter counter,
            RetryReporter retries,
            Sleeper sleeper,
            ProgressListener progress) {
        this.dynamoClient = new Memo<>(requireNonNull(dynamo, "dynamo is null"));
        this.stsClient = new Memo<>(requireNonNull(sts, "sts is null"));
        this.config = requireNonNull(config, "config is null");
        this.region = requireNonNull(region, "region is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.retries = requireNonNull(retries, "retries is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.waiter = new Waiter(config.timings(), sleeper);
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** A client built on first use, once: a command that never needs it never pays for it. */
    private static final class Memo<T> {
        private final Provider<T> provider;
        private T value;

        Memo(Provider<T> provider) {
            this.provider = provider;
        }

        synchronized T get() {
            if (value == null) {
                value = provider.get();
            }
            return value;
        }
    }

    /** Pauses between polls; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = duration -> {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LambdaformException.user("interrupted while waiting");
            }
        };

        void sleep(Duration duration);
    }

    public ApiCallCounter calls() {
        return counter;
    }

    @Override
    public Optional<String> usage(boolean detailed) {
        return Optional.of("AWS API calls: " + counter.total() + (detailed ? " " + counter.snapshot() : ""));
    }

    @Override
    public TargetDescription describe() {
        String where =
                config.endpoint().map(e -> "endpoint " + AwsConfig.shown(e)).orElse("AWS");
        return new TargetDescription("aws", where, account(), region);
    }

    private synchronized String account() {
        String id = accountId;
        if (id == null) {
            StsClient sts = stsClient.get();
            id = AwsErrors.call(
                    "STS GetCallerIdentity", () -> sts.getCallerIdentity().account());
            accountId = id;
        }
        return id;
    }

    String functionArn(String name) {
        return describe().arn("lambda", "function:" + name);
    }

    @Override
    public StackLock lock(String stackName, Duration timeout) {
        if (config.lockTable().isEmpty()) {
            return new StackLock() {
                @Override
                public void close() {}

                @Override
                public Optional<String> warning() {
                    return Optional.of("warning: no --lock-table, so nothing stops another run from changing stack '"
                            + stackName + "' at the same time; see docs/gitops.md");
                }
            };
        }
        return DynamoDbStackLock.acquire(
                dynamoClient.get(), config.lockTable().get(), stackName, timeout, progress, sleeper);
    }

    @Override
    public Optional<String> forceUnlock(String stackName) {
        String table = config.lockTable()
                .orElseThrow(() -> LambdaformException.user(
                        "force-unlock on AWS needs" + " the --lock-table the lock was taken in"));
        return DynamoDbStackLock.forceUnlock(dynamoClient.get(), table, stackName);
    }

    /** How many per-resource reads (a tag listing per function, say) run at once. */
    static final int READ_PARALLELISM = 8;

    /**
     * Runs one read per item, {@value #READ_PARALLELISM} at a time, and returns the items whose read answers yes,
     * in their order. The first failure is rethrown as it was.
     */
    static <T> List<T> filterInParallel(List<T> items, Predicate<T> read) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READ_PARALLELISM, items.size()), r -> {
            Thread thread = new Thread(r, "lambdaform-aws-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (T item : items) {
                answers.add(pool.submit(() -> read.test(item)));
            }
            List<T> kept = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (answers.get(i).get()) {
                    kept.add(items.get(i));
                }
            }
            return kept;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaformException.user("interrupted while reading tags");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Where this run's waits and retries are reported. */
    ProgressListener progress() {
        return progress;
    }

    AwsConfig config() {
        return config;
    }

    RetryReporter retries() {
        return retries;
    }

    Waiter waiter() {
        return waiter;
    }

    /**
     * What a create does when the resource exists: carry on with it when an earlier attempt of this very call may have
     * made it (the SDK retried: a lost response, say) and it is this stack's and as planned; else fail at once as a
     * conflict. A first attempt that meets the resource means someone else made it, if only another run of the stack.
     */
    <T> T alreadyExists(
            String what,
            String kind,
            String name,
            Map<String, String> desiredTags,
            Map<String, String> liveTags,
            List<String> differences,
            boolean retried,
            AwsServiceException e,
            T live) {
        String stack = desiredTags.get(Stack.OWNER_TAG);
        String owner = liveTags.get(Stack.OWNER_TAG);
        if (stack == null || !stack.equals(owner)) {
            String why = owner == null
                    ? "has no " + Stack.OWNER_TAG + " tag, so it was not created by this stack"
                    : "belongs to stack '" + owner + "'";
            String how = owner == null
                    ? "take it over with --adopt " + name
                    : "move it: release it from stack '" + owner + "' first (spec.release in its Stack manifest, then"
                            + " apply that stack), then --adopt " + name;
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    what + ": conflict: " + kind + " "
                            + name + " already exists and " + why
                            + "; it was not modified. Rename it in the manifests, or " + how,
                    e.requestId(),
                    e);
        }
        if (!differences.isEmpty()) {
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    what + ": conflict: " + kind + " "
                            + name + " already exists with this stack's tag but a different "
                            + String.join(", ", differences)
                            + " than planned; another run of stack '" + stack + "' may be changing it. Run plan again",
                    e.requestId(),
                    e);
        }
        if (!retried) {
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    what + ": conflict: " + kind + " "
                            + name
                            + " already exists (with this stack's tag) although the plan found none; another run of"
                            + " stack '" + stack
                            + "' may be applying at the same time (--lock-table prevents that). Run"
                            + " plan again",
                    e.requestId(),
                    e);
        }
        progress.onProgress(what + ": it already exists, with this stack's tag and as planned (the response to an"
                + " earlier attempt was lost); continuing");
        return live;
    }

    static RuntimeException wrap(String what, RuntimeException e) {
        if (e instanceof LambdaformException) {
            return e;
        }
        if (e instanceof AwsServiceException service) {
            return AwsErrors.translate(what, service);
        }
        if (e instanceof SdkClientException client) {
            return AwsErrors.client(what, client);
        }
        return e;
    }

    static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
