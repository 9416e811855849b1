package io.lambdaform.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved plan checked against a fresh one, from records: what apply says when they differ. */
class SavedPlanCheckTest {
    private static final TargetDescription TARGET =
            new TargetDescription("local", "in memory", "000000000000", "eu-west-1");
    private static final String ROLE_ARN = "arn:aws:iam::000000000000:role/external";
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());
    private static final String MANIFESTS = "manifests-digest";

    @TempDir
    Path dir;

    private static Plan plan(DeploymentPackage code) {
        Function function = new Function(
                "app",
                CODE,
                new RoleRef.External(ROLE_ARN),
                FunctionSettings.of("python3.12", "app.handler"),
                new TreeSet<>(),
                new TreeMap<>());
        Stack desired = new Stack(
                "app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(function), List.of(), Sensitive.NONE);
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .live(FunctionKind.KIND, "app", Optional.empty())
                .code(CODE, code)
                .build();
        return new Planner().plan(desired, live, Set.of());
    }

    private SavedPlan saved(Plan plan) throws IOException {
        Path file = dir.resolve("plan.json");
        PlanInputs inputs = new PlanInputs(
                List.of("app"),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                new TreeSet<>(),
                MANIFESTS);
        Files.writeString(file, PlanDocument.render(plan, inputs));
        return SavedPlan.read(file);
    }

    @Test
    void samePackage_isCurrent() throws IOException {
        DeploymentPackage code = new DeploymentPackage(new byte[] {1}, "Y29kZQ==", "c291cmNl", 1, "zlib");

        saved(plan(code)).requireCurrent(MANIFESTS, plan(code));
    }

    @Test
    void sameFilesZippedByAnotherDeflater_isRefusedNamingTheDeflaters_notAsStale() throws IOException {
        DeploymentPackage there = new DeploymentPackage(new byte[] {1}, "dGhlcmU=", "c291cmNl", 1, "libdeflate");
        DeploymentPackage here = new DeploymentPackage(new byte[] {2}, "aGVyZQ==", "c291cmNl", 1, "zlib");
        SavedPlan saved = saved(plan(there));

        assertThatThrownBy(() -> saved.requireCurrent(MANIFESTS, plan(here)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("was made on a machine that zips code to other bytes than this one")
                .hasMessageContaining("the code of function app holds the same files, but zips to CodeSha256 aGVyZQ=="
                        + " here instead of dGhlcmU= (deflated by zlib here, by libdeflate where the plan was made)")
                .hasMessageContaining("Nothing was changed; plan again here")
                .hasMessageNotContaining("stale");
    }

    @Test
    void sameFilesZippedByAnotherBuildOfTheSameDeflater_saysSo() throws IOException {
        DeploymentPackage there = new DeploymentPackage(new byte[] {1}, "dGhlcmU=", "c291cmNl", 1, "zlib");
        DeploymentPackage here = new DeploymentPackage(new byte[] {2}, "aGVyZQ==", "c291cmNl", 1, "zlib");
        SavedPlan saved = saved(plan(there));

        assertThatThrownBy(() -> saved.requireCurrent(MANIFESTS, plan(here)))
                .hasMessageContaining("deflated by another build of zlib than where the plan was made")
                .hasMessageNotContaining("stale");
    }

    @Test
    void otherFiles_isAStalePlan() throws IOException {
        DeploymentPackage there = new DeploymentPackage(new byte[] {1}, "dGhlcmU=", "c291cmNl", 1, "zlib");
        DeploymentPackage changed = new DeploymentPackage(new byte[] {2}, "aGVyZQ==", "b3RoZXI=", 1, "zlib");
        SavedPlan saved = saved(plan(there));

        assertThatThrownBy(() -> saved.requireCurrent(MANIFESTS, plan(changed)))
                .hasMessageStartingWith("stale plan ")
                .hasMessageContaining("files the manifests point to (such as code) changed");
    }

    @Test
    void theSavedPlanRecordsWhatEachPackageHoldsAndWhatDeflatedIt() throws IOException {
        DeploymentPackage code = new DeploymentPackage(new byte[] {1}, "Y29kZQ==", "c291cmNl", 1, "libdeflate");

        saved(plan(code));

        assertThat(Files.readString(dir.resolve("plan.json")))
                .contains("\"packages\" : {\n      \"Y29kZQ==\" : {\n        \"sourceSha256\" : \"c291cmNl\",\n"
                        + "        \"deflater\" : \"libdeflate\"");
    }
}
