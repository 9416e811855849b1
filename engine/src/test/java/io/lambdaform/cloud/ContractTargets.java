package io.lambdaform.cloud;

import com.google.inject.Guice;
import io.lambdaform.Interruption;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.aws.AwsCloudModule;
import io.lambdaform.cloud.aws.AwsConfig;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The targets a kind's port contract runs on, by name, for parameterized tests: the local cloud, and moto (skipped,
 * or with CI=true failing, where moto cannot run), each empty when the test starts.
 */
public final class ContractTargets {
    public static final String LOCAL = "local";
    public static final String MOTO = "moto";

    private ContractTargets() {}

    /** The names of the targets, as a parameterized test's source. */
    public static Stream<String> names() {
        return Stream.of(LOCAL, MOTO);
    }

    /** An empty target of that name, in {@code region}; the local cloud keeps its state under {@code work}. */
    public static TestTarget<?> empty(String name, Path work, String region, ProgressListener progress) {
        if (name.equals(LOCAL)) {
            return TestTarget.local(
                    new LocalCloud(new LocalCloudConfig(work.resolve("state"), region), progress, new Interruption()));
        }
        return aws(MotoServer.freshEndpoint(), region, progress);
    }

    /** A target on the AWS endpoint {@code endpoint} (moto, or a proxy in front of it), in {@code region}. */
    public static TestTarget<?> aws(URI endpoint, String region, ProgressListener progress) {
        AwsTestSupport.init();
        AwsConfig config = new AwsConfig(
                Optional.of(region),
                Optional.empty(),
                Optional.of(endpoint),
                Optional.empty(),
                AwsTestSupport.FAST,
                List.of(),
                AwsTestSupport.FAST_RETRIES,
                Map.of());
        return TestTarget.of(Guice.createInjector(new AwsCloudModule(config, progress)), CloudProvider.class);
    }
}
