package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Builds every SDK client the same way: the region and credentials of the run, the endpoint override, the retry
 * strategy (reported, within a deadline per call), the API call counter, and the test interceptors of the config.
 * A kind's adapter that needs a service no other adapter uses builds its client here, in its constructor.
 */
public final class AwsClients {
    private final AwsConfig config;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final ApiCallCounter counter;
    private final RetryReporter retries;

    @Inject
    AwsClients(
            AwsConfig config,
            Region region,
            AwsCredentialsProvider credentials,
            ApiCallCounter counter,
            RetryReporter retries) {
        this.config = requireNonNull(config, "config is null");
        this.region = requireNonNull(region, "region is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.retries = requireNonNull(retries, "retries is null");
    }

    /** A client of the run's region. */
    public <C, B extends AwsClientBuilder<B, C>> C build(B builder) {
        return build(builder, region);
    }

    /** A client of another region (a global service's, say); against --endpoint-url the run's region. */
    public <C, B extends AwsClientBuilder<B, C>> C build(
            B builder, Region serviceRegion, ExecutionInterceptor... extra) {
        AwsConfig.Retries r = config.retries();
        // One strategy per client, each with its own retry quota. Not the SDK's adaptive mode: its rate limiter drops
        // to 0.5 requests per second when throttled before it has measured a rate (early in a run), which made a
        // 20-function apply with 3 throttled requests of 94 take 70 s instead of 3; LambdaRateLimiter adapts instead.
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(retries.reporting(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(r.maxAttempts())
                        .backoffStrategy(BackoffStrategy.exponentialDelay(r.baseDelay(), r.maxDelay()))
                        .throttlingBackoffStrategy(
                                BackoffStrategy.exponentialDelay(r.throttlingBaseDelay(), r.maxDelay()))
                        .build()))
                .apiCallTimeout(r.callDeadline())
                .addExecutionInterceptor(counter)
                .addExecutionInterceptor(retries);
        for (ExecutionInterceptor interceptor : extra) {
            override.addExecutionInterceptor(interceptor);
        }
        config.interceptors().forEach(override::addExecutionInterceptor);
        builder.region(config.endpoint().isPresent() ? region : serviceRegion)
                .credentialsProvider(credentials)
                .overrideConfiguration(override.build());
        config.endpoint().ifPresent(builder::endpointOverride);
        if (builder instanceof AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return builder.build();
    }
}
