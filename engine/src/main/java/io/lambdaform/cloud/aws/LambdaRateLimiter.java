package io.lambdaform.cloud.aws;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Keeps this process under Lambda's per-account request quotas ({@link AwsConfig.ApiRate}): control-plane calls
 * (all but Invoke, GetFunction and GetPolicy) at most 15 per second on AWS, GetFunction at most 100. Each attempt,
 * retries included, takes a token before it is sent, and requests are spaced evenly (no bursts), so that no second
 * holds more than the ceiling. The rates adapt: they start at the ceiling, a throttled response (HTTP 429) halves
 * its bucket's rate, at most once a second and down to one request per second, and each success gives back a
 * little, up to the ceiling (additive increase, multiplicative decrease).
 */
final class LambdaRateLimiter implements ExecutionInterceptor {
    private static final Set<String> EXEMPT = Set.of("Invoke", "GetFunction", "GetPolicy");

    private final TokenBucket controlPlane;
    private final TokenBucket getFunction;

    /** One per region, endpoint and profile in this process: stacks applied side by side share the account's quota. */
    private static final Map<String, LambdaRateLimiter> SHARED = new ConcurrentHashMap<>();

    /** The limiter of {@code target} (region, endpoint, profile), made with {@code rate} by the first to ask. */
    static LambdaRateLimiter shared(String target, AwsConfig.ApiRate rate) {
        return SHARED.computeIfAbsent(target + " " + rate, k -> new LambdaRateLimiter(rate));
    }

    LambdaRateLimiter(AwsConfig.ApiRate rate) {
        this.controlPlane = rate.controlPlane().map(TokenBucket::new).orElse(null);
        this.getFunction = rate.getFunction().map(TokenBucket::new).orElse(null);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        TokenBucket bucket = bucket(attributes);
        if (bucket != null) {
            bucket.take();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        TokenBucket bucket = bucket(attributes);
        SdkHttpResponse response = context.httpResponse();
        if (bucket == null) {
            return;
        }
        if (response.statusCode() == 429) {
            bucket.throttled();
        } else if (response.isSuccessful()) {
            bucket.succeeded();
        }
    }

    private TokenBucket bucket(ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (operation.equals("GetFunction")) {
            return getFunction; // null when unlimited
        }
        return EXEMPT.contains(operation) ? null : controlPlane;
    }

    /**
     * A token bucket refilled continuously at an adaptive rate, holding at most one token: requests leave evenly
     * spaced, so any one second holds at most the rate's worth.
     */
    static final class TokenBucket {
        private static final double MIN_RATE = 1;
        private static final long CUT_INTERVAL_NANOS = 1_000_000_000L;
        private final double maxRate;
        private double perSecond;
        private double perNano;
        private double capacity;
        private double tokens;
        private long last = System.nanoTime();
        private long lastCut = last - CUT_INTERVAL_NANOS;

        TokenBucket(double perSecond) {
            this.maxRate = perSecond;
            this.capacity = 1;
            this.tokens = 1;
            setRate(perSecond);
        }

        private void setRate(double rate) {
            this.perSecond = Math.max(Math.min(MIN_RATE, maxRate), Math.min(maxRate, rate));
            this.perNano = perSecond / 1e9;
        }

        synchronized double rate() {
            return perSecond;
        }

        synchronized void throttled() {
            long now = System.nanoTime();
            if (now - lastCut >= CUT_INTERVAL_NANOS) {
                lastCut = now;
                setRate(perSecond / 2);
            }
        }

        synchronized void succeeded() {
            setRate(perSecond + 0.25);
        }

        synchronized void take() {
            while (true) {
                long now = System.nanoTime();
                tokens = Math.min(capacity, tokens + (now - last) * perNano);
                last = now;
                if (tokens >= 1) {
                    tokens -= 1;
                    return;
                }
                long waitNanos = (long) ((1 - tokens) / perNano);
                try {
                    wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
