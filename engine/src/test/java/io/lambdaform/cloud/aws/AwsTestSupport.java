package io.lambdaform.cloud.aws;

import com.google.inject.Guice;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** Builds AWS providers for tests the way the CLI does: through the Guice module. */
public final class AwsTestSupport {
    /** Fast polls for emulators, which never keep a function Pending for long. */
    public static final AwsConfig.Timings FAST = new AwsConfig.Timings(
            Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(2));
    /** Short pauses between retries: against moto a retry never needs to wait for anything. */
    public static final AwsConfig.Retries FAST_RETRIES = new AwsConfig.Retries(
            10, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(60));

    static {
        // Never use a developer's real credentials against an emulator: system properties come first in the chain.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    private AwsTestSupport() {}

    public static TestTarget<AwsCloud> cloud(URI endpoint, ExecutionInterceptor... interceptors) {
        return cloud(endpoint, FAST, interceptors);
    }

    public static TestTarget<AwsCloud> cloud(
            URI endpoint, AwsConfig.Timings timings, ExecutionInterceptor... interceptors) {
        return cloud(endpoint, Optional.empty(), timings, interceptors);
    }

    public static TestTarget<AwsCloud> cloud(
            URI endpoint, Optional<String> lockTable, AwsConfig.Timings timings, ExecutionInterceptor... interceptors) {
        return cloud(endpoint, lockTable, timings, ProgressListener.NONE, interceptors);
    }

    /** A provider whose waits and retries are reported to {@code progress}. */
    public static TestTarget<AwsCloud> cloud(
            URI endpoint,
            Optional<String> lockTable,
            AwsConfig.Timings timings,
            ProgressListener progress,
            ExecutionInterceptor... interceptors) {
        AwsConfig config = new AwsConfig(
                Optional.of("us-east-1"),
                Optional.empty(),
                Optional.of(endpoint),
                lockTable,
                timings,
                List.of(interceptors),
                FAST_RETRIES,
                Map.of());
        return TestTarget.of(Guice.createInjector(new AwsCloudModule(config, progress)), AwsCloud.class);
    }

    /** Makes sure the credentials properties are set before any client is built. */
    public static void init() {}
}
