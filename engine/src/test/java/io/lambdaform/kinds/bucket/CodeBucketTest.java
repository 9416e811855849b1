package io.lambdaform.kinds.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.layer.Layer;
import io.lambdaform.kinds.layer.LayerKind;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The stack's code bucket and staged packages as a function of records: the manifests and the target in, the plan out. */
class CodeBucketTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/ext";
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/big"), CodeSource.Kind.FOLDER, List.of());
    private static final Bucket CODE_BUCKET = new Bucket("code-123", new TreeMap<>(), true);
    private static final long MB = 1024 * 1024;

    private static Stack stack(Optional<String> codeBucket, Resource... resources) {
        return new Stack(
                "app",
                Optional.of("eu-west-1"),
                new TreeMap<>(),
                List.of(resources),
                List.of(),
                Sensitive.NONE,
                new TreeSet<>(),
                new TreeSet<>(),
                codeBucket);
    }

    private static Function big() {
        return new Function(
                "big",
                CODE,
                new RoleRef.External(ROLE_ARN),
                FunctionSettings.of("python3.12", "app.handler"),
                new TreeSet<>(),
                new TreeMap<>());
    }

    /** A package of {@code size} bytes whose CodeSha256 is derived from {@code name}. */
    private static DeploymentPackage code(String name, long size) {
        String sha =
                Base64.getEncoder().encodeToString(String.format("%-32s", name).getBytes());
        return new DeploymentPackage(new byte[(int) size], sha, "source-" + name, size);
    }

    private static FunctionState running(DeploymentPackage code) {
        return new FunctionState(
                "big",
                "arn:aws:lambda:eu-west-1:123456789012:function:big",
                ROLE_ARN,
                FunctionSettings.of("python3.12", "app.handler"),
                code.codeSha256(),
                code.size(),
                new TreeMap<>(Map.of(
                        Stack.OWNER_TAG,
                        "app",
                        FunctionKind.CODE_TAG,
                        code.codeSha256(),
                        FunctionKind.SOURCE_TAG,
                        code.sourceSha256())),
                "Active",
                "Successful");
    }

    private static Buckets.State bucket(Map<String, String> tags, String... staged) {
        return new Buckets.State(
                "code-123", "arn:aws:s3:::code-123", new TreeMap<>(tags), new TreeSet<>(Set.of(staged)));
    }

    private static Plan plan(Stack stack, Buckets.State bucket, FunctionState function, DeploymentPackage local) {
        return new Planner()
                .plan(
                        stack,
                        LiveState.builder(TARGET, Kinds.ALL)
                                .live(BucketKind.KIND, "code-123", Optional.ofNullable(bucket))
                                .live(FunctionKind.KIND, "big", Optional.ofNullable(function))
                                .code(CODE, local)
                                .build(),
                        Set.of());
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().summary())
                .toList();
    }

    @Test
    void aPackageOverTheDirectLimit_isStagedInTheCodeBucket_createdFirstWithTheStacksTag() {
        DeploymentPackage large = code("a", 60 * MB);

        Plan plan = plan(stack(Optional.of("code-123"), CODE_BUCKET, big()), null, null, large);

        String key = CodeStaging.key("app", large.codeSha256());
        assertThat(key).startsWith("lambdaform/app/").endsWith(".zip");
        assertThat(steps(plan))
                .containsExactly(
                        "bucket code-123: create bucket",
                        "function big: create function (staged in s3://code-123/" + key + ")");
        PlannedOperation create = plan.operations().get(1);
        assertThat(create.dependsOn()).contains(0);
        assertThat(plan.operations().get(0).operation().changes())
                .extracting(c -> c.field() + "=" + c.after().orElseThrow())
                .contains("tags.lambdaform:stack=app");
    }

    @Test
    void aPackageOverTheDirectLimit_withoutACodeBucket_isRefusedAtPlan_withTheAdvice() {
        DeploymentPackage large = code("a", 60 * MB);

        assertThatThrownBy(() -> plan(stack(Optional.empty(), big()), null, null, large))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("the package of function big is 60.0 MB zipped")
                .hasMessageContaining("Set spec.codeBucket in the Stack");
    }

    @Test
    void aSmallPackage_goesInTheRequest_evenWithACodeBucket() {
        Plan plan = plan(stack(Optional.of("code-123"), CODE_BUCKET, big()), bucket(Map.of()), null, code("a", MB));

        assertThat(steps(plan)).containsExactly("function big: create function");
    }

    @Test
    void aBucketThatExistsWithoutTheStacksTag_isUsedAsItIs() {
        Plan plan = plan(
                stack(Optional.of("code-123"), CODE_BUCKET, big()),
                bucket(Map.of("team", "platform")),
                null,
                code("a", 60 * MB));

        assertThat(plan.conflicts()).isEmpty();
        assertThat(steps(plan)).singleElement().asString().startsWith("function big: create function (staged in");
    }

    @Test
    void stagedPackagesNothingRunsAnyMore_areDeleted_andTheOneRunningIsKept() {
        DeploymentPackage old = code("a", 60 * MB);
        DeploymentPackage now = code("b", 60 * MB);
        String oldKey = CodeStaging.key("app", old.codeSha256());
        String stray = "lambdaform/app/0000.zip";

        Plan plan = plan(
                stack(Optional.of("code-123"), CODE_BUCKET, big()),
                bucket(Map.of(Stack.OWNER_TAG, "app"), oldKey, stray),
                running(old),
                now);

        assertThat(steps(plan))
                .containsExactly(
                        "bucket code-123: delete 2 staged package(s) nothing of the stack runs any more",
                        "function big: update code (staged in s3://code-123/" + CodeStaging.key("app", now.codeSha256())
                                + ")");
    }

    @Test
    void aLayerOverTheDirectLimit_isStagedTheSameWay() {
        Layer layer = new Layer("deps", CODE, List.of(), List.of(), "", Optional.empty());
        DeploymentPackage large = code("l", 70 * MB);

        Plan plan = new Planner()
                .plan(
                        stack(Optional.of("code-123"), CODE_BUCKET, layer),
                        LiveState.builder(TARGET, Kinds.ALL)
                                .live(BucketKind.KIND, "code-123", Optional.empty())
                                .live(LayerKind.KIND, "deps", Optional.empty())
                                .code(CODE, large)
                                .build(),
                        Set.of());

        assertThat(steps(plan))
                .containsExactly(
                        "bucket code-123: create bucket",
                        "layer deps: publish version (code source-l) (staged in s3://code-123/"
                                + CodeStaging.key("app", large.codeSha256()) + ")");
        assertThat(plan.operations().get(1).dependsOn()).containsExactly(0);
    }

    @Test
    void thePackageTheFunctionRuns_staysStaged_andTheNextPlanIsEmpty() {
        DeploymentPackage running = code("a", 60 * MB);

        Plan plan = plan(
                stack(Optional.of("code-123"), CODE_BUCKET, big()),
                bucket(Map.of(Stack.OWNER_TAG, "app"), CodeStaging.key("app", running.codeSha256())),
                running(running),
                running);

        assertThat(plan.isEmpty()).as(steps(plan).toString()).isTrue();
    }
}
