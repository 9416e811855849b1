package io.lambdaform.cloud.aws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the HTTP requests sent to AWS, per "Service.Operation", retries included: the real cost of a run. */
public final class ApiCallCounter implements ExecutionInterceptor {
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Requests per operation, sorted by name. */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> result = new TreeMap<>();
        counts.forEach((k, v) -> result.put(k, v.get()));
        return result;
    }

    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void reset() {
        counts.clear();
    }

    @Override
    public String toString() {
        return total() + " AWS API call(s): " + snapshot();
    }
}
