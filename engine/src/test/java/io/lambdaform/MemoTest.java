package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The packager's memos: a long computation never holds up another key's, even one that a hash map would put in the
 * same bin (with {@code ConcurrentHashMap.computeIfAbsent} it would, and two such computations asking for each other's
 * keys deadlocked packaging); a key is computed once; a failure is forgotten, or kept by a memo of a run's reads of
 * a target (an unreachable one is tried once); a value forgotten is computed again.
 */
class MemoTest {
    /** Keys that all land in the same bin of a hash map. */
    private record Colliding(String name) {
        @Override
        public int hashCode() {
            return 42;
        }
    }

    @Test
    void aSlowComputation_doesNotHoldUpAnotherKey_inTheSameBin() throws Exception {
        Memo<Colliding, String> memo = new Memo<>();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> memo.get(new Colliding("slow"), k -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slow";
        }));
        Thread.sleep(100); // the slow computation is under way

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(memo.get(new Colliding("fast"), k -> "fast")).isEqualTo("fast");
        });
        assertThat(slow).isNotDone();
        release.countDown();
        assertThat(slow.get()).isEqualTo("slow");
    }

    @Test
    void aKey_isComputedOnce_andThoseAskingMeanwhileWaitForIt() throws Exception {
        Memo<String, Integer> memo = new Memo<>();
        AtomicInteger computations = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> memo.get("key", k -> {
            computations.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 7;
        }));
        Thread.sleep(100);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> memo.get("key", k -> {
            computations.incrementAndGet();
            return 8;
        }));
        Thread.sleep(100);

        assertThat(second).isNotDone();
        release.countDown();
        assertThat(first.get()).isEqualTo(7);
        assertThat(second.get()).isEqualTo(7);
        assertThat(computations).hasValue(1);
        assertThat(memo.computed("key")).contains(7);
    }

    @Test
    void aFailure_isThrownToTheAsker_andForgotten() {
        Memo<String, Integer> memo = new Memo<>();

        assertThatThrownBy(() -> memo.get("key", k -> {
                    throw new IllegalStateException("unreadable");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unreadable");
        assertThat(memo.computed("key")).isEmpty();
        assertThat(memo.get("key", k -> 3)).isEqualTo(3);
    }

    @Test
    void aMemoKeepingFailures_givesEveryLaterAskerTheFirstFailure_untilItIsForgotten() {
        Memo<String, Integer> memo = Memo.keepingFailures();
        AtomicInteger computations = new AtomicInteger();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> memo.get("key", k -> {
                        computations.incrementAndGet();
                        throw new IllegalStateException("unreachable");
                    }))
                    .hasMessage("unreachable");
        }
        assertThat(computations).hasValue(1);

        memo.forget("key");
        assertThat(memo.get("key", k -> 5)).isEqualTo(5);
        assertThat(memo.get("key", k -> 6)).isEqualTo(5);
    }
}
