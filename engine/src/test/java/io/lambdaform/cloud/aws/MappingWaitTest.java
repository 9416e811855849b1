package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.TriggersContract;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.UpdateEventSourceMappingResponse;

/**
 * Lambda accepts a mapping before it polls its source (Creating, then Enabled) and a change before it is made
 * (Updating, Enabling, Disabling); moto answers Enabled at once, so those states are injected around real moto calls:
 * an apply returns only once the mapping is Enabled or Disabled, reporting the wait, and gives up at the deadline.
 */
class MappingWaitTest {
    @TempDir
    Path work;

    private URI moto;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        moto = MotoServer.freshEndpoint();
        TriggersContract.given(AwsTestSupport.cloud(moto), work);
    }

    /** Answers {@code state} for the mapping's next {@code times} reads, as Lambda does while it works. */
    static final class Transitions implements ExecutionInterceptor {
        final AtomicInteger times = new AtomicInteger();
        final AtomicBoolean forever = new AtomicBoolean();
        final String state;

        Transitions(String state, int times) {
            this.state = state;
            this.times.set(times);
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (context.response() instanceof CreateEventSourceMappingResponse created) {
                return created.toBuilder().state(state).build();
            }
            if (context.response() instanceof UpdateEventSourceMappingResponse updated) {
                return updated.toBuilder().state(state).build();
            }
            if (context.response() instanceof GetEventSourceMappingResponse read
                    && (forever.get() || times.getAndDecrement() > 0)) {
                return read.toBuilder().state(state).build();
            }
            return context.response();
        }
    }

    private TestTarget<AwsCloud> run(ExecutionInterceptor faults, AwsConfig.Timings timings) {
        return AwsTestSupport.cloud(moto, Optional.empty(), timings, progress::add, faults);
    }

    @Test
    void aNewMapping_creatingThenEnabled_isWaitedFor_andTheWaitReported() {
        Transitions creating = new Transitions("Creating", 2);

        List<String> applied =
                TriggersContract.apply(run(creating, AwsTestSupport.FAST), TriggersContract.declared("sqs", false));

        assertThat(applied).contains("ConnectTrigger");
        assertThat(progress)
                .filteredOn(m -> m.contains("is Creating"))
                .hasSize(2)
                .allSatisfy(m -> assertThat(m).contains("CreateEventSourceMapping"));
        assertThat(creating.times.get())
                .as("read until Lambda answered Enabled")
                .isNegative();
    }

    @Test
    void aChangedMapping_updatingThenEnabled_isWaitedFor() {
        TriggersContract.apply(AwsTestSupport.cloud(moto), TriggersContract.declared("sqs", false));
        Transitions updating = new Transitions("Updating", 3);

        List<String> applied =
                TriggersContract.apply(run(updating, AwsTestSupport.FAST), TriggersContract.declared("sqs", true));

        assertThat(applied).contains("UpdateTrigger");
        assertThat(progress).filteredOn(m -> m.contains("is Updating")).hasSize(3);
    }

    @Test
    void aMappingThatStaysCreating_failsAtTheDeadline_sayingSo() {
        Transitions stuck = new Transitions("Creating", 0);
        stuck.forever.set(true);
        AwsConfig.Timings shortDeadline = new AwsConfig.Timings(
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(200));

        assertThatThrownBy(() ->
                        TriggersContract.apply(run(stuck, shortDeadline), TriggersContract.declared("sqs", false)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("is still Creating")
                .hasMessageContaining("run again");
    }
}
