package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import io.lambdaform.cloud.FunctionLogs;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CloudWatch Logs throttling the reads, through {@link FaultProxy} on moto: retried, and told to the caller. */
class AwsLogsThrottlingTest {
    private FaultProxy proxy;
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private FunctionLogs logs;

    @BeforeEach
    void setUp() {
        proxy = FaultProxy.to(MotoServer.freshEndpoint()).start();
        AwsConfig config = new AwsConfig(
                Optional.of("us-east-1"),
                Optional.empty(),
                Optional.of(proxy.endpoint()),
                Optional.empty(),
                AwsTestSupport.FAST,
                List.of(),
                AwsTestSupport.FAST_RETRIES,
                Map.of());
        logs = Guice.createInjector(new AwsCloudModule(config, progress::add)).getInstance(FunctionLogs.class);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private FunctionLogs.Page read() {
        return logs.read(
                new FunctionLogs.Query("hello", Instant.now().minusSeconds(600), Optional.empty()), Optional.empty());
    }

    @Test
    void aThrottledRead_isRetried_andThePageSaysItWasThrottled() {
        proxy.script("logs:FilterLogEvents", FaultProxy.Fault.THROTTLE, FaultProxy.Fault.THROTTLE);

        FunctionLogs.Page throttled = read();
        FunctionLogs.Page clean = read();

        assertThat(throttled.throttled()).isTrue();
        assertThat(throttled.absent()).contains("log group /aws/lambda/hello does not exist");
        assertThat(clean.throttled()).isFalse();
        assertThat(proxy.requests("logs:FilterLogEvents")).isEqualTo(4);
        assertThat(progress)
                .hasSize(2)
                .first()
                .asString()
                .startsWith("CloudWatch Logs FilterLogEvents /aws/lambda/hello: HTTP 400 ThrottlingException,"
                        + " retrying in ");
    }

    @Test
    void aReadThrottledAtEveryAttempt_failsAsThrottled() {
        FaultProxy.Fault[] always = new FaultProxy.Fault[AwsTestSupport.FAST_RETRIES.maxAttempts()];
        Arrays.fill(always, FaultProxy.Fault.THROTTLE);
        proxy.script("logs:FilterLogEvents", always);

        assertThatThrownBy(this::read)
                .isInstanceOf(FunctionLogs.Throttled.class)
                .hasMessageStartingWith("CloudWatch Logs FilterLogEvents /aws/lambda/hello: throttled");
    }
}
