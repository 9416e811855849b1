package io.lambdaform.cloud.aws;

import java.util.Set;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Keeps this process under Lambda's per-account request quotas, which every other user of the account shares:
 * control-plane calls (all but Invoke, GetFunction and GetPolicy) at most {@value #CONTROL_PLANE_PER_SECOND} per
 * second (the quota is 15), GetFunction at most {@value #GET_FUNCTION_PER_SECOND} (the quota is 100). Each attempt,
 * retries included, takes a token before it is sent. The rates adapt: a throttled response (HTTP 429) halves its
 * bucket's rate, at most once a second and down to one request per second, and each success gives back a little,
 * up to the ceiling (additive increase, multiplicative decrease).
 */
final class LambdaRateLimiter implements ExecutionInterceptor {
    static final int CONTROL_PLANE_PER_SECOND = 10;
    static final int GET_FUNCTION_PER_SECOND = 50;
    private static final Set<String> EXEMPT = Set.of("Invoke", "GetFunction", "GetPolicy");

    private final TokenBucket controlPlane = new TokenBucket(CONTROL_PLANE_PER_SECOND);
    private final TokenBucket getFunction = new TokenBucket(GET_FUNCTION_PER_SECOND);

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
            return getFunction;
        }
        return EXEMPT.contains(operation) ? null : controlPlane;
    }

    /** A token bucket refilled continuously at an adaptive rate, holding at most one second's worth of tokens. */
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

        TokenBucket(int perSecond) {
            this.maxRate = perSecond;
            this.tokens = perSecond;
            setRate(perSecond);
        }

        private void setRate(double rate) {
            this.perSecond = Math.max(MIN_RATE, Math.min(maxRate, rate));
            this.perNano = perSecond / 1e9;
            this.capacity = perSecond;
            this.tokens = Math.min(tokens, capacity);
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
