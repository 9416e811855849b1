package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import io.lambdaform.cloud.CloudProvider.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.waiters.WaiterState;

/**
 * The one wait loop of the adapter: it runs a call and lets the first {@link Acceptor} that matches what the call
 * returned or threw decide. Success returns the response; failure throws the acceptor's error; retry prints the
 * acceptor's progress line, pauses (the first pause, then half as long again each time up to the longest) and calls
 * again, until the acceptor's deadline from the start of the wait has passed. An exception no acceptor matches is
 * thrown as it is, as in the SDK's waiters.
 */
final class Waiter {
    private final AwsConfig.Timings timings;
    private final AwsCloud.Sleeper sleeper;

    Waiter(AwsConfig.Timings timings, AwsCloud.Sleeper sleeper) {
        this.timings = requireNonNull(timings, "timings is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    /** Returns the response an acceptor took as success; {@code null} when it was an exception. */
    <T> T await(Supplier<T> call, List<Acceptor<T>> acceptors, ProgressListener progress) {
        Instant started = Instant.now();
        Duration pause = timings.firstPoll();
        while (true) {
            T response = null;
            Object met;
            Acceptor<T> acceptor;
            try {
                response = call.get();
                met = response;
                acceptor = matchResponse(acceptors, response);
            } catch (RuntimeException e) {
                met = e;
                acceptor = matchException(acceptors, e);
            }
            WaiterState state = acceptor.waiterState();
            if (state == WaiterState.SUCCESS) {
                acceptor.note(met).ifPresent(progress::onProgress);
                return response;
            }
            Duration waited = Duration.between(started, Instant.now());
            if (state == WaiterState.FAILURE || waited.compareTo(acceptor.deadline()) > 0) {
                throw acceptor.error(met);
            }
            progress.onProgress(acceptor.progress(met, waited, pause));
            sleeper.sleep(pause);
            pause = next(pause);
        }
    }

    private static <T> Acceptor<T> matchResponse(List<Acceptor<T>> acceptors, T response) {
        for (Acceptor<T> acceptor : acceptors) {
            if (acceptor.matches(response)) {
                return acceptor;
            }
        }
        throw new IllegalStateException("no acceptor matched a "
                + (response == null ? "null response" : response.getClass().getSimpleName()));
    }

    private static <T> Acceptor<T> matchException(List<Acceptor<T>> acceptors, RuntimeException e) {
        for (Acceptor<T> acceptor : acceptors) {
            if (acceptor.matches(e)) {
                return acceptor;
            }
        }
        throw e;
    }

    private Duration next(Duration pause) {
        Duration grown = pause.plus(pause.dividedBy(2));
        return grown.compareTo(timings.maxPoll()) > 0 ? timings.maxPoll() : grown;
    }
}
