package io.lambdaform;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop the command, made when the process gets SIGINT or SIGTERM. Whatever runs for long listens: apply
 * starts no new operation and lets the running ones finish, invoke ends the handler's process tree, so the command
 * can say what was done and what was not, release its locks and exit. One per command run.
 */
public final class Interruption {
    private final AtomicReference<String> reason = new AtomicReference<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * Asks everything listening to stop; {@code why} names the signal ("SIGTERM"). Only the first request counts.
     * Returns whether something was listening, that is, whether the command can stop in order; when nothing is (the
     * command is reading, planning or asking a question), the caller ends the process instead.
     */
    public boolean request(String why) {
        if (!reason.compareAndSet(null, why)) {
            return true;
        }
        boolean listening = !listeners.isEmpty();
        listeners.forEach(Runnable::run);
        return listening;
    }

    /** The signal that asked to stop, once one did. */
    public Optional<String> requested() {
        return Optional.ofNullable(reason.get());
    }

    /**
     * Runs {@code listener} when a stop is requested (at once if one already was), until the returned handle is
     * closed.
     */
    public Registration onRequest(Runnable listener) {
        listeners.add(listener);
        if (reason.get() != null) {
            listener.run();
        }
        return () -> listeners.remove(listener);
    }

    /**
     * Says, until the handle is closed, that the caller stops in order on its own (it checks {@link #requested} as
     * it goes), so that a signal asks it to instead of ending the process.
     */
    public Registration stopsInOrder() {
        return onRequest(() -> {});
    }

    /** A listener's registration; closing it ends the listening. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
