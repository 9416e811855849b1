package io.lambdaform;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values computed once per key, by the first thread that asks, outside any lock: others asking for the same key wait
 * for that computation, and computations of other keys never wait for it. (A {@code ConcurrentHashMap.computeIfAbsent}
 * holds a lock on a bin of keys while it computes, so two of them computing into each other can deadlock.) A
 * computation that fails is forgotten: the next asker computes again, and those that waited get its failure; unless
 * the memo {@linkplain #keepingFailures keeps failures}, for reads of a target that a run must not repeat.
 */
public final class Memo<K, V> {
    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();
    private final boolean keepsFailures;

    /** A memo that forgets a failed computation. */
    public Memo() {
        this(false);
    }

    private Memo(boolean keepsFailures) {
        this.keepsFailures = keepsFailures;
    }

    /**
     * A memo that keeps a failed computation too: every later asker gets its failure, as for a read of an unreachable
     * target that a run tries once.
     */
    public static <K, V> Memo<K, V> keepingFailures() {
        return new Memo<>(true);
    }

    /** The value of {@code key}, computed by {@code compute} unless it is known or being computed. */
    public V get(K key, Function<K, V> compute) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> known = values.putIfAbsent(key, mine);
        if (known != null) {
            return join(known);
        }
        try {
            V value = compute.apply(key);
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            if (!keepsFailures) {
                values.remove(key, mine);
            }
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The value of {@code key} when it is computed already. */
    public Optional<V> computed(K key) {
        CompletableFuture<V> value = values.get(key);
        return value != null && value.isDone() && !value.isCompletedExceptionally()
                ? Optional.of(value.join())
                : Optional.empty();
    }

    /** Forgets the value of {@code key} (it changed): the next asker computes it again. */
    public void forget(K key) {
        values.remove(key);
    }

    private static <V> V join(CompletableFuture<V> value) {
        try {
            return value.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
