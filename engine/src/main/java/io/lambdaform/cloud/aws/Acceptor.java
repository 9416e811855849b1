package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterState;

/**
 * Maps what one poll met, a response or an exception, to success, retry or failure (an SDK {@link WaiterAcceptor}),
 * and says what the user is told: the progress line before each retry (or on a success that needs a word), the error
 * on failure or when the retries outlast the acceptor's deadline. {@link Waiter} runs lists of them; the first that matches decides.
 *
 * @param <T> the response the poll returns
 */
final class Acceptor<T> implements WaiterAcceptor<T> {
    /** The progress line of a retry, from what the poll met, how long the wait has lasted and the next pause. */
    @FunctionalInterface
    interface Line<V> {
        String of(V met, Duration waited, Duration pause);
    }

    private final WaiterState state;
    private final Predicate<T> onResponse;
    private final Predicate<Throwable> onException;
    private final Duration deadline;
    private final Line<Object> progress;
    private final Function<Object, RuntimeException> error;
    private final Function<Object, Optional<String>> note;

    private Acceptor(
            WaiterState state,
            Predicate<T> onResponse,
            Predicate<Throwable> onException,
            Duration deadline,
            Line<Object> progress,
            Function<Object, RuntimeException> error) {
        this(state, onResponse, onException, deadline, progress, error, met -> Optional.empty());
    }

    private Acceptor(
            WaiterState state,
            Predicate<T> onResponse,
            Predicate<Throwable> onException,
            Duration deadline,
            Line<Object> progress,
            Function<Object, RuntimeException> error,
            Function<Object, Optional<String>> note) {
        this.state = requireNonNull(state, "state is null");
        this.onResponse = requireNonNull(onResponse, "onResponse is null");
        this.onException = requireNonNull(onException, "onException is null");
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.error = requireNonNull(error, "error is null");
        this.note = requireNonNull(note, "note is null");
    }

    /** A response that matches ends the wait with it. */
    static <T> Acceptor<T> successOn(Predicate<T> response) {
        return new Acceptor<>(
                WaiterState.SUCCESS, response, e -> false, Duration.ZERO, Acceptor::noProgress, Acceptor::noError);
    }

    /** An exception of {@code type} ends the wait as done (with no response), and the progress line {@code note}. */
    static <T, E extends Throwable> Acceptor<T> successOnException(Class<E> type, Function<E, String> note) {
        return new Acceptor<>(
                WaiterState.SUCCESS,
                response -> false,
                type::isInstance,
                Duration.ZERO,
                Acceptor::noProgress,
                Acceptor::noError,
                met -> Optional.of(note.apply(type.cast(met))));
    }

    /** A response that matches fails the wait with {@code error}. */
    @SuppressWarnings("unchecked")
    static <T> Acceptor<T> failureOn(Predicate<T> response, Function<T, RuntimeException> error) {
        return new Acceptor<>(
                WaiterState.FAILURE,
                response,
                e -> false,
                Duration.ZERO,
                Acceptor::noProgress,
                met -> error.apply((T) met));
    }

    /**
     * A response that matches means poll again after a pause, with a progress line, until {@code deadline} from the
     * start of the wait; then the wait fails with {@code timeout}.
     */
    @SuppressWarnings("unchecked")
    static <T> Acceptor<T> retryOn(
            Predicate<T> response, Duration deadline, Line<T> progress, Function<T, RuntimeException> timeout) {
        return new Acceptor<>(
                WaiterState.RETRY,
                response,
                e -> false,
                deadline,
                (met, waited, pause) -> progress.of((T) met, waited, pause),
                met -> timeout.apply((T) met));
    }

    /** The same as {@link #retryOn} for an exception of {@code type} that {@code matches}. */
    static <T, E extends Throwable> Acceptor<T> retryOnException(
            Class<E> type,
            Predicate<E> matches,
            Duration deadline,
            Line<E> progress,
            Function<E, RuntimeException> timeout) {
        return new Acceptor<>(
                WaiterState.RETRY,
                response -> false,
                e -> type.isInstance(e) && matches.test(type.cast(e)),
                deadline,
                (met, waited, pause) -> progress.of(type.cast(met), waited, pause),
                met -> timeout.apply(type.cast(met)));
    }

    /** Any exception fails the wait with {@code error} of it. */
    static <T> Acceptor<T> failureOnException(Function<RuntimeException, RuntimeException> error) {
        return new Acceptor<>(
                WaiterState.FAILURE,
                response -> false,
                e -> e instanceof RuntimeException,
                Duration.ZERO,
                Acceptor::noProgress,
                met -> error.apply((RuntimeException) met));
    }

    @Override
    public WaiterState waiterState() {
        return state;
    }

    @Override
    public boolean matches(T response) {
        return onResponse.test(response);
    }

    @Override
    public boolean matches(Throwable throwable) {
        return onException.test(throwable);
    }

    /** How long from the start of the wait a retry may go on. */
    Duration deadline() {
        return deadline;
    }

    String progress(Object met, Duration waited, Duration pause) {
        return progress.of(met, waited, pause);
    }

    /** What to tell the user on success, if anything. */
    Optional<String> note(Object met) {
        return note.apply(met);
    }

    RuntimeException error(Object met) {
        return error.apply(met);
    }

    private static String noProgress(Object met, Duration waited, Duration pause) {
        throw new IllegalStateException("only a retry reports progress");
    }

    private static RuntimeException noError(Object met) {
        throw new IllegalStateException("a success has no error");
    }
}
