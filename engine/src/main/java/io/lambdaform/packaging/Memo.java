package io.lambdaform.packaging;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values computed once per key, by the first thread that asks, outside any lock: others asking for the same key wait
 * for that computation, and computations of other keys never wait for it. (A {@code ConcurrentHashMap.computeIfAbsent}
 * holds a lock on a bin of keys while it computes, so two of them computing into each other can deadlock.) A
 * computation that fails is forgotten: the next asker computes again, and those that waited get its failure.
 */
final class Memo<K, V> {
    private final ConcurrentHashMap<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

    /** The value of {@code key}, computed by {@code compute} unless it is known or being computed. */
    V get(K key, Function<K, V> compute) {
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
            values.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The value of {@code key} when it is computed already. */
    Optional<V> computed(K key) {
        CompletableFuture<V> value = values.get(key);
        return value != null && value.isDone() && !value.isCompletedExceptionally()
                ? Optional.of(value.join())
                : Optional.empty();
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
