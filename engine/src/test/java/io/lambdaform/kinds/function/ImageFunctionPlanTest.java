package io.lambdaform.kinds.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.DeploymentPackage;
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

/** Functions of container images as a function of records: the URI diffed as code, the package type fixed. */
class ImageFunctionPlanTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "us-east-1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/ext";
    private static final String V1 = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1";
    private static final String V2 = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v2";
    private static final FunctionSettings IMAGE_SETTINGS = FunctionSettings.of("", "");

    private static Function image(String uri) {
        return new Function(
                "app",
                Optional.empty(),
                Optional.of(uri),
                new RoleRef.External(ROLE_ARN),
                IMAGE_SETTINGS,
                new TreeSet<>(),
                new TreeMap<>(),
                Optional.empty());
    }

    private static FunctionState live(Optional<String> uri) {
        return new FunctionState(
                "app",
                "arn:aws:lambda:us-east-1:123456789012:function:app",
                ROLE_ARN,
                uri.isPresent() ? IMAGE_SETTINGS : FunctionSettings.of("python3.12", "app.handler"),
                "digest",
                0,
                new TreeMap<>(Map.of(Stack.OWNER_TAG, "s")),
                "Active",
                "Successful",
                Optional.empty(),
                uri);
    }

    private static Plan plan(Function function, FunctionState live) {
        Stack stack = new Stack("s", Optional.empty(), new TreeMap<>(), List.of(function), List.of(), Sensitive.NONE);
        LiveState.Builder state =
                LiveState.builder(TARGET, Kinds.ALL).live(FunctionKind.KIND, "app", Optional.ofNullable(live));
        function.code().ifPresent(c -> state.code(c, new DeploymentPackage(new byte[] {1}, "zip", "src", 1)));
        return new Planner().plan(stack, state.build(), Set.of());
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream().map(op -> op.operation().summary()).toList();
    }

    @Test
    void anImageFunction_isCreatedWithItsUri_andPlannedEmptyOnceItRunsIt() {
        Plan create = plan(image(V1), null);
        assertThat(steps(create)).containsExactly("create function");
        assertThat(create.changes(create.operations().get(0).operation())).contains(FieldChange.set("imageUri", V1));

        assertThat(plan(image(V1), live(Optional.of(V1))).isEmpty()).isTrue();
    }

    @Test
    void aNewUri_replacesTheCode() {
        Plan plan = plan(image(V2), live(Optional.of(V1)));

        assertThat(steps(plan)).containsExactly("update code");
        assertThat(plan.changes(plan.operations().get(0).operation()))
                .containsExactly(FieldChange.change("imageUri", V1, V2));
    }

    @Test
    void thePackageType_cannotChange_eitherWay() {
        assertThatThrownBy(() -> plan(image(V1), live(Optional.empty())))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("function app runs a zip package on the target, and the manifests declare a"
                        + " container image: Lambda cannot change a function's package type");
        Function zip = new Function(
                "app",
                new CodeSource(Path.of("/nowhere"), CodeSource.Kind.FOLDER, List.of()),
                new RoleRef.External(ROLE_ARN),
                FunctionSettings.of("python3.12", "app.handler"),
                new TreeSet<>(),
                new TreeMap<>());
        assertThatThrownBy(() -> plan(zip, live(Optional.of(V1))))
                .hasMessageContaining("runs a container image on the target, and the manifests declare a zip package");
    }
}
