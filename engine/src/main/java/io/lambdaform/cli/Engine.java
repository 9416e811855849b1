package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Injector;
import com.google.inject.Module;
import io.lambdaform.apply.Applier;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.aws.AwsCloudModule;
import io.lambdaform.cloud.aws.AwsConfig;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.cloud.local.LocalCloudModule;
import io.lambdaform.invoke.PayloadRunner;
import io.lambdaform.plan.Planner;
import com.google.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Builds the engine for one target: a child injector with the cloud module the target names. */
public final class Engine {
    static final String DEFAULT_LOCAL_REGION = "us-east-1";

    private final Injector parent;
    private final Console console;

    @Inject
    public Engine(Injector parent, Console console) {
        this.parent = requireNonNull(parent, "parent is null");
        this.console = requireNonNull(console, "console is null");
    }

    /** The engine's services bound to the target the options name. */
    public Target connect(TargetOptions options, Optional<String> stackRegion) {
        Module cloud = switch (options.target) {
            case local -> new LocalCloudModule(new LocalCloudConfig(options.stateDir.toAbsolutePath().normalize(),
                    options.region().or(() -> stackRegion).orElse(DEFAULT_LOCAL_REGION),
                    console.env("LAMBDAFORM_PYTHON").orElse("python3"), console.env("LAMBDAFORM_NODE").orElse("node")));
            case aws -> new AwsCloudModule(new AwsConfig(options.region().or(() -> stackRegion),
                    Optional.ofNullable(options.profile), Optional.ofNullable(options.endpointUrl),
                    Optional.ofNullable(options.lockTable).filter(t -> !t.isBlank()), AwsConfig.Timings.DEFAULT,
                    List.of()));
        };
        return new Target(parent.createChildInjector(cloud));
    }

    /** The services of one connected target. */
    public static final class Target {
        private final Injector injector;

        Target(Injector injector) {
            this.injector = injector;
        }

        public CloudProvider cloud() {
            return injector.getInstance(CloudProvider.class);
        }

        public Planner planner() {
            return injector.getInstance(Planner.class);
        }

        public Applier applier() {
            return injector.getInstance(Applier.class);
        }

        public PayloadRunner payloads() {
            return injector.getInstance(PayloadRunner.class);
        }
    }
}
