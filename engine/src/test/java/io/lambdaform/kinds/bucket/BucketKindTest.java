package io.lambdaform.kinds.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Buckets as a function of records: the manifests and what the target holds in, the plan out. */
class BucketKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");

    private static Stack stack(Resource... resources) {
        return new Stack(
                "app",
                Optional.of("eu-west-1"),
                new TreeMap<>(Map.of("project", "demo")),
                List.of(resources),
                List.of(),
                Sensitive.NONE);
    }

    private static Bucket bucket(Map<String, String> tags) {
        return new Bucket("uploads-123", new TreeMap<>(tags));
    }

    private static Buckets.State live(Map<String, String> tags) {
        return new Buckets.State("uploads-123", "arn:aws:s3:::uploads-123", new TreeMap<>(tags));
    }

    private static Plan plan(Stack stack, Buckets.State live) {
        return new Planner()
                .plan(
                        stack,
                        LiveState.builder(TARGET, Kinds.ALL)
                                .live(BucketKind.KIND, "uploads-123", Optional.ofNullable(live))
                                .build(),
                        Set.of());
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().type() + " "
                        + op.operation().summary())
                .toList();
    }

    @Test
    void anAbsentBucket_isCreatedWithTheStacksTagsAndItsOwn() {
        Plan plan = plan(stack(bucket(Map.of("team", "core"))), null);

        assertThat(steps(plan)).containsExactly("bucket uploads-123: CreateBucket create bucket");
        assertThat(plan.operations().get(0).operation().changes())
                .extracting(c -> c.field() + "=" + c.after().orElseThrow())
                .containsExactly("tags.lambdaform:stack=app", "tags.project=demo", "tags.team=core");
    }

    @Test
    void aBucketAsDeclared_plansNothing() {
        Plan plan = plan(
                stack(bucket(Map.of("team", "core"))),
                live(Map.of(Stack.OWNER_TAG, "app", "project", "demo", "team", "core")));

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void changedTags_areTaggedAndUntagged_andTheBucketIsKept() {
        Plan plan = plan(
                stack(bucket(Map.of("team", "data"))),
                live(Map.of(Stack.OWNER_TAG, "app", "project", "demo", "team", "core", "old", "x")));

        assertThat(steps(plan))
                .containsExactly(
                        "bucket uploads-123: TagResource tag team", "bucket uploads-123: UntagResource untag old");
    }

    @Test
    void aBucketOfAnotherStack_isAConflict_withoutOperations() {
        Plan plan = plan(stack(bucket(Map.of())), live(Map.of(Stack.OWNER_TAG, "other")));

        assertThat(plan.operations()).isEmpty();
        assertThat(plan.conflicts())
                .singleElement()
                .satisfies(c -> assertThat(c.owner()).contains("other"));
    }

    @Test
    void aBucketNoLongerDeclared_isDeletedAfterTheFunctionsOperations() {
        Function function = new Function(
                "app",
                new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of()),
                new RoleRef.External("arn:aws:iam::123456789012:role/ext"),
                FunctionSettings.of("python3.12", "app.handler"),
                new TreeSet<>(),
                new TreeMap<>(),
                Optional.empty());
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .inventory(BucketKind.KIND, new TreeSet<>(Set.of("uploads-123")))
                .inventory(FunctionKind.KIND, new TreeSet<>(Set.of("gone")))
                .live(FunctionKind.KIND, "app", Optional.<FunctionState>empty())
                .build();

        Plan plan = new Planner().planDestroy(stack(function), live);

        PlannedOperation deleteFunction = plan.operations().stream()
                .filter(op -> op.operation().type().name().equals("DeleteFunction"))
                .findFirst()
                .orElseThrow();
        PlannedOperation deleteBucket = plan.operations().stream()
                .filter(op -> op.operation().type().name().equals("DeleteBucket"))
                .findFirst()
                .orElseThrow();
        assertThat(deleteBucket.operation().key()).isEqualTo(BucketKind.key("uploads-123"));
        assertThat(deleteBucket.dependsOn()).contains(deleteFunction.id());
    }
}
