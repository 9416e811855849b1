package io.lambdaform.cloud.local;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.TriggersContract;
import java.util.List;
import java.util.Optional;

/** The {@link io.lambdaform.kinds.trigger.Triggers} port's contract on the local cloud. */
class LocalTriggersContractTest extends TriggersContract {
    @Override
    protected TestTarget<?> run() {
        return TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "us-east-1")));
    }

    @Override
    protected List<String> policySids(String function, Optional<String> qualifier) {
        LocalCloud cloud = new LocalCloud(new LocalCloudConfig(work.resolve("state"), "us-east-1"));
        return cloud.store().read().all(LocalTriggers.PERMISSIONS).values().stream()
                .filter(p -> p.function().equals(function) && p.qualifier().equals(qualifier))
                .map(p -> p.statement().sid())
                .toList();
    }
}
