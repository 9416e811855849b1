package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The configuration of a function other than its name, code and role, named after Lambda's CreateFunction API.
 * Settings that are {@code Optional} are managed only when the manifest sets them; the others always have a value
 * (the manifest's, or Lambda's default).
 */
public record FunctionSettings(
        String runtime,
        String handler,
        String description,
        int memorySize,
        int timeout,
        SortedMap<String, String> environment,
        List<String> architectures,
        int ephemeralStorageSize,
        List<String> layers,
        Optional<String> tracingMode,
        Optional<String> kmsKeyArn,
        Optional<String> deadLetterTargetArn,
        Optional<VpcConfig> vpcConfig,
        Optional<LoggingConfig> loggingConfig,
        Optional<List<FileSystemConfig>> fileSystemConfigs,
        Optional<String> snapStartApplyOn,
        Optional<ImageConfig> imageConfig,
        Optional<Integer> reservedConcurrency,
        Optional<AsyncInvokeConfig> asyncInvoke,
        Optional<String> recursiveLoop,
        Optional<RuntimeManagement> runtimeManagement) {

    public static final int DEFAULT_MEMORY_SIZE = 128;
    public static final int DEFAULT_TIMEOUT = 3;
    public static final int DEFAULT_EPHEMERAL_STORAGE = 512;
    public static final List<String> DEFAULT_ARCHITECTURES = List.of("x86_64");

    public FunctionSettings {
        requireNonNull(runtime, "runtime is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(description, "description is null");
        environment = Collections2.sortedCopy(environment);
        architectures = List.copyOf(architectures);
        layers = List.copyOf(layers);
        requireNonNull(tracingMode, "tracingMode is null");
        requireNonNull(kmsKeyArn, "kmsKeyArn is null");
        requireNonNull(deadLetterTargetArn, "deadLetterTargetArn is null");
        requireNonNull(vpcConfig, "vpcConfig is null");
        requireNonNull(loggingConfig, "loggingConfig is null");
        fileSystemConfigs = fileSystemConfigs.map(List::copyOf);
        requireNonNull(snapStartApplyOn, "snapStartApplyOn is null");
        // A record of the local cloud written before image functions existed has none.
        imageConfig = imageConfig == null ? Optional.empty() : imageConfig;
        // Nor one written before reserved concurrency and asynchronous invocation.
        reservedConcurrency = reservedConcurrency == null ? Optional.empty() : reservedConcurrency;
        asyncInvoke = asyncInvoke == null ? Optional.empty() : asyncInvoke;
        // Nor one written before recursion control and runtime management.
        recursiveLoop = recursiveLoop == null ? Optional.empty() : recursiveLoop;
        runtimeManagement = runtimeManagement == null ? Optional.empty() : runtimeManagement;
    }

    /**
     * The settings without the controls Lambda keeps apart from the configuration (reserved concurrency,
     * asynchronous invocation, recursion control, runtime management), as GetFunction's configuration gives them.
     */
    public FunctionSettings(
            String runtime,
            String handler,
            String description,
            int memorySize,
            int timeout,
            SortedMap<String, String> environment,
            List<String> architectures,
            int ephemeralStorageSize,
            List<String> layers,
            Optional<String> tracingMode,
            Optional<String> kmsKeyArn,
            Optional<String> deadLetterTargetArn,
            Optional<VpcConfig> vpcConfig,
            Optional<LoggingConfig> loggingConfig,
            Optional<List<FileSystemConfig>> fileSystemConfigs,
            Optional<String> snapStartApplyOn,
            Optional<ImageConfig> imageConfig) {
        this(
                runtime,
                handler,
                description,
                memorySize,
                timeout,
                environment,
                architectures,
                ephemeralStorageSize,
                layers,
                tracingMode,
                kmsKeyArn,
                deadLetterTargetArn,
                vpcConfig,
                loggingConfig,
                fileSystemConfigs,
                snapStartApplyOn,
                imageConfig,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /** The settings of a function before image functions: no image configuration. */
    public FunctionSettings(
            String runtime,
            String handler,
            String description,
            int memorySize,
            int timeout,
            SortedMap<String, String> environment,
            List<String> architectures,
            int ephemeralStorageSize,
            List<String> layers,
            Optional<String> tracingMode,
            Optional<String> kmsKeyArn,
            Optional<String> deadLetterTargetArn,
            Optional<VpcConfig> vpcConfig,
            Optional<LoggingConfig> loggingConfig,
            Optional<List<FileSystemConfig>> fileSystemConfigs,
            Optional<String> snapStartApplyOn) {
        this(
                runtime,
                handler,
                description,
                memorySize,
                timeout,
                environment,
                architectures,
                ephemeralStorageSize,
                layers,
                tracingMode,
                kmsKeyArn,
                deadLetterTargetArn,
                vpcConfig,
                loggingConfig,
                fileSystemConfigs,
                snapStartApplyOn,
                Optional.empty());
    }

    /** The settings Lambda gives a function that names only its runtime and handler. */
    public static FunctionSettings of(String runtime, String handler) {
        Builder builder = new Builder();
        builder.runtime = runtime;
        builder.handler = handler;
        return builder.build();
    }

    public FunctionSettings withDescription(String newDescription) {
        return with(b -> b.description = newDescription);
    }

    public FunctionSettings withMemorySize(int newMemorySize) {
        return with(b -> b.memorySize = newMemorySize);
    }

    public FunctionSettings withTimeout(int newTimeout) {
        return with(b -> b.timeout = newTimeout);
    }

    public FunctionSettings withEnvironment(Map<String, String> newEnvironment) {
        return with(b -> b.environment = new TreeMap<>(newEnvironment));
    }

    /**
     * These settings with {@code other}'s controls: reserved concurrency, asynchronous invocation, recursion control
     * and runtime management, which Lambda keeps apart from the configuration, each set through an API of its own.
     */
    public FunctionSettings withControlsOf(FunctionSettings other) {
        return with(b -> {
            b.reservedConcurrency = other.reservedConcurrency;
            b.asyncInvoke = other.asyncInvoke;
            b.recursiveLoop = other.recursiveLoop;
            b.runtimeManagement = other.runtimeManagement;
        });
    }

    /** These settings with none of the controls (what CreateFunction leaves to the calls after it). */
    public FunctionSettings withoutControls() {
        return withControlsOf(of(runtime, handler));
    }

    public FunctionSettings withReservedConcurrency(Optional<Integer> newReserved) {
        return with(b -> b.reservedConcurrency = newReserved);
    }

    public FunctionSettings withAsyncInvoke(Optional<AsyncInvokeConfig> newAsync) {
        return with(b -> b.asyncInvoke = newAsync);
    }

    public FunctionSettings withRecursiveLoop(Optional<String> newRecursiveLoop) {
        return with(b -> b.recursiveLoop = newRecursiveLoop);
    }

    public FunctionSettings withRuntimeManagement(Optional<RuntimeManagement> newRuntimeManagement) {
        return with(b -> b.runtimeManagement = newRuntimeManagement);
    }

    public FunctionSettings withLoggingConfig(Optional<LoggingConfig> newLoggingConfig) {
        return with(b -> b.loggingConfig = newLoggingConfig);
    }

    public FunctionSettings withLayers(List<String> newLayers) {
        return with(b -> b.layers = newLayers);
    }

    public FunctionSettings withArchitectures(List<String> newArchitectures) {
        return with(b -> b.architectures = newArchitectures);
    }

    /**
     * These settings applied over {@code current} as Lambda's UpdateFunctionConfiguration does: optional settings left
     * unset keep their current value, and the architectures (which change only with the code) stay as they are.
     */
    public FunctionSettings appliedTo(FunctionSettings current) {
        return with(b -> {
            b.architectures = current.architectures;
            b.tracingMode = tracingMode.or(current::tracingMode);
            b.kmsKeyArn = kmsKeyArn.or(current::kmsKeyArn);
            b.deadLetterTargetArn = deadLetterTargetArn.or(current::deadLetterTargetArn);
            b.vpcConfig = vpcConfig.or(current::vpcConfig);
            b.loggingConfig = loggingConfig.or(current::loggingConfig);
            b.fileSystemConfigs = fileSystemConfigs.or(current::fileSystemConfigs);
            b.snapStartApplyOn = snapStartApplyOn.or(current::snapStartApplyOn);
            b.imageConfig = imageConfig.or(current::imageConfig);
            b.reservedConcurrency = reservedConcurrency.or(current::reservedConcurrency);
            b.asyncInvoke = asyncInvoke.or(current::asyncInvoke);
            b.recursiveLoop = recursiveLoop.or(current::recursiveLoop);
            b.runtimeManagement = runtimeManagement.or(current::runtimeManagement);
        });
    }

    /** A copy with what {@code change} sets on a builder that starts from these settings. */
    private FunctionSettings with(Consumer<Builder> change) {
        Builder builder = new Builder(this);
        change.accept(builder);
        return builder.build();
    }

    /** The one place that lists every setting, so that copies name only what they change. */
    private static final class Builder {
        private String runtime;
        private String handler;
        private String description = "";
        private int memorySize = DEFAULT_MEMORY_SIZE;
        private int timeout = DEFAULT_TIMEOUT;
        private SortedMap<String, String> environment = new TreeMap<>();
        private List<String> architectures = DEFAULT_ARCHITECTURES;
        private int ephemeralStorageSize = DEFAULT_EPHEMERAL_STORAGE;
        private List<String> layers = List.of();
        private Optional<String> tracingMode = Optional.empty();
        private Optional<String> kmsKeyArn = Optional.empty();
        private Optional<String> deadLetterTargetArn = Optional.empty();
        private Optional<VpcConfig> vpcConfig = Optional.empty();
        private Optional<LoggingConfig> loggingConfig = Optional.empty();
        private Optional<List<FileSystemConfig>> fileSystemConfigs = Optional.empty();
        private Optional<String> snapStartApplyOn = Optional.empty();
        private Optional<ImageConfig> imageConfig = Optional.empty();
        private Optional<Integer> reservedConcurrency = Optional.empty();
        private Optional<AsyncInvokeConfig> asyncInvoke = Optional.empty();
        private Optional<String> recursiveLoop = Optional.empty();
        private Optional<RuntimeManagement> runtimeManagement = Optional.empty();

        private Builder() {}

        private Builder(FunctionSettings s) {
            runtime = s.runtime;
            handler = s.handler;
            description = s.description;
            memorySize = s.memorySize;
            timeout = s.timeout;
            environment = s.environment;
            architectures = s.architectures;
            ephemeralStorageSize = s.ephemeralStorageSize;
            layers = s.layers;
            tracingMode = s.tracingMode;
            kmsKeyArn = s.kmsKeyArn;
            deadLetterTargetArn = s.deadLetterTargetArn;
            vpcConfig = s.vpcConfig;
            loggingConfig = s.loggingConfig;
            fileSystemConfigs = s.fileSystemConfigs;
            snapStartApplyOn = s.snapStartApplyOn;
            imageConfig = s.imageConfig;
            reservedConcurrency = s.reservedConcurrency;
            asyncInvoke = s.asyncInvoke;
            recursiveLoop = s.recursiveLoop;
            runtimeManagement = s.runtimeManagement;
        }

        private FunctionSettings build() {
            return new FunctionSettings(
                    runtime,
                    handler,
                    description,
                    memorySize,
                    timeout,
                    environment,
                    architectures,
                    ephemeralStorageSize,
                    layers,
                    tracingMode,
                    kmsKeyArn,
                    deadLetterTargetArn,
                    vpcConfig,
                    loggingConfig,
                    fileSystemConfigs,
                    snapStartApplyOn,
                    imageConfig,
                    reservedConcurrency,
                    asyncInvoke,
                    recursiveLoop,
                    runtimeManagement);
        }
    }

    /** Network settings; empty lists detach the function from any VPC. */
    public record VpcConfig(List<String> subnetIds, List<String> securityGroupIds, boolean ipv6AllowedForDualStack) {
        public VpcConfig {
            subnetIds = subnetIds.stream().sorted().toList();
            securityGroupIds = securityGroupIds.stream().sorted().toList();
        }
    }

    /** Where and how the function's logs go. */
    public record LoggingConfig(
            String logFormat,
            Optional<String> applicationLogLevel,
            Optional<String> systemLogLevel,
            Optional<String> logGroup) {
        public LoggingConfig {
            requireNonNull(logFormat, "logFormat is null");
            requireNonNull(applicationLogLevel, "applicationLogLevel is null");
            requireNonNull(systemLogLevel, "systemLogLevel is null");
            requireNonNull(logGroup, "logGroup is null");
        }
    }

    /**
     * What overrides a container image's CMD, ENTRYPOINT and WORKDIR (Lambda's ImageConfig); empty lists leave the
     * image's own.
     */
    public record ImageConfig(List<String> command, List<String> entryPoint, Optional<String> workingDirectory) {
        public ImageConfig {
            command = List.copyOf(command);
            entryPoint = List.copyOf(entryPoint);
            requireNonNull(workingDirectory, "workingDirectory is null");
        }
    }

    /** An Amazon EFS access point mounted into the function. */
    public record FileSystemConfig(String arn, String localMountPath) {
        public FileSystemConfig {
            requireNonNull(arn, "arn is null");
            requireNonNull(localMountPath, "localMountPath is null");
        }
    }

    /**
     * What Lambda does with an asynchronous invocation (PutFunctionEventInvokeConfig): how often it retries a failed
     * one, how old an event may get, and where it sends the outcome. Unset parts are Lambda's defaults.
     */
    public record AsyncInvokeConfig(
            Optional<Integer> maximumRetryAttempts,
            Optional<Integer> maximumEventAgeInSeconds,
            Optional<String> onSuccess,
            Optional<String> onFailure) {
        public AsyncInvokeConfig {
            requireNonNull(maximumRetryAttempts, "maximumRetryAttempts is null");
            requireNonNull(maximumEventAgeInSeconds, "maximumEventAgeInSeconds is null");
            requireNonNull(onSuccess, "onSuccess is null");
            requireNonNull(onFailure, "onFailure is null");
        }
    }

    /**
     * When Lambda moves the function to a new version of its runtime (PutRuntimeManagementConfig): {@code Auto},
     * {@code FunctionUpdate}, or {@code Manual} with the runtime version it stays on.
     */
    public record RuntimeManagement(String updateRuntimeOn, Optional<String> runtimeVersionArn) {
        public RuntimeManagement {
            requireNonNull(updateRuntimeOn, "updateRuntimeOn is null");
            requireNonNull(runtimeVersionArn, "runtimeVersionArn is null");
        }
    }
}
