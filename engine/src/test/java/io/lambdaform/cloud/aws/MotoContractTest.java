package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.CloudProviderContract;
import org.junit.jupiter.api.BeforeEach;

/** The provider contract on moto, a real HTTP endpoint speaking the AWS protocols. */
class MotoContractTest extends CloudProviderContract {
    private AwsCloud cloud;

    @BeforeEach
    void start() {
        var moto = MotoServer.shared();
        assumeThat(moto).as(MotoServer.whyUnavailable()).isPresent();
        moto.get().reset();
        cloud = AwsTestSupport.cloud(moto.get().endpoint());
    }

    @Override
    protected CloudProvider cloud() {
        return cloud;
    }
}
