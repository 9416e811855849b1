package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The adaptive token bucket: halves on throttling (once a second at most), creeps back up on success. */
class LambdaRateLimiterTest {
    @Test
    void throttled_halvesTheRateOncePerSecond_andSuccessesRestoreIt() {
        LambdaRateLimiter.TokenBucket bucket = new LambdaRateLimiter.TokenBucket(10);

        bucket.throttled();
        bucket.throttled();

        assertThat(bucket.rate()).isEqualTo(5);
        for (int i = 0; i < 100; i++) {
            bucket.succeeded();
        }
        assertThat(bucket.rate()).isEqualTo(10);
    }

    @Test
    void rate_neverDropsBelowOnePerSecond() throws InterruptedException {
        LambdaRateLimiter.TokenBucket bucket = new LambdaRateLimiter.TokenBucket(2);

        bucket.throttled();
        Thread.sleep(1_050);
        bucket.throttled();

        assertThat(bucket.rate()).isEqualTo(1);
    }
}
