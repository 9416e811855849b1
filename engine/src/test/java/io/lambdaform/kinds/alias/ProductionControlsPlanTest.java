package io.lambdaform.kinds.alias;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.SourceDigest;
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

/**
 * Plans of an alias's provisioned concurrency and a function's runtime management, as records (issue #22, from its
 * review): what AWS needs of their order, and an allocation left IN_PROGRESS waited on again.
 */
class ProductionControlsPlanTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/ext";
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());
    private static final FunctionSettings SETTINGS = FunctionSettings.of("python3.12", "app.handler");
    private static final String RUNTIME_VERSION =
            "arn:aws:lambda:eu-west-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9";

    private static Function function(FunctionSettings settings) {
        return new Function(
                "app",
                CODE,
                new RoleRef.External(ROLE_ARN),
                settings,
                new TreeSet<>(),
                new TreeMap<>(),
                Optional.of(new Function.Publishing(3)));
    }

    private static FunctionState live(String running, FunctionSettings settings) {
        TreeMap<String, String> tags = new TreeMap<>(Map.of(
                Stack.OWNER_TAG,
                "app",
                FunctionKind.CODE_TAG,
                "zip-" + running,
                FunctionKind.SOURCE_TAG,
                running,
                FunctionKind.PUBLISH_TAG,
                "true"));
        FunctionVersion one = new FunctionVersion(
                "1", "zip-" + running, running, ROLE_ARN, SETTINGS, new TreeSet<>(Set.of("live")), new TreeSet<>());
        return new FunctionState(
                        "app",
                        "arn:aws:lambda:eu-west-1:123456789012:function:app",
                        ROLE_ARN,
                        settings,
                        "zip-" + running,
                        1,
                        tags,
                        "Active",
                        "Successful")
                .withVersions(List.of(one));
    }

    private static Aliases.State alias(Optional<Aliases.Provisioned> provisioned) {
        return new Aliases.State(
                        "app",
                        "live",
                        "arn:aws:lambda:eu-west-1:123456789012:function:app:live",
                        "1",
                        new TreeMap<>(),
                        Aliases.State.description("app", Optional.empty()))
                .withProvisioned(provisioned);
    }

    private static Plan plan(Function desired, Alias alias, String local, FunctionState function, Aliases.State live) {
        Stack stack = new Stack(
                "app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(desired, alias), List.of(), Sensitive.NONE);
        LiveState state = LiveState.builder(TARGET, Kinds.ALL)
                .live(FunctionKind.KIND, "app", Optional.of(function))
                .live(AliasKind.KIND, "app:live", Optional.of(live))
                .source(CODE, new SourceDigest(local, 1))
                .code(CODE, new DeploymentPackage(new byte[] {1}, "zip-" + local, local, 1))
                .build();
        return new Planner().plan(stack, state, new PlanOptions(new TreeSet<>(), false));
    }

    private static PlannedOperation named(Plan plan, String type) {
        return plan.operations().stream()
                .filter(op -> op.operation().type().name().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + plan.operations()));
    }

    /**
     * Lambda refuses PutProvisionedConcurrencyConfig above the function's reserved concurrency. Raising both in one
     * apply must put the reservation first; the plan lets them run in parallel, in either order.
     */
    @Test
    void provisionedConcurrencyRaisedWithReservedConcurrency_isPutAfterTheReservation() {
        Function desired = function(SETTINGS.withReservedConcurrency(Optional.of(20)));
        Alias alias = new Alias("app", "live", Optional.empty(), false, Optional.empty(), Optional.of(10));
        Plan plan = plan(
                desired,
                alias,
                "a",
                live("a", SETTINGS.withReservedConcurrency(Optional.of(5))),
                alias(Optional.of(new Aliases.Provisioned(3, 3, "READY", Optional.empty()))));

        PlannedOperation reserve = named(plan, "PutFunctionConcurrency");
        PlannedOperation provision = named(plan, "PutProvisionedConcurrencyConfig");

        assertThat(provision.dependsOn())
                .as("PutProvisionedConcurrencyConfig(10) must wait for PutFunctionConcurrency(20)")
                .contains(reserve.id());
    }

    /**
     * An apply killed (or timed out) while Lambda allocated leaves the allocation IN_PROGRESS with the amount asked
     * for: the next apply must wait for READY again, not report success with a warning.
     */
    @Test
    void provisionedConcurrencyStillInProgress_afterAKilledApply_isWaitedOnByTheNextApply() {
        Alias alias = new Alias("app", "live", Optional.empty(), false, Optional.empty(), Optional.of(5));
        Plan plan = plan(
                function(SETTINGS),
                alias,
                "a",
                live("a", SETTINGS),
                alias(Optional.of(new Aliases.Provisioned(5, 2, "IN_PROGRESS", Optional.empty()))));

        assertThat(plan.operations())
                .as("an operation that waits for READY (the plan holds only a warning note)")
                .isNotEmpty();
    }

    /**
     * Lambda keeps a runtime management configuration per version, and a version published takes $LATEST's at that
     * moment: the configuration must be put before the version the alias moves to is published, or the alias runs a
     * version with the mode the manifests just changed away from (and no later plan sees it).
     */
    @Test
    void runtimeManagement_isPutBeforeTheVersionIsPublished() {
        FunctionSettings manual = SETTINGS.withRuntimeManagement(
                Optional.of(new FunctionSettings.RuntimeManagement("Manual", Optional.of(RUNTIME_VERSION))));
        Alias alias = new Alias("app", "live", Optional.empty(), false, Optional.empty());
        Plan plan = plan(function(manual), alias, "b", live("a", SETTINGS), alias(Optional.empty()));

        int put = named(plan, "PutRuntimeManagementConfig").id();
        PlannedOperation publish = named(plan, "PublishVersion");

        assertThat(publish.dependsOn())
                .as("PublishVersion must follow PutRuntimeManagementConfig")
                .contains(put);
    }
}
