package io.lambdaform.kinds.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.diff.FieldChange;
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
import io.lambdaform.resource.Resource;
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

/** Layers, and functions that name them, as a function of records: the manifests and the target in, the plan out. */
class LayerKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/ext";
    private static final String LAYER_ARN = "arn:aws:lambda:eu-west-1:123456789012:layer:helpers";
    private static final CodeSource LAYER_CODE =
            new CodeSource(Path.of("/nowhere/helpers"), CodeSource.Kind.FOLDER, List.of());
    private static final CodeSource APP_CODE =
            new CodeSource(Path.of("/nowhere/app"), CodeSource.Kind.FOLDER, List.of());
    private static final Layer HELPERS =
            new Layer("helpers", LAYER_CODE, List.of("python3.12"), List.of(), "shared", Optional.empty());

    private static DeploymentPackage code(String source) {
        return new DeploymentPackage(new byte[] {1}, "zip-" + source, source, 1);
    }

    private static Function app(String... layers) {
        return new Function(
                "app",
                APP_CODE,
                new RoleRef.External(ROLE_ARN),
                FunctionSettings.of("python3.12", "app.handler").withLayers(List.of(layers)),
                new TreeSet<>(),
                new TreeMap<>());
    }

    private static Stack stack(Resource... resources) {
        return new Stack("s", Optional.of("eu-west-1"), new TreeMap<>(), List.of(resources), List.of(), Sensitive.NONE);
    }

    /** A version the stack published, holding {@code source}, as the manifest declares it. */
    private static Layers.Version version(long number, String source) {
        return new Layers.Version(
                number,
                LAYER_ARN + ":" + number,
                "zip-" + source,
                1,
                Layers.Version.description("s", source, "shared"),
                List.of("python3.12"),
                List.of(),
                "");
    }

    private static Layers.State layer(Layers.Version... versions) {
        return new Layers.State("helpers", LAYER_ARN, List.of(versions));
    }

    /** The function runs package {@code source} with {@code layers}. */
    private static FunctionState running(String source, String... layers) {
        TreeMap<String, String> tags = new TreeMap<>(
                Map.of(Stack.OWNER_TAG, "s", FunctionKind.CODE_TAG, "zip-" + source, FunctionKind.SOURCE_TAG, source));
        return new FunctionState(
                "app",
                "arn:aws:lambda:eu-west-1:123456789012:function:app",
                ROLE_ARN,
                FunctionSettings.of("python3.12", "app.handler").withLayers(List.of(layers)),
                "zip-" + source,
                1,
                tags,
                "Active",
                "Successful");
    }

    private static LiveState.Builder live(String layerSource, Optional<Layers.State> layer, FunctionState function) {
        return LiveState.builder(TARGET, Kinds.ALL)
                .live(LayerKind.KIND, "helpers", layer)
                .live(FunctionKind.KIND, "app", Optional.ofNullable(function))
                .source(LAYER_CODE, new SourceDigest(layerSource, 1))
                .code(LAYER_CODE, code(layerSource))
                .code(APP_CODE, code("app"));
    }

    /** The stack's versions of helpers in the inventory, read for pruning as the live reader reads them. */
    private static LiveState.Builder inventory(LiveState.Builder live, Layers.State layer) {
        TreeSet<String> names = new TreeSet<>();
        for (Layers.Version v : layer.versions()) {
            String name = Layer.versionName("helpers", v.number());
            names.add(name);
            live.live(LayerKind.KIND, name, layer.only(v.number()));
        }
        return live.inventory(LayerKind.KIND, names);
    }

    private static Plan plan(Stack stack, LiveState live) {
        return new Planner().plan(stack, live, new PlanOptions(new TreeSet<>(), true));
    }

    private static Plan plan(Stack stack, LiveState live, Set<String> adopt) {
        return new Planner().plan(stack, live, new PlanOptions(new TreeSet<>(adopt), true));
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().summary())
                .toList();
    }

    private static PlannedOperation step(Plan plan, String summary) {
        return plan.operations().stream()
                .filter(op -> (op.operation().key() + ": " + op.operation().summary()).equals(summary))
                .findFirst()
                .orElseThrow(() -> new AssertionError(summary + " not in " + steps(plan)));
    }

    private static String layersOf(Plan plan, PlannedOperation op) {
        return plan.changes(op.operation()).stream()
                .filter(c -> c.field().equals("layers"))
                .map(FieldChange::after)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse("(no change)");
    }

    @Test
    void aNewLayer_isPublished_andAFunctionNamingIt_isCreatedWithTheVersionKnownAfterApply() {
        Plan plan = plan(
                stack(HELPERS, app("helpers")),
                live("a", Optional.empty(), null).build());

        assertThat(steps(plan))
                .containsExactly("layer helpers: publish version (code a)", "function app: create function");
        PlannedOperation create = step(plan, "function app: create function");
        assertThat(create.dependsOn()).contains(0);
        assertThat(layersOf(plan, create)).isEqualTo("[" + LAYER_ARN + ":" + LayerKind.PUBLISHED + "]");
    }

    @Test
    void unchangedContents_publishNothing_andTheFunctionKeepsTheNewestVersion() {
        Layers.State live = layer(version(1, "a"), version(2, "b"));

        Plan plan = plan(
                stack(HELPERS, app("helpers")),
                inventory(live("b", Optional.of(live), running("app", LAYER_ARN + ":2")), live)
                        .build());

        assertThat(plan.isEmpty()).as(steps(plan).toString()).isFalse();
        // Version 1 is the stack's, older than the newest, and no function uses it: it goes, after the functions.
        assertThat(steps(plan)).containsExactly("layer helpers:1: delete version 1");
    }

    @Test
    void nothingChanged_andNoOlderVersion_planNothing() {
        Layers.State live = layer(version(2, "b"));

        Plan plan = plan(
                stack(HELPERS, app("helpers")),
                inventory(live("b", Optional.of(live), running("app", LAYER_ARN + ":2")), live)
                        .build());

        assertThat(plan.isEmpty()).as(steps(plan).toString()).isTrue();
    }

    @Test
    void newContents_publishAVersion_moveTheFunctionToIt_thenPruneTheOldOne() {
        Layers.State live = layer(version(1, "a"));

        Plan plan = plan(
                stack(HELPERS, app("helpers")),
                inventory(live("b", Optional.of(live), running("app", LAYER_ARN + ":1")), live)
                        .build());

        assertThat(steps(plan))
                .containsExactly(
                        "layer helpers: publish version (code b)",
                        "function app: update configuration",
                        "layer helpers:1: delete version 1");
        PlannedOperation update = step(plan, "function app: update configuration");
        assertThat(update.dependsOn())
                .contains(step(plan, "layer helpers: publish version (code b)").id());
        assertThat(layersOf(plan, update)).isEqualTo("[" + LAYER_ARN + ":" + LayerKind.PUBLISHED + "]");
        assertThat(step(plan, "layer helpers:1: delete version 1").dependsOn()).contains(update.id());
    }

    @Test
    void newSettings_publishAVersion_evenWithTheSameContents() {
        Layer arm =
                new Layer("helpers", LAYER_CODE, List.of("python3.12"), List.of("arm64"), "shared", Optional.empty());
        Layers.State live = layer(version(1, "a"));

        Plan plan = plan(
                stack(arm), inventory(live("a", Optional.of(live), null), live).build());

        assertThat(steps(plan))
                .containsExactly("layer helpers: publish version (code a)", "layer helpers:1: delete version 1");
        assertThat(plan.changes(plan.operations().get(0).operation()))
                .contains(FieldChange.change("compatibleArchitectures", "[]", "[arm64]"));
    }

    @Test
    void aVersionAFunctionsPublishedVersionRuns_isKept() {
        Layers.State live = layer(version(1, "a"));
        FunctionState function = running("app", LAYER_ARN + ":1")
                .withVersions(List.of(new FunctionVersion(
                        "1",
                        "zip-app",
                        "app",
                        ROLE_ARN,
                        FunctionSettings.of("python3.12", "app.handler").withLayers(List.of(LAYER_ARN + ":1")))));

        Plan plan = plan(
                stack(HELPERS, app("helpers")),
                inventory(live("b", Optional.of(live), function), live).build());

        assertThat(steps(plan))
                .containsExactly("layer helpers: publish version (code b)", "function app: update configuration");
    }

    @Test
    void aFunctionNamingAVersionByArn_keepsIt() {
        Layers.State live = layer(version(1, "a"), version(2, "b"));

        Plan plan = plan(
                stack(HELPERS, app(LAYER_ARN + ":1")),
                inventory(live("b", Optional.of(live), running("app", LAYER_ARN + ":1")), live)
                        .build());

        assertThat(plan.isEmpty()).as(steps(plan).toString()).isTrue();
    }

    @Test
    void aLayerThatNoStackPublished_isAConflict_unlessAdopted_thenPublishedAsTheStacks() {
        Layers.Version other = new Layers.Version(
                1, LAYER_ARN + ":1", "zip-a", 1, "made by hand", List.of("python3.12"), List.of(), "");
        LiveState live = live("a", Optional.of(layer(other)), null).build();

        Plan conflicted = plan(stack(HELPERS), live);
        assertThat(conflicted.conflicts()).hasSize(1);
        assertThat(conflicted.operations()).isEmpty();

        Plan adopted = plan(stack(HELPERS), live, Set.of("helpers"));
        assertThat(steps(adopted)).containsExactly("layer helpers: publish version (code a)");
        assertThat(adopted.changes(adopted.operations().get(0).operation()))
                .contains(FieldChange.change("owner", "(none)", "s"));
    }

    @Test
    void aLayerNoLongerDeclared_losesEveryVersionTheStackPublished() {
        Layers.State live = layer(version(1, "a"), version(2, "b"));

        Plan plan = plan(
                stack(), inventory(live("b", Optional.of(live), null), live).build());

        assertThat(steps(plan))
                .containsExactlyInAnyOrder("layer helpers:2: delete version 2", "layer helpers:1: delete version 1");
    }

    @Test
    void theDescription_recordsOwnerAndContents_andShowsTheManifestsText() {
        Layers.Version v = version(3, "abc=");

        assertThat(v.owner()).contains("s");
        assertThat(v.sourceSha256()).contains("abc=");
        assertThat(v.shownDescription()).isEqualTo("shared");
        assertThat(new Layers.Version(1, "x", "", 0, "by hand", List.of(), List.of(), "").owner())
                .isEmpty();
    }
}
