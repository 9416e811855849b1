package io.lambdaform.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.diff.FieldChange;
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
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.Tagging;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** {@code desired} with spec.release listing these resources. */
    private static Stack releasing(Stack desired, ResourceKey... released) {
        return new Stack(
                desired.name(),
                desired.region(),
                desired.tags(),
                desired.resources(),
                desired.payloads(),
                desired.sensitive(),
                desired.allowedAccounts(),
                new TreeSet<>(List.of(released)));
    }

    private static RoleState roleOwnedBy(String name, Optional<String> owner) {
        TreeMap<String, String> tags = new TreeMap<>(Map.of("team", "a"));
        owner.ifPresent(o -> tags.put(Stack.OWNER_TAG, o));
        return new RoleState(
                name,
                "arn:aws:iam::123456789012:role/" + name,
                "/",
                "",
                TRUST,
                new TreeSet<>(Set.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")),
                new TreeMap<>(),
                tags,
                3600,
                Optional.empty());
    }

    @Test
    void adopt_ofAResourceAnotherStackOwns_isAConflictNamingTheOwnerAndTheWayToMoveIt_andPlansNothingForIt() {
        FunctionSettings settings = settings("", Map.of());
        RoleState cli = roleOwnedBy("app-role", Optional.of("cli"));

        Plan plan = new Planner()
                .plan(
                        desired(Sensitive.NONE, settings),
                        live(Optional.of(cli), Optional.of(liveFunction(settings, Map.of())), Set.of()),
                        Set.of("app-role"));

        assertThat(plan.conflicts())
                .containsExactly(new Conflict(new ResourceKey(RoleKind.KIND, "app-role"), Optional.of("cli"), true));
        assertThat(plan.conflicts().get(0).message())
                .isEqualTo("role app-role belongs to stack 'cli'; --adopt takes only resources no stack owns. To move"
                        + " it, release it from stack 'cli' first (spec.release in its Stack manifest, then apply that"
                        + " stack), then adopt it here");
        assertThat(steps(plan)).noneMatch(step -> step.startsWith("role app-role"));
    }

    @Test
    void adopt_ofAResourceNoStackOwns_onlyTagsIt() {
        FunctionSettings settings = settings("", Map.of());
        RoleState handMade = roleOwnedBy("app-role", Optional.empty());
        Stack desired = desired(Sensitive.NONE, settings);
        Stack sameRole = new Stack(
                "app",
                desired.region(),
                new TreeMap<>(),
                List.of(
                        new Role(
                                "app-role",
                                "/",
                                "",
                                TRUST,
                                new TreeSet<>(handMade.managedPolicyArns()),
                                new TreeMap<>(),
                                new TreeMap<>(Map.of("team", "a")),
                                3600,
                                Optional.empty()),
                        desired.resource(FunctionKind.KIND, "app").orElseThrow()),
                List.of(),
                Sensitive.NONE);

        Plan withoutAdopt = new Planner()
                .plan(
                        sameRole,
                        live(Optional.of(handMade), Optional.of(liveFunction(settings, Map.of())), Set.of()),
                        Set.of());
        Plan adopted = new Planner()
                .plan(
                        sameRole,
                        live(Optional.of(handMade), Optional.of(liveFunction(settings, Map.of())), Set.of()),
                        Set.of("app-role"));

        assertThat(withoutAdopt.conflicts()).extracting(Conflict::owner).containsExactly(Optional.empty());
        assertThat(adopted.conflicts()).isEmpty();
        assertThat(steps(adopted)).containsExactly("role app-role: tag " + Stack.OWNER_TAG);
    }

    @Test
    void release_ofAFunctionOfTheStack_untagsItsOwnerTag_insteadOfDeletingIt() {
        FunctionSettings settings = settings("", Map.of());
        ResourceKey old = new ResourceKey(FunctionKind.KIND, "old");

        Plan plan = new Planner()
                .plan(
                        releasing(desired(Sensitive.NONE, settings), old),
                        live(Optional.of(liveRole()), Optional.of(liveFunction(settings, Map.of())), Set.of("old")),
                        Set.of());

        assertThat(steps(plan))
                .containsExactly(
                        "function old: release from stack 'app': untag " + Stack.OWNER_TAG + " (kept, not deleted)");
        Operation release = plan.operations().get(0).operation();
        assertThat(release.type()).isEqualTo(Operation.Type.of(Tagging.UntagResource.class));
        assertThat(release.action()).isEqualTo(Operation.Action.UPDATE);
        assertThat(release.changes()).containsExactly(FieldChange.remove("tags." + Stack.OWNER_TAG, "app"));
        assertThat(plan.summary().delete()).isZero();
    }

    @Test
    void release_ofARoleOfTheStack_keepsItsPolicies_andUntagsIt() {
        FunctionSettings settings = settings("", Map.of());
        ResourceKey shared = new ResourceKey(RoleKind.KIND, "shared-ex");
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .live(RoleKind.KIND, "app-role", Optional.of(liveRole()))
                .live(FunctionKind.KIND, "app", Optional.of(liveFunction(settings, Map.of())))
                .live(RoleKind.KIND, "shared-ex", Optional.of(roleOwnedBy("shared-ex", Optional.of("app"))))
                .inventory(RoleKind.KIND, new TreeSet<>(Set.of("shared-ex")))
                .code(CODE, PACKAGE)
                .build();

        Plan pruned = new Planner().plan(desired(Sensitive.NONE, settings), live, Set.of());
        Plan released = new Planner().plan(releasing(desired(Sensitive.NONE, settings), shared), live, Set.of());

        assertThat(steps(pruned)).contains("role shared-ex: delete role");
        assertThat(steps(released))
                .containsExactly(
                        "role shared-ex: release from stack 'app': untag " + Stack.OWNER_TAG + " (kept, not deleted)");
    }

    @Test
    void release_ofAResourceTheStackNoLongerOwns_plansNothing() {
        FunctionSettings settings = settings("", Map.of());
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .live(RoleKind.KIND, "app-role", Optional.of(liveRole()))
                .live(FunctionKind.KIND, "app", Optional.of(liveFunction(settings, Map.of())))
                .code(CODE, PACKAGE)
                .build();

        Plan plan = new Planner()
                .plan(
                        releasing(
                                desired(Sensitive.NONE, settings),
                                new ResourceKey(RoleKind.KIND, "gone-ex"),
                                new ResourceKey(FunctionKind.KIND, "gone")),
                        live,
                        Set.of());

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void destroy_releasesWhatTheStackReleases_andDeletesTheRest() {
        FunctionSettings settings = settings("", Map.of());
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .inventory(FunctionKind.KIND, new TreeSet<>(Set.of("app", "kept")))
                .build();

        Plan plan = new Planner()
                .planDestroy(
                        releasing(desired(Sensitive.NONE, settings), new ResourceKey(FunctionKind.KIND, "kept")), live);

        assertThat(steps(plan))
                .containsExactly(
                        "function app: delete function",
                        "function kept: release from stack 'app': untag " + Stack.OWNER_TAG + " (kept, not deleted)");
    }

    @Test
    void anIndexOfTheStack_isComputedOncePerPlan_however_manyResourcesReadIt() {
        AtomicInteger computed = new AtomicInteger();
        PlanBuilder.Index<Integer> resources = new PlanBuilder.Index<>("resources", stack -> {
            computed.incrementAndGet();
            return stack.resources().size();
        });
        List<Integer> read = new ArrayList<>();
        Stack stack = desired(Sensitive.NONE, settings("", Map.of()));

        new Planner().planWith(stack, live(Optional.empty(), Optional.empty(), Set.of()), plan -> {
            for (int i = 0; i < 3; i++) {
                read.add(plan.index(resources));
            }
        });
        new Planner()
                .planWith(
                        stack,
                        live(Optional.empty(), Optional.empty(), Set.of()),
                        plan -> read.add(plan.index(resources)));

        assertThat(read).containsExactly(2, 2, 2, 2);
        assertThat(computed).as("once per plan").hasValue(2);
    }
}
