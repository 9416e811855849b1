package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a user sees when AWS says no, or cannot be reached: one clear message with the request id, never a trace. */
class AwsErrorReportingTest {
    private URI endpoint;

    @BeforeEach
    void setUp() {
        endpoint = MotoServer.freshEndpoint();
    }

    @Test
    void rejectedCredentials_sayWhatToCheck_andKeepTheRequestId() {
        TestTarget<AwsCloud> cloud = AwsTestSupport.cloud(endpoint, new RejectCredentials());

        assertThatThrownBy(() -> cloud.roles().findRole("any")).isInstanceOfSatisfying(LambdaformException.class, e -> {
            assertThat(e.category()).isEqualTo(LambdaformException.Category.USER);
            assertThat(e.getMessage())
                    .contains("AWS rejected the credentials (InvalidClientTokenId)")
                    .contains("AWS_PROFILE");
            assertThat(e.requestId()).contains("req-1234");
        });
    }

    @Test
    void anErrorWithoutACode_saysItsHttpStatus() {
        // S3 answers HEAD without a body, so its errors have no code.
        var headless = S3Exception.builder()
                .statusCode(400)
                .requestId("req-1")
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("S3").build())
                .message("Service returned HTTP status code 400")
                .build();

        LambdaformException translated = AwsErrors.translate("S3 HeadBucket b", headless);

        assertThat(translated.getMessage())
                .startsWith("S3 HeadBucket b: HTTP 400: Service returned HTTP status code 400");
        assertThat(translated.category()).isEqualTo(LambdaformException.Category.EXTERNAL);
    }

    @Test
    void missingCredentials_sayHowToProvideThem() {
        TestTarget<AwsCloud> cloud = AwsTestSupport.cloud(endpoint, new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
            }
        });

        assertThatThrownBy(() -> cloud.functions().findFunction("any"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("no AWS credentials found")
                .hasMessageContaining("--profile");
    }

    @Test
    void unreachableEndpoint_isAClearUserError_afterTwoAttempts_withoutRetryLines() {
        List<String> progress = new CopyOnWriteArrayList<>();
        TestTarget<AwsCloud> cloud = AwsTestSupport.cloud(
                URI.create("http://127.0.0.1:9"), Optional.empty(), AwsTestSupport.FAST, progress::add);

        assertThatThrownBy(() -> cloud.functions().findFunction("any"))
                .isInstanceOfSatisfying(LambdaformException.class, e -> {
                    assertThat(e.category()).isEqualTo(LambdaformException.Category.USER);
                    assertThat(e.getMessage())
                            .isEqualTo("cannot reach http://127.0.0.1:9 (connection refused): is the endpoint"
                                    + " running? Check --endpoint-url");
                });
        assertThat(cloud.cloud().calls().snapshot()).isEqualTo(Map.of("Lambda.GetFunction", 2));
        assertThat(progress).isEmpty();
    }

    @Test
    void unreachableEndpoint_withAPasswordInItsAddress_neverShowsThePassword() {
        TestTarget<AwsCloud> cloud = AwsTestSupport.cloud(URI.create("http://deployer:s3cr3t-pw@127.0.0.1:9"));

        assertThatThrownBy(() -> cloud.functions().findFunction("any"))
                .isInstanceOf(LambdaformException.class)
                .hasMessage("cannot reach http://127.0.0.1:9 (connection refused): is the endpoint running? Check"
                        + " --endpoint-url");
    }

    @Test
    void aDroppedConnection_isStillRetried_asATransientFault() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(endpoint).start()) {
            proxy.script("lambda:GetFunction", FaultProxy.Fault.DROP, FaultProxy.Fault.DROP, FaultProxy.Fault.DROP);
            List<String> progress = new CopyOnWriteArrayList<>();
            TestTarget<AwsCloud> cloud =
                    AwsTestSupport.cloud(proxy.endpoint(), Optional.empty(), AwsTestSupport.FAST, progress::add);

            assertThat(cloud.functions().findFunction("any")).isEmpty();
            // HttpURLConnection itself sends a GET again once when the connection drops: count what the proxy saw.
            assertThat(proxy.requests("lambda:GetFunction")).isEqualTo(4);
            assertThat(progress)
                    .isNotEmpty()
                    .allMatch(line -> line.contains("no response") && line.contains("retrying"));
        }
    }

    @Test
    void aConnectionRefused_beforeTheTargetAnswered_failsAfterTwoAttempts() {
        RefuseConnections refuse = new RefuseConnections();
        refuse.getFunction.set(3);
        List<String> progress = new CopyOnWriteArrayList<>();
        TestTarget<AwsCloud> cloud =
                AwsTestSupport.cloud(endpoint, Optional.empty(), AwsTestSupport.FAST, progress::add, refuse);

        assertThatThrownBy(() -> cloud.functions().findFunction("any"))
                .isInstanceOf(LambdaformException.class)
                .hasMessage("cannot reach " + endpoint + " (connection refused): is the endpoint running? Check"
                        + " --endpoint-url");
        assertThat(cloud.cloud().calls().snapshot()).isEqualTo(Map.of("Lambda.GetFunction", 2));
        assertThat(progress).isEmpty();
    }

    @Test
    void aConnectionRefused_afterTheTargetAnswered_isRetriedAsATransientFault() {
        RefuseConnections refuse = new RefuseConnections();
        List<String> progress = new CopyOnWriteArrayList<>();
        TestTarget<AwsCloud> cloud =
                AwsTestSupport.cloud(endpoint, Optional.empty(), AwsTestSupport.FAST, progress::add, refuse);
        cloud.cloud().describe();
        refuse.getFunction.set(3);

        assertThat(cloud.functions().findFunction("any")).isEmpty();
        assertThat(cloud.cloud().calls().snapshot()).containsEntry("Lambda.GetFunction", 4);
        assertThat(progress)
                .hasSize(3)
                .allMatch(line -> line.startsWith("Lambda GetFunction any: no response (ConnectException")
                        && line.contains("retrying in"));
    }

    @Test
    void aTargetThatAnsweredAnError_thenRefusesConnections_isTriedAsOftenAsAnyTransientFault() {
        RefuseConnections refuse = new RefuseConnections();
        TestTarget<AwsCloud> cloud = AwsTestSupport.cloud(endpoint, refuse);
        // A function that does not exist: an error, and an answer all the same.
        assertThat(cloud.functions().findFunction("any")).isEmpty();
        refuse.getFunction.set(Integer.MAX_VALUE);

        assertThatThrownBy(() -> cloud.functions().findFunction("any"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("cannot reach " + endpoint + " (connection refused)");
        assertThat(cloud.cloud().calls().snapshot())
                .isEqualTo(Map.of("Lambda.GetFunction", 1 + AwsTestSupport.FAST_RETRIES.maxAttempts()));
    }

    /**
     * Fails the next attempts of Lambda GetFunction as the HTTP client does when nothing listens on the port: before
     * anything is sent, with a {@link ConnectException}.
     */
    static final class RefuseConnections implements ExecutionInterceptor {
        final AtomicInteger getFunction = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof GetFunctionRequest && getFunction.getAndDecrement() > 0) {
                throw SdkClientException.builder()
                        .message("Unable to execute HTTP request: Connection refused")
                        .cause(new ConnectException("Connection refused"))
                        .build();
            }
        }
    }

    /** Answers every IAM request as AWS does for an unknown access key. */
    static final class RejectCredentials implements ExecutionInterceptor {
        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            return context.httpResponse().toBuilder()
                    .statusCode(403)
                    .putHeader("x-amzn-RequestId", "req-1234")
                    .build();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(
                Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            String body = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The"
                    + " security token included in the request is invalid.</Message></Error>"
                    + "<RequestId>req-1234</RequestId></ErrorResponse>";
            return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
