package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

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
        Optional<String> snapStartApplyOn) {

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
    }

    /** Network settings; empty lists detach the function from any VPC. */
    public FunctionSettings withArchitectures(List<String> newArchitectures) {
        return new FunctionSettings(
                runtime,
                handler,
                description,
                memorySize,
                timeout,
                environment,
                newArchitectures,
                ephemeralStorageSize,
                layers,
                tracingMode,
                kmsKeyArn,
                deadLetterTargetArn,
                vpcConfig,
                loggingConfig,
                fileSystemConfigs,
                snapStartApplyOn);
    }

    /**
     * These settings applied over {@code current} as Lambda's UpdateFunctionConfiguration does: optional settings left
     * unset keep their current value, and the architectures (which change only with the code) stay as they are.
     */
    public FunctionSettings appliedTo(FunctionSettings current) {
        return new FunctionSettings(
                runtime,
                handler,
                description,
                memorySize,
                timeout,
                environment,
                current.architectures,
                ephemeralStorageSize,
                layers,
                tracingMode.or(current::tracingMode),
                kmsKeyArn.or(current::kmsKeyArn),
                deadLetterTargetArn.or(current::deadLetterTargetArn),
                vpcConfig.or(current::vpcConfig),
                loggingConfig.or(current::loggingConfig),
                fileSystemConfigs.or(current::fileSystemConfigs),
                snapStartApplyOn.or(current::snapStartApplyOn));
    }

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

    /** An Amazon EFS access point mounted into the function. */
    public record FileSystemConfig(String arn, String localMountPath) {
        public FileSystemConfig {
            requireNonNull(arn, "arn is null");
            requireNonNull(localMountPath, "localMountPath is null");
        }
    }
}
