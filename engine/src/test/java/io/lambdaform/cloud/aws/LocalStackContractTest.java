package io.lambdaform.cloud.aws;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProviderContract;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The provider contract on LocalStack, where a Docker engine is available (skipped otherwise). The image is pinned to
 * the last tag that needs no auth token.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackContractTest extends CloudProviderContract {
    @Container
    private static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
                    DockerImageName.parse("localstack/localstack:4.14.0"))
            .withServices(
                    LocalStackContainer.Service.LAMBDA,
                    LocalStackContainer.Service.IAM,
                    LocalStackContainer.Service.STS);

    private TestTarget<AwsCloud> cloud;

    @BeforeEach
    void start() {
        URI endpoint = LOCALSTACK.getEndpoint();
        cloud = AwsTestSupport.cloud(endpoint, AwsConfig.Timings.DEFAULT);
    }

    @Override
    protected TestTarget<?> target() {
        return cloud;
    }
}
