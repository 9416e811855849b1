package io.lambdaform.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.SourceDigest;
import io.lambdaform.cloud.TargetDescription;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The planner as a function of records: desired stack and live state in, plan out; no file, no cloud. */
class PurePlannerTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/app-role";
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());
    private static final DeploymentPackage PACKAGE =
            new DeploymentPackage(new byte[] {1}, "c29tZS1zaGE=", "c291cmNl", 1);

    private static FunctionSettings settings(String description, Map<String, String> environment) {
        return FunctionSettings.of("python3.12", "app.handler")
                .withDescription(description)
                .withEnvironment(environment);
    }

    private static Stack desired(Sensitive sensitive, FunctionSettings settings) {
        Role role = new Role(
                "app-role", "/", "", TRUST, new TreeSet<>(), new TreeMap<>(), new TreeMap<>(), 3600, Optional.empty());
        Function function = new Function(
                "app", CODE, new RoleRef.StackRole("app-role"), settings, new TreeSet<>(), new TreeMap<>());
        return new Stack(
                "app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(role, function), List.of(), sensitive);
    }

    private static LiveState live(Optional<RoleState> role, Optional<FunctionState> function, Set<String> orphans) {
        return LiveState.builder(TARGET, Kinds.ALL)
                .live(RoleKind.KIND, "app-role", role)
                .live(FunctionKind.KIND, "app", function)
                .inventory(FunctionKind.KIND, new TreeSet<>(orphans))
                .code(CODE, PACKAGE)
                .build();
    }

    private static RoleState liveRole() {
        return new RoleState(
                "app-role",
                ROLE_ARN,
                "/",
                "",
                TRUST,
                new TreeSet<>(),
                new TreeMap<>(),
                new TreeMap<>(Map.of(Stack.OWNER_TAG, "app")),
                3600,
                Optional.empty());
    }

    private static FunctionState liveFunction(FunctionSettings settings, Map<String, String> extraTags) {
        TreeMap<String, String> tags = new TreeMap<>(Map.of(
                Stack.OWNER_TAG,
                "app",
                FunctionKind.CODE_TAG,
                PACKAGE.codeSha256(),
                FunctionKind.SOURCE_TAG,
                PACKAGE.sourceSha256()));
        tags.putAll(extraTags);
        return new FunctionState(
                "app",
                "arn:aws:lambda:eu-west-1:123456789012:function:app",
                ROLE_ARN,
                settings,
                PACKAGE.codeSha256(),
                1L,
                tags,
                "Active",
                "Successful");
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().summary())
                .toList();
    }

    @Test
    void nothingLive_createsTheRoleThenTheFunction() {
        Plan plan = new Planner()
                .plan(
                        desired(Sensitive.NONE, settings("", Map.of())),
                        live(Optional.empty(), Optional.empty(), Set.of()),
                        Set.of());

        assertThat(steps(plan)).containsExactly("role app-role: create role", "function app: create function");
        assertThat(plan.operations().get(1).dependsOn()).containsExactly(0);
        assertThat(plan.target()).isEqualTo(TARGET);
    }

    @Test
    void liveMatchesDesired_isAnEmptyPlan_andAnUndeclaredFunctionOfTheStackIsDeleted() {
        FunctionSettings settings = settings("", Map.of());
        Plan same = new Planner()
                .plan(
                        desired(Sensitive.NONE, settings),
                        live(Optional.of(liveRole()), Optional.of(liveFunction(settings, Map.of())), Set.of()),
                        Set.of());
        Plan orphan = new Planner()
                .plan(
                        desired(Sensitive.NONE, settings),
                        live(Optional.of(liveRole()), Optional.of(liveFunction(settings, Map.of())), Set.of("old")),
                        Set.of());

        assertThat(same.isEmpty()).isTrue();
        assertThat(steps(orphan)).containsExactly("function old: delete function");
    }

    @Test
    void aSensitiveDescription_isMasked_andTheLiveValueOfAMarkedFunctionIsNeverShown() {
        Sensitive sensitive = Sensitive.of(List.of("s3cr3t-from-env"));
        FunctionSettings wanted = settings("by s3cr3t-from-env", Map.of("MODE", "x"));
        FunctionSettings deployed = settings("old secret value", Map.of("MODE", "y"));

        Plan plan = new Planner()
                .plan(
                        desired(sensitive, wanted),
                        live(
                                Optional.of(liveRole()),
                                Optional.of(liveFunction(deployed, Map.of(Stack.SENSITIVE_TAG, "true"))),
                                Set.of()),
                        Set.of());

        String shown = plan.operations().stream()
                .flatMap(op -> plan.changes(op.operation()).stream())
                .map(Object::toString)
                .reduce("", String::concat);
        assertThat(shown)
                .contains("(sensitive)")
                .doesNotContain("s3cr3t-from-env", "old secret value", "MODE, " + "Optional[\"y\"]");
    }

    @Test
    void aFunctionThatRunsItsSource_needsNoPackage_whileAChangedSourceIsPlannedFromItsPackage() {
        FunctionSettings settings = settings("", Map.of());
        FunctionState running = liveFunction(settings, Map.of());
        LiveState digestsOnly = LiveState.builder(TARGET, Kinds.ALL)
                .live(RoleKind.KIND, "app-role", Optional.of(liveRole()))
                .live(FunctionKind.KIND, "app", Optional.of(running))
                .source(CODE, new SourceDigest(PACKAGE.sourceSha256(), 1))
                .build();
        DeploymentPackage changed = new DeploymentPackage(new byte[] {2}, "bmV3LXNoYQ==", "bmV3LXNvdXJjZQ==", 1);
        LiveState changedSource = LiveState.builder(TARGET, Kinds.ALL)
                .live(RoleKind.KIND, "app-role", Optional.of(liveRole()))
                .live(FunctionKind.KIND, "app", Optional.of(running))
                .code(CODE, changed)
                .build();

        // Without a package in the live state, planning would fail if it needed one: nothing is compressed.
        assertThat(FunctionKind.KIND.needsPackage(
                        desired(Sensitive.NONE, settings)
                                .resource(FunctionKind.KIND, "app")
                                .orElseThrow(),
                        Optional.of(running),
                        new SourceDigest(PACKAGE.sourceSha256(), 1)))
                .isFalse();
        assertThat(new Planner()
                        .plan(desired(Sensitive.NONE, settings), digestsOnly, Set.of())
                        .isEmpty())
                .isTrue();
        assertThat(steps(new Planner().plan(desired(Sensitive.NONE, settings), changedSource, Set.of())))
                .containsExactly("function app: update code");
    }
}
