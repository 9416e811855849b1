package io.lambdaform.kinds.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.Tagging;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A function made by hand runs a zip of other bytes than Lambdaform's zip of the same files: the digest of what the
 * live package holds decides, and the plan records it instead of uploading the code again. Records in, plan out.
 */
class FunctionLiveSourceTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/elsewhere";
    private static final CodeSource FOLDER = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());
    private static final CodeSource ARCHIVE =
            new CodeSource(Path.of("/nowhere/app.zip"), CodeSource.Kind.ARCHIVE, List.of());
    /** Lambdaform's zip of the folder. */
    private static final DeploymentPackage LOCAL = new DeploymentPackage(new byte[] {1}, "bG9jYWw=", "c291cmNl", 10);
    /** The zip the user made with another tool: other bytes, the same files. */
    private static final String HAND_MADE_SHA = "aGFuZC1tYWRl";

    private static final FunctionSettings SETTINGS = FunctionSettings.of("python3.12", "app.handler");

    private static Stack stack(CodeSource code) {
        Function function =
                new Function("app", code, new RoleRef.External(ROLE_ARN), SETTINGS, new TreeSet<>(), new TreeMap<>());
        return new Stack(
                "app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(function), List.of(), Sensitive.NONE);
    }

    private static FunctionState live(String codeSha256, Map<String, String> tags) {
        return new FunctionState(
                "app",
                "arn:aws:lambda:eu-west-1:123456789012:function:app",
                ROLE_ARN,
                SETTINGS,
                codeSha256,
                10L,
                new TreeMap<>(tags),
                "Active",
                "Successful");
    }

    private static Plan plan(CodeSource code, FunctionState function, Optional<SourceDigest> liveSource) {
        LiveState.Builder live = LiveState.builder(TARGET, Kinds.ALL)
                .live(FunctionKind.KIND, "app", Optional.of(function))
                .code(code, LOCAL);
        liveSource.ifPresent(s -> live.liveSource(FunctionKind.key("app"), s));
        return new Planner().plan(stack(code), live.build(), Set.of("app"));
    }

    private static List<String> types(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().type().name())
                .toList();
    }

    private static Map<String, String> taggedWith(Plan plan) {
        return ((Tagging.TagResource) plan.operations().get(0).operation()).tags();
    }

    @Test
    void handMadeFunction_runningTheSameContents_isOnlyTagged_withTheStackAndTheCodeItRuns() {
        Plan plan =
                plan(FOLDER, live(HAND_MADE_SHA, Map.of()), Optional.of(new SourceDigest(LOCAL.sourceSha256(), 10)));

        assertThat(types(plan)).containsExactly("TagResource");
        assertThat(taggedWith(plan))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        Stack.OWNER_TAG,
                        "app",
                        FunctionKind.SOURCE_TAG,
                        LOCAL.sourceSha256(),
                        FunctionKind.CODE_TAG,
                        HAND_MADE_SHA));
    }

    @Test
    void handMadeFunction_runningOtherContents_getsTheCode() {
        Plan plan =
                plan(FOLDER, live(HAND_MADE_SHA, Map.of()), Optional.of(new SourceDigest("b3RoZXItY29udGVudHM=", 10)));

        assertThat(types(plan)).containsExactly("UpdateFunctionCode", "TagResource");
        assertThat(taggedWith(plan.operations().get(1).operation()))
                .doesNotContainKeys(FunctionKind.SOURCE_TAG, FunctionKind.CODE_TAG);
    }

    @Test
    void handMadeFunction_whosePackageTheTargetDidNotServe_getsTheCode() {
        Plan plan = plan(FOLDER, live(HAND_MADE_SHA, Map.of()), Optional.empty());

        assertThat(types(plan)).containsExactly("UpdateFunctionCode", "TagResource");
    }

    @Test
    void functionRunningTheLocalBytes_withoutCodeTags_isTaggedWithThem() {
        Plan plan = plan(ARCHIVE, live(LOCAL.codeSha256(), Map.of()), Optional.empty());

        assertThat(types(plan)).containsExactly("TagResource");
        assertThat(taggedWith(plan))
                .containsEntry(FunctionKind.CODE_TAG, LOCAL.codeSha256())
                .containsEntry(FunctionKind.SOURCE_TAG, LOCAL.sourceSha256());
    }

    @Test
    void theLivePackageIsAskedFor_onlyWhenTheFunctionRecordsNoCodeAndRunsOtherBytes_andNotForAnArchive() {
        Function folder = stack(FOLDER).resources(FunctionKind.KIND).get(0);
        Function archive = stack(ARCHIVE).resources(FunctionKind.KIND).get(0);
        Map<CodeSource, DeploymentPackage> packages = Map.of(FOLDER, LOCAL, ARCHIVE, LOCAL);
        FunctionKind kind = FunctionKind.KIND;

        assertThat(kind.needsLiveSource(folder, live(HAND_MADE_SHA, Map.of()), packages))
                .isTrue();
        assertThat(kind.needsLiveSource(
                        folder, live(HAND_MADE_SHA, Map.of(FunctionKind.CODE_TAG, HAND_MADE_SHA)), packages))
                .isFalse();
        assertThat(kind.needsLiveSource(folder, live(LOCAL.codeSha256(), Map.of()), packages))
                .isFalse();
        assertThat(kind.needsLiveSource(archive, live(HAND_MADE_SHA, Map.of()), packages))
                .isFalse();
        assertThat(kind.needsLiveSource(folder, live(HAND_MADE_SHA, Map.of()), Map.of()))
                .isFalse();
        assertThat(RoleKind.KIND.needsLiveSource(null, null, packages)).isFalse();
    }

    private static Map<String, String> taggedWith(Operation operation) {
        return ((Tagging.TagResource) operation).tags();
    }
}
