package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Binds the provider port to AWS. Every SDK client is built here, and only here: one region, one credentials
 * provider, the endpoint override for AWS-compatible endpoints, adaptive retries, the API call counter and Lambda's
 * rate limiter.
 */
public final class AwsCloudModule extends AbstractModule {
    private final AwsConfig config;

    public AwsCloudModule(AwsConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(AwsConfig.class).toInstance(config);
        bind(ApiCallCounter.class).in(Singleton.class);
        bind(LambdaRateLimiter.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    Region region() {
        if (config.region().isPresent()) {
            return Region.of(config.region().get());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().profileName(config.profile().orElse(null)).build()
                    .getRegion();
        } catch (SdkClientException e) {
            throw LambdaformException.user("no AWS region: set spec.region in the Stack, pass --region, or set"
                    + " AWS_REGION");
        }
    }

    @Provides
    @Singleton
    AwsCredentialsProvider credentials() {
        return DefaultCredentialsProvider.builder().profileName(config.profile().orElse(null)).build();
    }

    @Provides
    @Singleton
    LambdaClient lambda(Region region, AwsCredentialsProvider credentials, ApiCallCounter counter,
            LambdaRateLimiter limiter) {
        return configure(LambdaClient.builder(), region, credentials, counter, limiter).build();
    }

    @Provides
    @Singleton
    IamClient iam(Region region, AwsCredentialsProvider credentials, ApiCallCounter counter) {
        // IAM is a global service, served from its partition's global region.
        Region global = region.id().startsWith("cn-") ? Region.AWS_CN_GLOBAL
                : region.id().startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
        return configure(IamClient.builder(), config.endpoint().isPresent() ? region : global, credentials, counter,
                null).build();
    }

    @Provides
    @Singleton
    StsClient sts(Region region, AwsCredentialsProvider credentials, ApiCallCounter counter) {
        return configure(StsClient.builder(), region, credentials, counter, null).build();
    }

    @Provides
    @Singleton
    ResourceGroupsTaggingApiClient tagging(Region region, AwsCredentialsProvider credentials, ApiCallCounter counter) {
        return configure(ResourceGroupsTaggingApiClient.builder(), region, credentials, counter, null).build();
    }

    @Provides
    @Singleton
    DynamoDbClient dynamo(Region region, AwsCredentialsProvider credentials, ApiCallCounter counter) {
        return configure(DynamoDbClient.builder(), region, credentials, counter, null).build();
    }

    @Provides
    @Singleton
    AwsCloud awsCloud(LambdaClient lambda, IamClient iam, StsClient sts, ResourceGroupsTaggingApiClient tagging,
            DynamoDbClient dynamo, Region region, ApiCallCounter counter) {
        return new AwsCloud(lambda, iam, sts, tagging, dynamo, config, region.id(), counter, AwsCloud.Sleeper.REAL);
    }

    @Provides
    @Singleton
    CloudProvider cloud(AwsCloud cloud) {
        return cloud;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, Region region, AwsCredentialsProvider credentials,
            ApiCallCounter counter, LambdaRateLimiter limiter) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.ADAPTIVE_V2)
                .addExecutionInterceptor(counter);
        if (limiter != null) {
            override.addExecutionInterceptor(limiter);
        }
        config.interceptors().forEach(override::addExecutionInterceptor);
        builder.region(region).credentialsProvider(credentials).overrideConfiguration(override.build());
        config.endpoint().ifPresent(builder::endpointOverride);
        if (builder instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return builder;
    }
}
