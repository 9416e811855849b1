package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProviderContract;
import org.junit.jupiter.api.BeforeEach;

/** The provider contract on moto, a real HTTP endpoint speaking the AWS protocols. */
class MotoContractTest extends CloudProviderContract {
    private TestTarget<AwsCloud> cloud;

    @BeforeEach
    void start() {
        var moto = MotoServer.shared();
        assumeThat(moto).as(MotoServer.whyUnavailable()).isPresent();
        moto.get().reset();
        cloud = AwsTestSupport.cloud(moto.get().endpoint());
    }

    @Override
    protected TestTarget<?> target() {
        return cloud;
    }
}
