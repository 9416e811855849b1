package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.waiters.WaiterState;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.State;

/** The one wait loop and the adapter's acceptors, with a sleeper that records instead of sleeping. */
class WaiterTest {
    private static final AwsConfig.Timings TIMINGS = new AwsConfig.Timings(
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMinutes(10), Duration.ofMinutes(2));

    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();
    private final Waiter waiter = new Waiter(TIMINGS, pauses::add);

    @Test
    void await_retriesWithPausesGrowingByHalfUpToTheLongest_untilSuccess() {
        Supplier<String> call = sequence("busy", "busy", "busy", "busy", "done");
        List<Acceptor<String>> acceptors = List.of(
                Acceptor.retryOn(
                        "busy"::equals,
                        Duration.ofMinutes(1),
                        (met, waited, pause) -> met + " " + pause.toMillis(),
                        met -> new IllegalStateException()),
                Acceptor.successOn(r -> true));

        assertThat(waiter.await(call, acceptors, progress::add)).isEqualTo("done");

        assertThat(pauses).containsExactly(ms(100), ms(150), ms(200), ms(200));
        assertThat(progress).containsExactly("busy 100", "busy 150", "busy 200", "busy 200");
    }

    @Test
    void await_retryPastItsDeadline_failsWithTheAcceptorsError() {
        List<Acceptor<String>> acceptors = List.of(Acceptor.retryOn(
                r -> true,
                Duration.ofMillis(-1),
                (met, waited, pause) -> "never",
                met -> new IllegalStateException(met)));

        assertThatThrownBy(() -> waiter.await(() -> "busy", acceptors, progress::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("busy");
        assertThat(progress).isEmpty();
        assertThat(pauses).isEmpty();
    }

    @Test
    void await_exceptionNoAcceptorMatches_isThrownAsItIs() {
        IllegalArgumentException thrown = new IllegalArgumentException("boom");
        List<Acceptor<String>> acceptors = List.of(Acceptor.successOn(r -> true));

        assertThatThrownBy(() -> waiter.await(
                        () -> {
                            throw thrown;
                        },
                        acceptors,
                        progress::add))
                .isSameAs(thrown);
    }

    @Test
    void await_successOnException_returnsNothingAndSaysWhy() {
        List<Acceptor<String>> acceptors =
                List.of(Acceptor.successOnException(IllegalArgumentException.class, e -> "gone: " + e.getMessage()));

        String response = waiter.await(
                () -> {
                    throw new IllegalArgumentException("not found");
                },
                acceptors,
                progress::add);

        assertThat(response).isNull();
        assertThat(progress).containsExactly("gone: not found");
    }

    @Test
    void functionReady_mapsLambdaStatesToSuccessRetryAndFailure() {
        List<Acceptor<GetFunctionResponse>> update = AwsFunctions.functionReady("f", "to update", false, ms(1000));
        List<Acceptor<GetFunctionResponse>> create = AwsFunctions.functionReady("f", "to create", true, ms(1000));

        assertThat(decide(update, function(State.ACTIVE, LastUpdateStatus.SUCCESSFUL)))
                .isEqualTo(WaiterState.SUCCESS);
        assertThat(decide(update, function(null, null))).isEqualTo(WaiterState.SUCCESS);
        assertThat(decide(update, function(State.PENDING, LastUpdateStatus.SUCCESSFUL)))
                .isEqualTo(WaiterState.RETRY);
        assertThat(decide(update, function(State.ACTIVE, LastUpdateStatus.IN_PROGRESS)))
                .isEqualTo(WaiterState.RETRY);
        assertThat(decide(update, function(State.FAILED, LastUpdateStatus.SUCCESSFUL)))
                .isEqualTo(WaiterState.FAILURE);
        assertThat(decide(update, function(State.ACTIVE, LastUpdateStatus.FAILED)))
                .isEqualTo(WaiterState.FAILURE);
        assertThat(decide(create, function(State.ACTIVE, LastUpdateStatus.FAILED)))
                .isEqualTo(WaiterState.SUCCESS);
    }

    @Test
    void mutation_retriesPassingRefusalsOnly() {
        List<Acceptor<Object>> withRole = AwsFunctions.mutation("Lambda CreateFunction f", true, TIMINGS);
        List<Acceptor<Object>> withoutRole = AwsFunctions.mutation("Lambda UpdateFunctionCode f", false, TIMINGS);
        RuntimeException inProgress = ResourceConflictException.builder()
                .message("The operation cannot be performed at this time. An update is in progress for resource: f")
                .build();
        RuntimeException exists = ResourceConflictException.builder()
                .message("Function already exist: f")
                .build();
        RuntimeException role = InvalidParameterValueException.builder()
                .message("The role defined for the function cannot be assumed by Lambda.")
                .build();

        assertThat(decideException(withRole, inProgress)).isEqualTo(WaiterState.RETRY);
        assertThat(decideException(withRole, role)).isEqualTo(WaiterState.RETRY);
        assertThat(decideException(withRole, exists)).isEqualTo(WaiterState.FAILURE);
        assertThat(decideException(withoutRole, role)).isEqualTo(WaiterState.FAILURE);
        assertThat(withoutRole.get(withoutRole.size() - 1).error(exists))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("Lambda UpdateFunctionCode f: ");
    }

    private static <T> WaiterState decide(List<Acceptor<T>> acceptors, T response) {
        return acceptors.stream()
                .filter(a -> a.matches(response))
                .findFirst()
                .orElseThrow()
                .waiterState();
    }

    private static <T> WaiterState decideException(List<Acceptor<T>> acceptors, Throwable e) {
        return acceptors.stream()
                .filter(a -> a.matches(e))
                .findFirst()
                .orElseThrow()
                .waiterState();
    }

    private static GetFunctionResponse function(State state, LastUpdateStatus update) {
        return GetFunctionResponse.builder()
                .configuration(FunctionConfiguration.builder()
                        .functionName("f")
                        .state(state)
                        .lastUpdateStatus(update)
                        .build())
                .build();
    }

    private static Supplier<String> sequence(String... responses) {
        Iterator<String> iterator = List.of(responses).iterator();
        return iterator::next;
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
