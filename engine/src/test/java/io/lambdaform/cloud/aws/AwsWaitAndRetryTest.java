package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.lambda.model.CreateFunctionRequest;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeRequest;

/**
 * Lambda's waits and IAM's eventual consistency, which moto never exhibits, injected with SDK interceptors around
 * real moto calls: the adapter must wait, retry and report, or fail with AWS's reason.
 */
class AwsWaitAndRetryTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    Path dir;

    private URI endpoint;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        endpoint = MotoServer.freshEndpoint();
    }

    private TestTarget<AwsCloud> cloud(ExecutionInterceptor... interceptors) {
        return AwsTestSupport.cloud(endpoint, Optional.empty(), AwsTestSupport.FAST, progress::add, interceptors);
    }

    private NewFunction function(TestTarget<AwsCloud> cloud) {
        RoleState role = cloud.roles()
                .findRole("r")
                .orElseGet(() -> cloud.roles()
                        .createRole(new NewRole("r", "/", "", TRUST, 3600, Optional.empty(), new TreeMap<>())));
        return new NewFunction("f", role.arn(), settings(3), code("v1"), new TreeMap<>());
    }

    private DeploymentPackage code(String version) {
        Path folder = TestFiles.write(dir, version + "/app.py", "def handler(e, c):\n    return '" + version + "'\n")
                .getParent();
        return new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
    }

    private static FunctionSettings settings(int timeout) {
        return FunctionSettings.of("python3.12", "app.handler").withTimeout(timeout);
    }

    @Test
    void createFunction_pendingThenActive_waitsAndReportsTheWait() {
        Faults faults = new Faults();
        faults.pending.set(3);
        TestTarget<AwsCloud> cloud = cloud(faults);

        var created = cloud.functions().createFunction(function(cloud));

        assertThat(created.state()).isEqualTo("Active");
        assertThat(progress)
                .filteredOn(m -> m.contains("State=Pending"))
                .hasSize(3)
                .allSatisfy(m -> assertThat(m).contains("waiting for function f to become Active"));
        assertThat(cloud.cloud().calls().snapshot()).containsEntry("Lambda.GetFunction", 4);
    }

    @Test
    void updateConfiguration_inProgressThenSuccessful_waitsBeforeReturning() {
        TestTarget<AwsCloud> plain = cloud();
        plain.functions().createFunction(function(plain));
        Faults faults = new Faults();
        TestTarget<AwsCloud> cloud = cloud(faults);
        faults.inProgressAfterUpdate.set(2);

        cloud.functions()
                .updateFunctionConfiguration(
                        "f", plain.functions().findFunction("f").orElseThrow().roleArn(), settings(9));

        assertThat(progress)
                .filteredOn(m -> m.contains("LastUpdateStatus=InProgress"))
                .hasSize(2);
        assertThat(cloud.functions().findFunction("f").orElseThrow().settings().timeout())
                .isEqualTo(9);
    }

    @Test
    void createFunction_thatFails_isAnErrorWithLambdasReason() {
        Faults faults = new Faults();
        faults.failed.set(true);
        TestTarget<AwsCloud> cloud = cloud(faults);

        assertThatThrownBy(() -> cloud.functions().createFunction(function(cloud)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("state Failed")
                .hasMessageContaining("InvalidSubnet")
                .hasMessageContaining("subnet subnet-123 does not exist");
    }

    @Test
    void createFunction_whileTheNewRoleIsNotAssumableYet_retriesUntilIamHasPropagated() {
        Faults faults = new Faults();
        faults.roleNotAssumable.set(3);
        TestTarget<AwsCloud> cloud = cloud(faults);

        cloud.functions().createFunction(function(cloud));

        assertThat(progress).filteredOn(m -> m.contains("IAM propagation")).hasSize(3);
        assertThat(cloud.functions().findFunction("f")).isPresent();
    }

    @Test
    void createFunction_whenTheRoleNeverBecomesAssumable_failsClearlyAfterTheDeadline() {
        Faults faults = new Faults();
        faults.roleNotAssumable.set(Integer.MAX_VALUE);
        TestTarget<AwsCloud> cloud = cloud(faults);

        assertThatThrownBy(() -> cloud.functions().createFunction(function(cloud)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("Lambda still cannot assume the execution role")
                .hasMessageContaining("lambda.amazonaws.com");
        assertThat(cloud.functions().findFunction("f")).isEmpty();
    }

    @Test
    void updateCode_whileAnotherUpdateIsInProgress_retriesAfterTheConflict() {
        TestTarget<AwsCloud> plain = cloud();
        plain.functions().createFunction(function(plain));
        Faults faults = new Faults();
        faults.codeConflicts.set(2);
        TestTarget<AwsCloud> cloud = cloud(faults);
        DeploymentPackage v2 = code("v2");

        cloud.functions().updateFunctionCode("f", v2, List.of("x86_64"));

        assertThat(progress)
                .filteredOn(m -> m.contains("another update of the function is in progress"))
                .hasSize(2);
        assertThat(cloud.functions().findFunction("f").orElseThrow().codeSha256())
                .isEqualTo(v2.codeSha256());
    }

    @Test
    void throttledReads_areRetriedByTheSdk_andCounted() {
        TestTarget<AwsCloud> plain = cloud();
        plain.functions().createFunction(function(plain));
        Faults faults = new Faults();
        faults.throttledGetFunction.set(2);
        TestTarget<AwsCloud> cloud = cloud(faults);

        assertThat(cloud.functions().findFunction("f")).isPresent();
        assertThat(cloud.cloud().calls().snapshot()).containsEntry("Lambda.GetFunction", 3);
    }

    /** Injects the responses and errors that real AWS produces and moto does not. */
    static final class Faults implements ExecutionInterceptor {
        final AtomicInteger pending = new AtomicInteger();
        final AtomicInteger inProgressAfterUpdate = new AtomicInteger();
        final AtomicBoolean failed = new AtomicBoolean();
        final AtomicInteger roleNotAssumable = new AtomicInteger();
        final AtomicInteger codeConflicts = new AtomicInteger();
        final AtomicInteger throttledGetFunction = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof CreateFunctionRequest && roleNotAssumable.getAndDecrement() > 0) {
                throw InvalidParameterValueException.builder()
                        .message("The role defined for the function cannot be assumed by Lambda.")
                        .statusCode(400)
                        .build();
            }
            if (context.request() instanceof UpdateFunctionCodeRequest && codeConflicts.getAndDecrement() > 0) {
                throw ResourceConflictException.builder()
                        .message("The operation cannot be performed at this time."
                                + " An update is in progress for resource: f")
                        .statusCode(409)
                        .build();
            }
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (context.response() instanceof CreateFunctionResponse created && (pending.get() > 0 || failed.get())) {
                // As AWS answers: a new function is Pending until it is ready, or failed to become so.
                return created.toBuilder().state(State.PENDING).build();
            }
            if (context.response() instanceof GetFunctionResponse response) {
                var configuration = response.configuration().toBuilder();
                if (failed.get()) {
                    configuration
                            .state(State.FAILED)
                            .stateReasonCode("InvalidSubnet")
                            .stateReason("subnet subnet-123 does not exist");
                } else if (pending.getAndDecrement() > 0) {
                    configuration.state(State.PENDING);
                } else if (inProgressAfterUpdate.getAndDecrement() > 0) {
                    configuration.lastUpdateStatus(LastUpdateStatus.IN_PROGRESS);
                }
                return response.toBuilder().configuration(configuration.build()).build();
            }
            return context.response();
        }

        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetFunctionRequest && throttledGetFunction.getAndDecrement() > 0) {
                return context.httpResponse().toBuilder()
                        .statusCode(429)
                        .putHeader("x-amzn-ErrorType", "TooManyRequestsException")
                        .build();
            }
            return context.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(
                Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (context.httpResponse().statusCode() == 429) {
                return Optional.of(new ByteArrayInputStream(("{\"Type\":\"User\",\"message\":\"Rate exceeded\","
                                + "\"Reason\":\"CallerRateLimitExceeded\"}")
                        .getBytes(StandardCharsets.UTF_8)));
            }
            return context.responseBody();
        }
    }
}
