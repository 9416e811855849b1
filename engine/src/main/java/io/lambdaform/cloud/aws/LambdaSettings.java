package io.lambdaform.cloud.aws;

import io.lambdaform.kinds.function.FunctionPackage;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.NewFunction;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.DeadLetterConfig;
import software.amazon.awssdk.services.lambda.model.DestinationConfig;
import software.amazon.awssdk.services.lambda.model.Environment;
import software.amazon.awssdk.services.lambda.model.EphemeralStorage;
import software.amazon.awssdk.services.lambda.model.FileSystemConfig;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.ImageConfig;
import software.amazon.awssdk.services.lambda.model.LoggingConfig;
import software.amazon.awssdk.services.lambda.model.OnFailure;
import software.amazon.awssdk.services.lambda.model.OnSuccess;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.PutFunctionEventInvokeConfigRequest;
import software.amazon.awssdk.services.lambda.model.SnapStart;
import software.amazon.awssdk.services.lambda.model.TracingConfig;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.VpcConfig;

/**
 * The one mapping of a function's settings and execution role to Lambda's request: UpdateFunctionConfiguration's is
 * built from them, and CreateFunction's copies it and adds what only a create sets (code, architectures, tags).
 */
final class LambdaSettings {
    /** PutFunctionEventInvokeConfig of $LATEST: what {@code async} leaves unset is Lambda's default. */
    static PutFunctionEventInvokeConfigRequest eventInvokeConfig(
            String name, FunctionSettings.AsyncInvokeConfig async) {
        DestinationConfig.Builder destinations = DestinationConfig.builder();
        async.onSuccess()
                .ifPresent(arn -> destinations.onSuccess(
                        OnSuccess.builder().destination(arn).build()));
        async.onFailure()
                .ifPresent(arn -> destinations.onFailure(
                        OnFailure.builder().destination(arn).build()));
        PutFunctionEventInvokeConfigRequest.Builder request = PutFunctionEventInvokeConfigRequest.builder()
                .functionName(name)
                .destinationConfig(destinations.build());
        async.maximumRetryAttempts().ifPresent(request::maximumRetryAttempts);
        async.maximumEventAgeInSeconds().ifPresent(request::maximumEventAgeInSeconds);
        return request.build();
    }

    private LambdaSettings() {}

    static UpdateFunctionConfigurationRequest configuration(String name, String roleArn, FunctionSettings s) {
        UpdateFunctionConfigurationRequest.Builder r = UpdateFunctionConfigurationRequest.builder()
                .functionName(name)
                .role(roleArn)
                .description(s.description())
                .memorySize(s.memorySize())
                .timeout(s.timeout())
                .environment(Environment.builder().variables(s.environment()).build())
                .ephemeralStorage(EphemeralStorage.builder()
                        .size(s.ephemeralStorageSize())
                        .build());
        // A function that runs an image has the image's runtime and handler, and no layer: none is sent.
        if (!s.runtime().isEmpty()) {
            r.runtime(s.runtime()).handler(s.handler()).layers(s.layers());
        }
        s.imageConfig()
                .ifPresent(i -> r.imageConfig(ImageConfig.builder()
                        .command(i.command())
                        .entryPoint(i.entryPoint())
                        .workingDirectory(i.workingDirectory().orElse(null))
                        .build()));
        s.tracingMode()
                .ifPresent(m -> r.tracingConfig(TracingConfig.builder().mode(m).build()));
        s.kmsKeyArn().ifPresent(r::kmsKeyArn);
        s.deadLetterTargetArn()
                .ifPresent(t -> r.deadLetterConfig(
                        DeadLetterConfig.builder().targetArn(t).build()));
        s.vpcConfig().ifPresent(v -> r.vpcConfig(vpc(v)));
        s.loggingConfig().ifPresent(l -> r.loggingConfig(logging(l)));
        s.fileSystemConfigs().ifPresent(f -> r.fileSystemConfigs(fileSystems(f)));
        s.snapStartApplyOn()
                .ifPresent(a -> r.snapStart(SnapStart.builder().applyOn(a).build()));
        return r.build();
    }

    static CreateFunctionRequest create(NewFunction function) {
        UpdateFunctionConfigurationRequest c = configuration(function.name(), function.roleArn(), function.settings());
        return CreateFunctionRequest.builder()
                .functionName(c.functionName())
                .role(c.role())
                .runtime(c.runtimeAsString())
                .handler(c.handler())
                .description(c.description())
                .memorySize(c.memorySize())
                .timeout(c.timeout())
                .environment(c.environment())
                .ephemeralStorage(c.ephemeralStorage())
                .layers(c.layers())
                .tracingConfig(c.tracingConfig())
                .kmsKeyArn(c.kmsKeyArn())
                .deadLetterConfig(c.deadLetterConfig())
                .vpcConfig(c.vpcConfig())
                .loggingConfig(c.loggingConfig())
                .fileSystemConfigs(c.fileSystemConfigs())
                .snapStart(c.snapStart())
                .imageConfig(c.imageConfig())
                .architecturesWithStrings(function.settings().architectures())
                .packageType(function.code() instanceof FunctionPackage.Image ? PackageType.IMAGE : PackageType.ZIP)
                .publish(false)
                .code(code(function.code()))
                .tags(function.tags())
                .build();
    }

    /** The image, or the zip in the request, or the object of the code bucket where it is staged. */
    private static FunctionCode code(FunctionPackage code) {
        FunctionCode.Builder builder = FunctionCode.builder();
        if (code instanceof FunctionPackage.Image image) {
            return builder.imageUri(image.uri()).build();
        }
        FunctionPackage.Zip zip = (FunctionPackage.Zip) code;
        zip.staging()
                .ifPresentOrElse(
                        s -> builder.s3Bucket(s.bucket()).s3Key(s.key()),
                        () -> builder.zipFile(SdkBytes.fromByteArray(zip.pkg().zip())));
        return builder.build();
    }

    private static VpcConfig vpc(FunctionSettings.VpcConfig v) {
        return VpcConfig.builder()
                .subnetIds(v.subnetIds())
                .securityGroupIds(v.securityGroupIds())
                .ipv6AllowedForDualStack(v.ipv6AllowedForDualStack())
                .build();
    }

    private static LoggingConfig logging(FunctionSettings.LoggingConfig l) {
        LoggingConfig.Builder builder = LoggingConfig.builder().logFormat(l.logFormat());
        l.applicationLogLevel().ifPresent(builder::applicationLogLevel);
        l.systemLogLevel().ifPresent(builder::systemLogLevel);
        l.logGroup().ifPresent(builder::logGroup);
        return builder.build();
    }

    private static List<FileSystemConfig> fileSystems(List<FunctionSettings.FileSystemConfig> configs) {
        return configs.stream()
                .map(c -> FileSystemConfig.builder()
                        .arn(c.arn())
                        .localMountPath(c.localMountPath())
                        .build())
                .toList();
    }
}
