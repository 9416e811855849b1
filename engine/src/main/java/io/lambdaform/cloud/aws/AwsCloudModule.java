package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.kinds.Kinds;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Binds the provider port to AWS. Every SDK client is built here, and only here: one region, one credentials
 * provider, the endpoint override for AWS-compatible endpoints, retries with jittered backoff reported as progress
 * within a deadline per call, the API call counter and Lambda's adaptive rate limiter.
 */
public final class AwsCloudModule extends AbstractModule {
    private final AwsConfig config;
    private final ProgressListener progress;

    public AwsCloudModule(AwsConfig config) {
        this(config, ProgressListener.NONE);
    }

    /** @param progress where this run's waits, retries and lock waits are reported */
    public AwsCloudModule(AwsConfig config, ProgressListener progress) {
        this.config = requireNonNull(config, "config is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    @Override
    protected void configure() {
        bind(AwsConfig.class).toInstance(config);
        bind(ApiCallCounter.class).in(Singleton.class);
        bind(RetryReporter.class).in(Singleton.class);
        bind(AwsClients.class).in(Singleton.class);
        bind(ProgressListener.class).toInstance(progress);
        bind(FunctionLogs.class).to(AwsLogs.class).in(Singleton.class);
        install(adapters());
    }

    @Provides
    @Singleton
    Region region() {
        return Region.of(region(config));
    }

    /**
     * The region, from the first of: --region, the Stack's spec.region (both in {@code config.region()}),
     * AWS_REGION, AWS_DEFAULT_REGION, the region of the profile (--profile, else AWS_PROFILE, else default) in the
     * shared config file (AWS_CONFIG_FILE, else $HOME/.aws/config, as the SDK reads credentials). A named profile
     * must exist in the shared files.
     */
    static String region(AwsConfig config) {
        Optional<String> region =
                config.region().or(() -> env(config, "AWS_REGION")).or(() -> env(config, "AWS_DEFAULT_REGION"));
        if (region.isPresent()) {
            return region.get();
        }
        SharedProfiles files = SharedProfiles.of(config.environment());
        Optional<SharedProfiles.Named> named = SharedProfiles.named(config);
        String profile = named.map(SharedProfiles.Named::name).orElse("default");
        Path file = files.configFile();
        ProfileFile profiles = files.profiles();
        named.ifPresent(n -> files.require(n, profiles));
        region = profiles.profile(profile)
                .flatMap(p -> p.property(ProfileProperty.REGION))
                .filter(r -> !r.isBlank());
        return region.orElseThrow(() -> LambdaformException.user("no AWS region: pass --region, set spec.region in"
                + " the Stack, set AWS_REGION or AWS_DEFAULT_REGION, or set a region in profile '" + profile + "' of "
                + file));
    }

    private static Optional<String> env(AwsConfig config, String name) {
        return Optional.ofNullable(config.environment().get(name)).filter(v -> !v.isBlank());
    }

    /**
     * The profile the run names (--profile, else AWS_PROFILE), alone: the environment's keys never win over it, and
     * a profile that is missing or yields no credentials is a user error now, before any call. Without one, the
     * SDK's default chain.
     */
    @Provides
    @Singleton
    AwsCredentialsProvider credentials() {
        Optional<SharedProfiles.Named> named = SharedProfiles.named(config);
        if (named.isPresent()) {
            return SharedProfiles.of(config.environment()).credentials(named.get());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Provides
    @Singleton
    LambdaClient lambda(AwsClients clients, Region region) {
        AwsConfig.ApiRate rate = config.effectiveApiRate();
        return rate.isLimited()
                ? clients.build(
                        LambdaClient.builder(),
                        region,
                        LambdaRateLimiter.shared(
                                region.id() + " "
                                        + config.endpoint()
                                                .map(Object::toString)
                                                .orElse("aws") + " "
                                        + config.profile().orElse(""),
                                rate))
                : clients.build(LambdaClient.builder());
    }

    @Provides
    @Singleton
    IamClient iam(AwsClients clients, Region region) {
        // IAM is a global service, served from its partition's global region.
        Region global = region.id().startsWith("cn-")
                ? Region.AWS_CN_GLOBAL
                : region.id().startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
        return clients.build(IamClient.builder(), global);
    }

    /** Not a singleton: in the CLI's production stage singletons are built at start; AwsCloud builds this once, if used. */
    @Provides
    StsClient sts(AwsClients clients) {
        return clients.build(StsClient.builder());
    }

    @Provides
    @Singleton
    ResourceGroupsTaggingApiClient tagging(AwsClients clients) {
        return clients.build(ResourceGroupsTaggingApiClient.builder());
    }

    /** Not a singleton, as for STS: only a command that takes a --lock-table lock builds it. */
    @Provides
    DynamoDbClient dynamo(AwsClients clients) {
        return clients.build(DynamoDbClient.builder());
    }

    /** Not a singleton, as for STS: only the logs command builds it (AwsLogs, on its first read). */
    @Provides
    CloudWatchLogsClient logs(AwsClients clients) {
        return clients.build(CloudWatchLogsClient.builder());
    }

    @Provides
    @Singleton
    AwsCloud awsCloud(
            Provider<StsClient> sts,
            Provider<DynamoDbClient> dynamo,
            Region region,
            ApiCallCounter counter,
            RetryReporter retries,
            ProgressListener progress) {
        return new AwsCloud(sts, dynamo, config, region.id(), counter, retries, AwsCloud.Sleeper.REAL, progress);
    }

    @Provides
    @Singleton
    CloudProvider cloud(AwsCloud cloud) {
        return cloud;
    }

    /** Every kind's port bound to its AWS adapter ({@code AwsRoles} for {@code Roles}), and {@code Ports}. */
    public static Module adapters() {
        return Kinds.adapters(AwsCloudModule.class, "Aws");
    }
}
