package io.lambdaform.cloud.aws;

import java.util.Set;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Keeps this process under Lambda's per-account request quotas, which every other user of the account shares:
 * control-plane calls (all but Invoke, GetFunction and GetPolicy) at most {@value #CONTROL_PLANE_PER_SECOND} per
 * second (the quota is 15), GetFunction at most {@value #GET_FUNCTION_PER_SECOND} (the quota is 100). Each attempt,
 * retries included, takes a token before it is sent.
 */
final class LambdaRateLimiter implements ExecutionInterceptor {
    static final int CONTROL_PLANE_PER_SECOND = 10;
    static final int GET_FUNCTION_PER_SECOND = 50;
    private static final Set<String> EXEMPT = Set.of("Invoke", "GetFunction", "GetPolicy");

    private final TokenBucket controlPlane = new TokenBucket(CONTROL_PLANE_PER_SECOND);
    private final TokenBucket getFunction = new TokenBucket(GET_FUNCTION_PER_SECOND);

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (operation.equals("GetFunction")) {
            getFunction.take();
        } else if (!EXEMPT.contains(operation)) {
            controlPlane.take();
        }
    }

    /** A token bucket refilled continuously, holding at most one second's worth of tokens. */
    static final class TokenBucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(int perSecond) {
            this.perNano = perSecond / 1e9;
            this.capacity = perSecond;
            this.tokens = perSecond;
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
