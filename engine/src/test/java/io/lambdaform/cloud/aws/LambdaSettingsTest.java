package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.resource.DeploymentPackage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionConfigurationRequest;

/** CreateFunction and UpdateFunctionConfiguration carry the same settings, from one mapping. */
class LambdaSettingsTest {
    /** Fields CreateFunction sets that UpdateFunctionConfiguration does not. */
    private static final Set<String> CREATE_ONLY = Set.of("Architectures", "PackageType", "Publish", "Code", "Tags");

    @Test
    void create_carriesEveryFieldOfTheConfigurationUpdate_whenEverySettingIsGiven() {
        FunctionSettings settings = new FunctionSettings(
                "python3.99",
                "app.handler",
                "hello",
                256,
                9,
                new TreeMap<>(Map.of("A", "1")),
                List.of("arm64"),
                1024,
                List.of("arn:aws:lambda:us-east-1:123456789012:layer:l:1"),
                Optional.of("Active"),
                Optional.of("arn:aws:kms:us-east-1:123456789012:key/k"),
                Optional.of("arn:aws:sqs:us-east-1:123456789012:dlq"),
                Optional.of(new FunctionSettings.VpcConfig(List.of("subnet-1"), List.of("sg-1"), true)),
                Optional.of(new FunctionSettings.LoggingConfig(
                        "JSON", Optional.of("INFO"), Optional.of("WARN"), Optional.of("/aws/lambda/g"))),
                Optional.of(List.of(new FunctionSettings.FileSystemConfig(
                        "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-1", "/mnt/efs"))),
                Optional.of("PublishedVersions"));

        UpdateFunctionConfigurationRequest update = LambdaSettings.configuration("f", "arn:role", settings);
        CreateFunctionRequest create = LambdaSettings.create(function(settings));

        Map<String, Object> updateFields = setFields(update.sdkFields(), update::getValueForField);
        assertThat(updateFields)
                .containsKeys(
                        "Runtime",
                        "TracingConfig",
                        "KMSKeyArn",
                        "DeadLetterConfig",
                        "VpcConfig",
                        "LoggingConfig",
                        "FileSystemConfigs",
                        "SnapStart");
        assertThat(update.runtimeAsString()).isEqualTo("python3.99");
        Map<String, Object> createFields = setFields(create.sdkFields(), create::getValueForField);
        assertThat(createFields.keySet()).containsAll(CREATE_ONLY);
        createFields.keySet().removeAll(CREATE_ONLY);
        assertThat(createFields).isEqualTo(updateFields);
        assertThat(create.architecturesAsStrings()).containsExactly("arm64");
    }

    @Test
    void create_setsNoOptionalField_whenNoOptionalSettingIsGiven() {
        FunctionSettings settings = FunctionSettings.of("python3.12", "app.handler");

        UpdateFunctionConfigurationRequest update = LambdaSettings.configuration("f", "arn:role", settings);
        CreateFunctionRequest create = LambdaSettings.create(function(settings));

        Map<String, Object> createFields = setFields(create.sdkFields(), create::getValueForField);
        createFields.keySet().removeAll(CREATE_ONLY);
        assertThat(createFields).isEqualTo(setFields(update.sdkFields(), update::getValueForField));
        assertThat(createFields)
                .doesNotContainKeys(
                        "TracingConfig",
                        "KMSKeyArn",
                        "DeadLetterConfig",
                        "VpcConfig",
                        "LoggingConfig",
                        "FileSystemConfigs",
                        "SnapStart");
        assertThat(create.hasFileSystemConfigs()).isFalse();
    }

    private static NewFunction function(FunctionSettings settings) {
        return new NewFunction(
                "f",
                "arn:role",
                settings,
                new DeploymentPackage(new byte[] {1, 2}, "sha", "source", 2),
                new TreeMap<>(Map.of("lambdaform:stack", "s")));
    }

    /** The fields a request would send: set, and not an empty list or map the SDK made up. */
    private static Map<String, Object> setFields(
            List<SdkField<?>> fields, BiFunction<String, Class<Object>, Optional<Object>> get) {
        return fields.stream()
                .filter(f -> get.apply(f.memberName(), Object.class)
                        .filter(v -> !(v instanceof SdkAutoConstructList) && !(v instanceof SdkAutoConstructMap))
                        .isPresent())
                .collect(Collectors.toMap(
                        SdkField::memberName,
                        f -> get.apply(f.memberName(), Object.class).orElseThrow(),
                        (a, b) -> a,
                        TreeMap::new));
    }
}
