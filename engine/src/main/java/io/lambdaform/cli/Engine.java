package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Singleton;
import com.google.inject.spi.Message;
import io.lambdaform.LambdaformException;
import io.lambdaform.apply.Applier;
import io.lambdaform.apply.ChangeFlow;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.cloud.aws.AwsCloudModule;
import io.lambdaform.cloud.aws.AwsConfig;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.cloud.local.LocalCloudModule;
import io.lambdaform.importer.Importer;
import io.lambdaform.invoke.PayloadRunner;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.Planning;
import io.lambdaform.resource.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the engine for one target: a child injector with the cloud module the target names. One per command, which
 * closes it at its end ({@link #close}).
 */
@Singleton
public final class Engine {
    static final String DEFAULT_LOCAL_REGION = "us-east-1";

    private final Injector parent;
    private final Console console;
    private final List<Target> connected = new ArrayList<>();

    @Inject
    public Engine(Injector parent, Console console) {
        this.parent = requireNonNull(parent, "parent is null");
        this.console = requireNonNull(console, "console is null");
    }

    /**
     * The engine's services bound to the target the options name, for manifests that belong to {@code root}; this
     * run's progress goes to {@code progress}.
     */
    public Target connect(TargetOptions options, Path root, Optional<String> stackRegion, ProgressListener progress) {
        console.redactor().register(Sensitive.of(options.endpointSecrets()));
        Module cloud = switch (options.target) {
            case local ->
                new LocalCloudModule(
                        new LocalCloudConfig(
                                localState(options, root),
                                options.region().or(() -> stackRegion).orElse(DEFAULT_LOCAL_REGION),
                                console.env("LAMBDAFORM_PYTHON").orElse("python3"),
                                console.env("LAMBDAFORM_NODE").orElse("node")),
                        progress);
            case aws ->
                new AwsCloudModule(
                        apiRate(
                                options,
                                new AwsConfig(
                                        options.region().or(() -> stackRegion),
                                        Optional.ofNullable(options.profile),
                                        Optional.ofNullable(options.endpointUrl),
                                        Optional.ofNullable(options.lockTable).filter(t -> !t.isBlank()),
                                        AwsConfig.Timings.DEFAULT,
                                        List.of(),
                                        AwsConfig.Retries.DEFAULT,
                                        console.environment())),
                        progress);
        };
        Target target = new Target(unwrapped(() -> parent.createChildInjector(cloud)));
        synchronized (connected) {
            connected.add(target);
        }
        return target;
    }

    /** Ends what the targets this command connected to keep running (warm local environments): the command is over. */
    public void close() {
        List<Target> targets;
        synchronized (connected) {
            targets = List.copyOf(connected);
            connected.clear();
        }
        for (Target target : targets) {
            try {
                target.cloud().close();
            } catch (RuntimeException e) {
                // One target that cannot close (or never started) leaves the others to close.
            }
        }
    }

    /**
     * The local cloud's state folder; a note when earlier versions' default (the current folder) holds state that
     * this run will not use.
     */
    private Path localState(TargetOptions options, Path root) {
        Path state = options.stateDir(root, console.environment());
        if (Files.exists(state) && !Files.isDirectory(state)) {
            throw LambdaformException.user("the local cloud's state folder " + state + " is a file, not a folder:"
                    + " give --state-dir (or LAMBDAFORM_STATE_DIR) a folder, new or one Lambdaform made");
        }
        Path legacy = Path.of(".lambdaform").toAbsolutePath().normalize();
        if (options.stateDir == null
                && !legacy.equals(state)
                && !Files.exists(state)
                && Files.exists(legacy.resolve("state.json"))) {
            console.err()
                    .println("note: the local cloud's state is now kept in " + state + " (beside the manifests, not"
                            + " in the current folder); ./.lambdaform holds state of an earlier run: move it there,"
                            + " or pass --state-dir .lambdaform");
        }
        return state;
    }

    /** The config with the rate --max-api-rate asks for, refused unless it is a positive number. */
    private static AwsConfig apiRate(TargetOptions options, AwsConfig config) {
        if (options.maxApiRate == null) {
            return config;
        }
        if (!(options.maxApiRate > 0) || options.maxApiRate.isInfinite()) {
            throw LambdaformException.user(
                    "--max-api-rate must be a positive number of requests per second, not " + options.maxApiRate);
        }
        return config.withApiRate(AwsConfig.ApiRate.atMost(options.maxApiRate));
    }

    /**
     * Runs a Guice call, rethrowing a {@link LambdaformException} that a provider threw (a missing region, say) as
     * itself rather than inside Guice's CreationException or ProvisionException, so it reads as one line.
     */
    static <T> T unwrapped(Supplier<T> call) {
        try {
            return call.get();
        } catch (CreationException e) {
            throw cause(e, e.getErrorMessages());
        } catch (ProvisionException e) {
            throw cause(e, e.getErrorMessages());
        } catch (ConfigurationException e) {
            throw cause(e, e.getErrorMessages());
        }
    }

    private static RuntimeException cause(RuntimeException guice, Collection<Message> messages) {
        for (Message message : messages) {
            for (Throwable t = message.getCause(); t != null && t.getCause() != t; t = t.getCause()) {
                if (t instanceof LambdaformException lambdaform) {
                    return lambdaform;
                }
            }
        }
        return guice;
    }

    /** The services of one connected target. */
    public static final class Target {
        private final Injector injector;

        Target(Injector injector) {
            this.injector = injector;
        }

        public CloudProvider cloud() {
            return unwrapped(() -> injector.getInstance(CloudProvider.class));
        }

        public Planning planner() {
            return unwrapped(() -> injector.getInstance(Planning.class));
        }

        public ChangeFlow changes() {
            return unwrapped(() -> injector.getInstance(ChangeFlow.class));
        }

        public Applier applier() {
            return unwrapped(() -> injector.getInstance(Applier.class));
        }

        public Importer importer() {
            return unwrapped(() -> injector.getInstance(Importer.class));
        }

        public PayloadRunner payloads() {
            return unwrapped(() -> injector.getInstance(PayloadRunner.class));
        }

        /** The target's adapters of the kinds' ports. */
        public Ports ports() {
            return unwrapped(() -> injector.getInstance(Ports.class));
        }

        public FunctionLogs logs() {
            return unwrapped(() -> injector.getInstance(FunctionLogs.class));
        }
    }
}
