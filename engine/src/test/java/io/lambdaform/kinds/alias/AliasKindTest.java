package io.lambdaform.kinds.alias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Payload;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Versions and aliases as a function of records: the manifests and what the target holds in, the plan out. */
class AliasKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/ext";
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());
    private static final FunctionSettings SETTINGS = FunctionSettings.of("python3.12", "app.handler");
    private static final Payload GREET = new Payload(
            "greet", "app", "{}", new Payload.Expectation(Optional.empty(), Optional.empty(), Optional.empty()));

    /** A package by its contents' digest; its CodeSha256 is derived from it. */
    private static DeploymentPackage code(String source) {
        return new DeploymentPackage(new byte[] {1}, "zip-" + source, source, 1);
    }

    private static Stack stack(int keep, Alias... aliases) {
        Function function = new Function(
                "app",
                CODE,
                new RoleRef.External(ROLE_ARN),
                SETTINGS,
                new TreeSet<>(),
                new TreeMap<>(),
                Optional.of(new Function.Publishing(keep)));
        List<Resource> resources = new ArrayList<>(List.of(function));
        resources.addAll(List.of(aliases));
        return new Stack("app", Optional.of("eu-west-1"), new TreeMap<>(), resources, List.of(GREET), Sensitive.NONE);
    }

    private static Alias live(boolean gated) {
        return new Alias("app", "live", Optional.empty(), gated, Optional.empty());
    }

    private static FunctionVersion version(String number, String source, String... aliases) {
        return new FunctionVersion(
                number, "zip-" + source, source, ROLE_ARN, SETTINGS, new TreeSet<>(Set.of(aliases)), new TreeSet<>());
    }

    /** A version that {@code alias} rolls back to. */
    private static FunctionVersion previous(String number, String source, String alias) {
        return new FunctionVersion(
                number, "zip-" + source, source, ROLE_ARN, SETTINGS, new TreeSet<>(), new TreeSet<>(Set.of(alias)));
    }

    /** The function runs {@code running} ($LATEST) and has {@code versions}. */
    private static FunctionState function(String running, List<FunctionVersion> versions) {
        TreeMap<String, String> tags = new TreeMap<>(Map.of(
                Stack.OWNER_TAG,
                "app",
                FunctionKind.CODE_TAG,
                "zip-" + running,
                FunctionKind.SOURCE_TAG,
                running,
                FunctionKind.PUBLISH_TAG,
                "true"));
        return new FunctionState(
                        "app",
                        "arn:aws:lambda:eu-west-1:123456789012:function:app",
                        ROLE_ARN,
                        SETTINGS,
                        "zip-" + running,
                        1,
                        tags,
                        "Active",
                        "Successful")
                .withVersions(versions);
    }

    private static Aliases.State alias(String version, String previous) {
        return new Aliases.State(
                "app",
                "live",
                "arn:aws:lambda:eu-west-1:123456789012:function:app:live",
                version,
                new TreeMap<>(),
                Aliases.State.description("app", Optional.ofNullable(previous)));
    }

    /** The plan when the manifests hold {@code local} and the target what is given. */
    private static Plan plan(Stack stack, String local, FunctionState function, Aliases.State alias, boolean gates) {
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .live(FunctionKind.KIND, "app", Optional.ofNullable(function))
                .live(AliasKind.KIND, "app:live", Optional.ofNullable(alias))
                .source(CODE, new SourceDigest(local, 1))
                .code(CODE, code(local))
                .build();
        return new Planner().plan(stack, live, new PlanOptions(new TreeSet<>(), gates));
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().summary())
                .toList();
    }

    @Test
    void nothingChanged_publishesNothing_andMovesNothing() {
        Plan plan = plan(
                stack(3, live(true)), "a", function("a", List.of(version("1", "a", "live"))), alias("1", null), true);

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void newCode_publishesOneVersion_andMovesTheAliasOnceItsPayloadsPass() {
        Plan plan = plan(
                stack(3, live(true)), "b", function("a", List.of(version("1", "a", "live"))), alias("1", null), true);

        assertThat(steps(plan))
                .containsExactly(
                        "function app: update code",
                        "function app: publish version (code b)",
                        "alias app:live: alias live: 1 → (new), once its payloads pass (greet)");
        assertThat(plan.operations().get(2).dependsOn()).containsExactly(1);
    }

    @Test
    void manifestsBackAtAnEarlierVersion_moveTheAliasThere_publishingNothing() {
        Plan plan = plan(
                stack(3, live(false)),
                "a",
                function("b", List.of(version("1", "a"), version("2", "b", "live"))),
                alias("2", "1"),
                true);

        assertThat(steps(plan))
                .containsExactly(
                        "function app: update code",
                        "alias app:live: alias live: 2 → 1 (existing version, nothing published)");
    }

    @Test
    void gatesTurnedOff_areSaidInThePlan() {
        Plan plan = plan(
                stack(3, live(true)), "b", function("a", List.of(version("1", "a", "live"))), alias("1", null), false);

        assertThat(steps(plan)).last().asString().endsWith("payload gate skipped (--no-payload-gate)");
    }

    @Test
    void pruning_keepsTheNewest_andNeverAVersionAnAliasRoutesOrRollsBackTo_norAnotherToolsVersion() {
        List<FunctionVersion> versions = List.of(
                previous("1", "a", "live"),
                new FunctionVersion("2", "zip-x", "", ROLE_ARN, SETTINGS),
                version("3", "c"),
                version("4", "d"),
                version("5", "e"),
                version("6", "f", "live"));

        Plan plan = plan(stack(2, live(false)), "f", function("f", versions), alias("6", "1"), true);

        // Kept: 6 (the release, aliased), 1 (the alias rolls back to it), 5 (the newest other), 2 (not Lambdaform's).
        assertThat(steps(plan)).containsExactly("function app: delete version 3", "function app: delete version 4");
    }

    @Test
    void pruning_inTheApplyThatMovesTheAlias_leavesNothingForTheNextPlan() {
        // live on 6, rolling back to 5; the release 7 moves it: 6 becomes what it rolls back to, and 5 is free.
        List<FunctionVersion> versions =
                List.of(version("3", "c"), version("4", "d"), previous("5", "e", "live"), version("6", "f", "live"));

        Plan plan = plan(stack(3, live(false)), "g", function("f", versions), alias("6", "5"), true);

        // Kept after the apply: 7 (live), 6 (its previous), and the two newest others, 5 and 4.
        assertThat(steps(plan))
                .contains("function app: delete version 3")
                .doesNotContain("function app: delete version 5");
    }

    @Test
    void aCanary_sendsItsShareToTheNewVersion_andTheAliasStays() {
        Alias canary = new Alias("app", "live", Optional.empty(), false, Optional.of(0.1));

        Plan plan =
                plan(stack(3, canary), "b", function("a", List.of(version("1", "a", "live"))), alias("1", null), true);

        assertThat(steps(plan)).last().asString().isEqualTo("alias app:live: alias live: 1 → 1 (90%) + (new) (10%)");
    }

    @Test
    void aVersionPinned_thatTheFunctionDoesNotHave_isRefused() {
        Alias pinned = new Alias("app", "live", Optional.of("9"), false, Optional.empty());

        assertThatThrownBy(() -> plan(
                        stack(3, pinned),
                        "a",
                        function("a", List.of(version("1", "a", "live"))),
                        alias("1", null),
                        true))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("pinned to version 9, which function app does not have");
    }

    @Test
    void rollback_movesTheAliasToTheVersionItRoutedToBefore_inOneChange() {
        Stack stack = stack(3, live(true));
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .live(AliasKind.KIND, "app:live", Optional.of(alias("4", "3")))
                .build();

        Plan plan = new Planner()
                .planWith(
                        stack,
                        live,
                        builder -> AliasKind.rollback(
                                live(true), live.live(AliasKind.KIND, "app:live"), Optional.empty(), builder));

        assertThat(steps(plan)).containsExactly("alias app:live: alias live: 4 → 3 (rollback)");
        assertThatThrownBy(() -> new Planner()
                        .planWith(
                                stack,
                                live,
                                builder -> AliasKind.rollback(
                                        live(true), Optional.of(alias("4", null)), Optional.empty(), builder)))
                .hasMessageContaining("records no version it routed to before");
    }
}
