package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.bucket.Buckets;
import io.lambdaform.resource.Stack;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The {@link Buckets} port's contract, on the local cloud and on moto. */
class BucketsContractTest {
    @TempDir
    Path work;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private Buckets buckets(String target, String region) {
        return ContractTargets.empty(target, work, region, progress::add)
                .ports()
                .get(Buckets.class);
    }

    private static TreeMap<String, String> owned(String stack) {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, stack, "team", "core"));
    }

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createBucket_isFound_withItsArnAndTags_inTheTargetsRegion(String target) {
        Buckets buckets = buckets(target, "eu-west-1");
        assertThat(buckets.find("contract-bucket")).isEmpty();

        Buckets.State created = buckets.createBucket("contract-bucket", owned("s1"));

        assertThat(created.arn()).isEqualTo("arn:aws:s3:::contract-bucket");
        assertThat(buckets.find("contract-bucket")).contains(created);
        assertThat(created.tags()).containsEntry(Stack.OWNER_TAG, "s1").containsEntry("team", "core");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createBucket_ofANameThatExists_isRefused(String target) {
        Buckets buckets = buckets(target, "eu-west-1");
        buckets.createBucket("dup-bucket", owned("s1"));

        assertThatThrownBy(() -> buckets.createBucket("dup-bucket", owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("dup-bucket");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void inventory_listsOnlyTheStacksOwnBuckets_butThoseExcepted(String target) {
        Buckets buckets = buckets(target, "us-east-1");
        buckets.createBucket("mine-bucket", owned("mine"));
        buckets.createBucket("mine-too-bucket", owned("mine"));
        buckets.createBucket("theirs-bucket", owned("theirs"));
        buckets.createBucket("nobodys-bucket", new TreeMap<>());

        assertThat(buckets.inventory("mine", Set.of())).containsExactly("mine-bucket", "mine-too-bucket");
        assertThat(buckets.inventory("mine", Set.of("mine-bucket"))).containsExactly("mine-too-bucket");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void tagAndUntag_areReadBack_downToNoTagAtAll(String target) {
        Buckets buckets = buckets(target, "us-east-1");
        buckets.createBucket("tag-bucket", owned("s1"));

        buckets.tag("tag-bucket", Map.of("env", "dev", "team", "data"));
        assertThat(buckets.find("tag-bucket").orElseThrow().tags())
                .containsExactly(Map.entry("env", "dev"), Map.entry(Stack.OWNER_TAG, "s1"), Map.entry("team", "data"));

        buckets.untag("tag-bucket", List.of("team", Stack.OWNER_TAG));
        assertThat(buckets.find("tag-bucket").orElseThrow().tags()).containsExactly(Map.entry("env", "dev"));
        assertThat(buckets.inventory("s1", Set.of())).isEmpty();

        buckets.untag("tag-bucket", List.of("env"));
        assertThat(buckets.find("tag-bucket").orElseThrow().tags()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void deleteBucket_removesIt_andDeletingItAgainSucceeds(String target) {
        Buckets buckets = buckets(target, "us-east-1");
        buckets.createBucket("del-bucket", owned("s1"));

        buckets.deleteBucket("del-bucket");
        buckets.deleteBucket("del-bucket");

        assertThat(buckets.find("del-bucket")).isEmpty();
        assertThat(buckets.inventory("s1", Set.of())).isEmpty();
    }

    @Test
    void onMoto_deletingABucketThatHoldsObjects_isAUserError_andTheBucketAndItsObjectsAreKept() {
        URI moto = MotoServer.freshEndpoint();
        Buckets buckets = ContractTargets.aws(moto, "us-east-1", ProgressListener.NONE)
                .ports()
                .get(Buckets.class);
        buckets.createBucket("full-bucket", owned("s1"));
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(moto)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build()) {
            s3.putObject(r -> r.bucket("full-bucket").key("data.csv"), RequestBody.fromString("a,b\n"));

            assertThatThrownBy(() -> buckets.deleteBucket("full-bucket"))
                    .isInstanceOf(LambdaformException.class)
                    .hasMessageContaining("bucket full-bucket holds objects, and Lambdaform does not delete data")
                    .hasMessageContaining("Empty it first")
                    .satisfies(e -> assertThat(((LambdaformException) e).category())
                            .isEqualTo(LambdaformException.Category.USER));
            assertThat(s3.listObjectsV2(r -> r.bucket("full-bucket")).keyCount())
                    .isEqualTo(1);
        }
        assertThat(buckets.find("full-bucket")).isPresent();
    }

    @Test
    void onMoto_aCreateWhoseResponseIsLost_carriesOnWithTheBucketItMade_andTagsIt() {
        URI moto = MotoServer.freshEndpoint();
        for (String region : List.of("us-east-1", "eu-west-1")) {
            try (FaultProxy proxy = FaultProxy.to(moto).start()) {
                String name = "lost-" + region;
                proxy.script("s3:PUT /" + name, FaultProxy.Fault.LOST_RESPONSE);
                TestTarget<?> cloud = ContractTargets.aws(proxy.endpoint(), region, progress::add);

                Buckets.State created = cloud.ports().get(Buckets.class).createBucket(name, owned("s1"));

                assertThat(created.tags()).containsEntry(Stack.OWNER_TAG, "s1");
                assertThat(cloud.ports()
                                .get(Buckets.class)
                                .find(name)
                                .orElseThrow()
                                .tags())
                        .as(region)
                        .containsEntry(Stack.OWNER_TAG, "s1");
                assertThat(proxy.log()).containsExactly("s3:PUT /" + name + " LOST_RESPONSE");
            }
        }
    }

    @Test
    void onMoto_aCreateMeetingABucketOfAnotherStack_failsAsAConflict_andLeavesItsTags() {
        URI moto = MotoServer.freshEndpoint();
        Buckets other = ContractTargets.aws(moto, "eu-west-1", ProgressListener.NONE)
                .ports()
                .get(Buckets.class);
        other.createBucket("taken-bucket", owned("other"));

        assertThatThrownBy(() -> other.createBucket("taken-bucket", owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("conflict: bucket taken-bucket already exists and belongs to stack 'other'");
        assertThat(other.find("taken-bucket").orElseThrow().tags()).containsEntry(Stack.OWNER_TAG, "other");
    }
}
