package io.lambdaform.cloud.aws;

import com.google.inject.Guice;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProviderContract;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The provider contract on a target named by the environment: a sandbox AWS account (credentials from the usual
 * chain) or any AWS-compatible endpoint. See docs/testing.md. Never point it at an account that matters: it creates
 * and deletes functions and roles with fixed test names.
 */
@EnabledIfEnvironmentVariable(named = "LAMBDAFORM_CONTRACT_REGION", matches = ".+")
class EndpointContractTest extends CloudProviderContract {
    private TestTarget<AwsCloud> cloud;

    @BeforeEach
    void start() {
        Optional<URI> endpoint = Optional.ofNullable(System.getenv("LAMBDAFORM_CONTRACT_ENDPOINT"))
                .filter(e -> !e.isBlank())
                .map(URI::create);
        AwsConfig config = new AwsConfig(
                Optional.of(System.getenv("LAMBDAFORM_CONTRACT_REGION")),
                Optional.ofNullable(System.getenv("LAMBDAFORM_CONTRACT_PROFILE")),
                endpoint,
                Optional.empty(),
                AwsConfig.Timings.DEFAULT,
                List.of());
        cloud = TestTarget.of(Guice.createInjector(new AwsCloudModule(config)), AwsCloud.class);
    }

    @AfterEach
    void cleanUp() {
        deleteTestResources();
    }

    @Override
    protected TestTarget<?> target() {
        return cloud;
    }
}
