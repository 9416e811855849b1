package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * How to reach AWS or an AWS-compatible endpoint.
 *
 * @param region the region given by --region or the Stack's spec.region; empty means AWS_REGION, then
 *     AWS_DEFAULT_REGION (of {@code environment}), then the profile's region
 * @param profile a named profile of the shared config files; empty means AWS_PROFILE, else the default one
 * @param endpoint an endpoint for every client (LocalStack, moto); empty means AWS itself
 * @param lockTable the DynamoDB table that holds stack locks across runners; empty means no cross-runner lock
 * @param timings how long and how often to wait for Lambda and IAM
 * @param interceptors extra SDK interceptors (tests inject faults with them)
 * @param retries how often and how long each API call is retried on transient faults
 * @param environment the process environment (AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE, AWS_CONFIG_FILE)
 * @param apiRate how fast to send Lambda requests; empty means Lambda's quotas on AWS, and no limit against a custom
 *     endpoint
 */
public record AwsConfig(
        Optional<String> region,
        Optional<String> profile,
        Optional<URI> endpoint,
        Optional<String> lockTable,
        Timings timings,
        List<ExecutionInterceptor> interceptors,
        Retries retries,
        Map<String, String> environment,
        Optional<ApiRate> apiRate) {
    public AwsConfig {
        requireNonNull(region, "region is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(lockTable, "lockTable is null");
        requireNonNull(timings, "timings is null");
        interceptors = List.copyOf(interceptors);
        requireNonNull(retries, "retries is null");
        environment = Map.copyOf(environment);
        requireNonNull(apiRate, "apiRate is null");
    }

    /** The default rate of the target: Lambda's quotas on AWS, no limit against a custom endpoint. */
    public AwsConfig(
            Optional<String> region,
            Optional<String> profile,
            Optional<URI> endpoint,
            Optional<String> lockTable,
            Timings timings,
            List<ExecutionInterceptor> interceptors,
            Retries retries,
            Map<String, String> environment) {
        this(region, profile, endpoint, lockTable, timings, interceptors, retries, environment, Optional.empty());
    }

    /** Default retries, and an empty environment (the region then comes from the profile). */
    public AwsConfig(
            Optional<String> region,
            Optional<String> profile,
            Optional<URI> endpoint,
            Optional<String> lockTable,
            Timings timings,
            List<ExecutionInterceptor> interceptors) {
        this(region, profile, endpoint, lockTable, timings, interceptors, Retries.DEFAULT, Map.of());
    }

    public AwsConfig withRetries(Retries newRetries) {
        return new AwsConfig(
                region, profile, endpoint, lockTable, timings, interceptors, newRetries, environment, apiRate);
    }

    public AwsConfig withApiRate(ApiRate newRate) {
        return new AwsConfig(
                region,
                profile,
                endpoint,
                lockTable,
                timings,
                interceptors,
                retries,
                environment,
                Optional.of(newRate));
    }

    /**
     * An endpoint as every message shows it: its scheme, host, port and path, never a user and password or a query
     * (which may hold a token) written in it.
     */
    public static String shown(URI endpoint) {
        if (endpoint.getHost() == null) {
            return endpoint.getScheme() == null
                    ? "(an endpoint without a host)"
                    : endpoint.getScheme() + "://(no host)";
        }
        String host = endpoint.getHost();
        return endpoint.getScheme() + "://" + host + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }

    /** The rate in effect: the one asked for, else Lambda's quotas on AWS and no limit against an endpoint. */
    public ApiRate effectiveApiRate() {
        return apiRate.orElse(endpoint.isPresent() ? ApiRate.UNLIMITED : ApiRate.LAMBDA_QUOTAS);
    }

    /**
     * Ceilings on Lambda requests per second, per quota: control-plane calls (all but Invoke, GetFunction and
     * GetPolicy, which share one quota per account) and GetFunction (its own quota). Empty means no limit.
     */
    public record ApiRate(Optional<Double> controlPlane, Optional<Double> getFunction) {
        /** The share of Lambda's quotas that apply paces itself at on AWS. */
        static final double QUOTA_PACE = 0.95;

        /**
         * Lambda's default quotas per account, 15 control-plane requests per second and 100 GetFunction, paced at 95%
         * of them: requests spaced exactly at the quota put a 16th into a second as soon as one of them leaves a few
         * milliseconds late (a busy machine, the network), while 95% leaves 3.5 ms of slack between any two.
         */
        public static final ApiRate LAMBDA_QUOTAS =
                new ApiRate(Optional.of(15.0 * QUOTA_PACE), Optional.of(100.0 * QUOTA_PACE));

        public static final ApiRate UNLIMITED = new ApiRate(Optional.empty(), Optional.empty());

        public ApiRate {
            requireNonNull(controlPlane, "controlPlane is null");
            requireNonNull(getFunction, "getFunction is null");
            if (controlPlane.filter(r -> !(r > 0)).isPresent()
                    || getFunction.filter(r -> !(r > 0)).isPresent()) {
                throw new IllegalArgumentException("a rate must be positive");
            }
        }

        /** At most {@code perSecond} requests per second of each quota ({@code --max-api-rate}). */
        public static ApiRate atMost(double perSecond) {
            return new ApiRate(Optional.of(perSecond), Optional.of(perSecond));
        }

        public boolean isLimited() {
            return controlPlane.isPresent() || getFunction.isPresent();
        }
    }

    /**
     * Retries of one API call on transient faults (HTTP 500 and 503, throttling, a dropped connection or a lost
     * response): exponential backoff with full jitter, under the SDK's adaptive client-side rate limiting.
     *
     * @param maxAttempts attempts per call, the first included
     * @param baseDelay the first backoff's upper bound; each next one doubles, up to {@code maxDelay}
     * @param throttlingBaseDelay the same after a throttling error, which calls for a longer pause
     * @param maxDelay the longest pause between two attempts
     * @param callDeadline the longest a call may take, every attempt and pause included
     */
    public record Retries(
            int maxAttempts,
            Duration baseDelay,
            Duration throttlingBaseDelay,
            Duration maxDelay,
            Duration callDeadline) {
        public static final Retries DEFAULT = new Retries(
                10, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(3));

        public Retries {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            requireNonNull(baseDelay, "baseDelay is null");
            requireNonNull(throttlingBaseDelay, "throttlingBaseDelay is null");
            requireNonNull(maxDelay, "maxDelay is null");
            requireNonNull(callDeadline, "callDeadline is null");
        }
    }

    /**
     * Polling and retry timings.
     *
     * @param firstPoll the first wait between two polls; it grows by half each time up to {@code maxPoll}
     * @param stateDeadline how long a function may stay Pending or InProgress
     * @param propagationDeadline how long to retry while Lambda cannot assume a new or changed role yet
     */
    public record Timings(Duration firstPoll, Duration maxPoll, Duration stateDeadline, Duration propagationDeadline) {
        public static final Timings DEFAULT = new Timings(
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(2));

        public Timings {
            requireNonNull(firstPoll, "firstPoll is null");
            requireNonNull(maxPoll, "maxPoll is null");
            requireNonNull(stateDeadline, "stateDeadline is null");
            requireNonNull(propagationDeadline, "propagationDeadline is null");
        }
    }
}
