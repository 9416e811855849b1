package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * How to reach AWS or an AWS-compatible endpoint.
 *
 * @param region the region; empty means the SDK's default chain (AWS_REGION, profile)
 * @param profile a named profile of the shared config files; empty means the default credentials chain
 * @param endpoint an endpoint for every client (LocalStack, moto); empty means AWS itself
 * @param lockTable the DynamoDB table that holds stack locks across runners; empty means no cross-runner lock
 * @param timings how long and how often to wait for Lambda and IAM
 * @param interceptors extra SDK interceptors (tests inject faults with them)
 */
public record AwsConfig(
        Optional<String> region,
        Optional<String> profile,
        Optional<URI> endpoint,
        Optional<String> lockTable,
        Timings timings,
        List<ExecutionInterceptor> interceptors) {
    public AwsConfig {
        requireNonNull(region, "region is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(lockTable, "lockTable is null");
        requireNonNull(timings, "timings is null");
        interceptors = List.copyOf(interceptors);
    }

    /**
     * Polling and retry timings.
     *
     * @param firstPoll the first wait between two polls; it grows by half each time up to {@code maxPoll}
     * @param stateDeadline how long a function may stay Pending or InProgress
     * @param propagationDeadline how long to retry while Lambda cannot assume a new or changed role yet
     */
    public record Timings(Duration firstPoll, Duration maxPoll, Duration stateDeadline, Duration propagationDeadline) {
        public static final Timings DEFAULT =
                new Timings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofMinutes(2));

        public Timings {
            requireNonNull(firstPoll, "firstPoll is null");
            requireNonNull(maxPoll, "maxPoll is null");
            requireNonNull(stateDeadline, "stateDeadline is null");
            requireNonNull(propagationDeadline, "propagationDeadline is null");
        }
    }
}
