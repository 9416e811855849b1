package io.lambdaform.apply;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.Interruption;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.SchemaValidator;
import io.lambdaform.manifest.YamlReader;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.plan.LiveReader;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planner;
import io.lambdaform.plan.Planning;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplierTest {
    @TempDir
    Path dir;

    @Test
    void apply_whenAnOperationFails_startsNothingNew_reportsWhatWasNotDone_andARerunConverges() {
        Path manifests = TestFiles.helloSet(dir.resolve("m"));
        // A second function whose role is an ARN that does not exist on the target: CreateFunction is refused.
        write(
                manifests,
                "bad.yaml",
                "kind: Function\nname: aaa-bad\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: arn:aws:iam::000000000000:role/missing\n");
        TestTarget<LocalCloud> cloud =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        Stack stack = new ManifestReader(new YamlReader(), new SchemaValidator())
                .read(List.of(manifests), manifests)
                .stack()
                .orElseThrow();
        CodePackager packager = new CodePackager();
        Planning planner = new Planning(new LiveReader(cloud.cloud(), cloud.ports(), packager), new Planner());
        Applier applier =
                new Applier(new OperationRunner(cloud.ports(), packager, ProgressListener.NONE), new Interruption());

        ApplyResult result = applier.apply(planner.plan(stack, Set.of()), ApplyListener.NONE, 1);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.withStatus(ApplyResult.Status.FAILED)).singleElement().satisfies(o -> {
            assertThat(o.operation().operation().key().name()).isEqualTo("aaa-bad");
            assertThat(o.error()).get().asString().contains("cannot be assumed by Lambda");
        });
        // One at a time, in plan order: the role and its policy were done, then the bad create failed, so the
        // good function, though ready, was never started.
        assertThat(result.withStatus(ApplyResult.Status.SUCCEEDED))
                .extracting(o -> o.operation().operation().summary())
                .containsExactly(
                        "create role",
                        "attach managed policy " + "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(result.withStatus(ApplyResult.Status.NOT_STARTED))
                .extracting(o -> o.operation().operation().key().toString())
                .containsExactly("function app");
        assertThat(cloud.functions().findFunction("app")).isEmpty();
        assertThat(cloud.roles().findRole("app-role")).isPresent();

        write(manifests, "bad.yaml", "# removed\n");
        Stack fixed = new ManifestReader(new YamlReader(), new SchemaValidator())
                .read(List.of(manifests), manifests)
                .stack()
                .orElseThrow();
        assertThat(applier.apply(planner.plan(fixed, Set.of()), ApplyListener.NONE, 4)
                        .succeeded())
                .isTrue();
        Plan after = planner.plan(fixed, Set.of());
        assertThat(after.isEmpty()).isTrue();
    }
}
