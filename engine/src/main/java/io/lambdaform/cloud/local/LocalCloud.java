package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.resource.TargetDescription;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The embedded local cloud as a whole: a persistent stand-in for IAM and Lambda in a folder, with no account and no
 * Docker. It describes itself and locks stacks; the kinds' adapters ({@link LocalRoles}, {@link LocalFunctions})
 * share its state store, which they change under its lock, its runtime, which runs handlers for real with the
 * machine's python3 or node, and the logs of the invocations ({@link LocalLogStore}).
 */
public final class LocalCloud implements CloudProvider {
    /** The account id of every local ARN. */
    public static final String ACCOUNT_ID = "000000000000";

    private final LocalStateStore store;
    private final ProgressListener progress;
    private final LocalRuntime runtime;
    private final LocalLogStore logs;
    private final LocalDestinations destinations;
    private final String region;

    public LocalCloud(LocalCloudConfig config) {
        this(config, ProgressListener.NONE, new Interruption());
    }

    /**
     * @param progress where this run's waits (for the stack's lock) are reported
     * @param interruption ends running handlers when the command is asked to stop
     */
    public LocalCloud(LocalCloudConfig config, ProgressListener progress, Interruption interruption) {
        this.progress = requireNonNull(progress, "progress is null");
        requireNonNull(config, "config is null");
        this.store = new LocalStateStore(config.stateDir());
        this.region = config.region();
        this.runtime = new LocalRuntime(config, interruption, progress);
        this.logs = new LocalLogStore(config.stateDir(), LocalLogStore.DEFAULT_MAX_BYTES, progress);
        this.destinations = new LocalDestinations(config.stateDir(), LocalDestinations.DEFAULT_MAX_BYTES);
    }

    @Override
    public TargetDescription describe() {
        // The local cloud's ARNs are in the aws partition whatever the region: its state keeps them as written.
        return new TargetDescription("local", "state in " + store.root(), ACCOUNT_ID, region, "aws");
    }

    String functionArn(String name) {
        return describe().arn("lambda", "function:" + name);
    }

    @Override
    public StackLock lock(String stackName, Duration timeout) {
        store.ensureRoot();
        return LocalStackLock.acquire(
                store.root().resolve("locks").resolve(stackName + ".lock"), stackName, timeout, progress);
    }

    /** OS file locks die with their holder, so there is never a stale local lock to break. */
    @Override
    public Optional<String> forceUnlock(String stackName) {
        try (StackLock probe = lock(stackName, Duration.ZERO)) {
            return Optional.empty();
        }
    }

    /** Ends the warm execution environments of this command's invocations. */
    @Override
    public void close() {
        runtime.close();
    }

    LocalStateStore store() {
        return store;
    }

    /** Where the adapters say what they are doing (a version kept, say). */
    ProgressListener progress() {
        return progress;
    }

    LocalRuntime runtime() {
        return runtime;
    }

    /** The logs of the invocations, kept for {@code lambdaform logs}. */
    LocalLogStore logs() {
        return logs;
    }

    /** Where asynchronous invocations' records go, in place of their destinations. */
    LocalDestinations destinations() {
        return destinations;
    }

    static LambdaformException refused(String code, String message) {
        return LambdaformException.external("local cloud refused: " + code + ": " + message);
    }

    static String hex(String base64Sha256) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64Sha256));
    }
}
