package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan --out, then apply FILE: exactly the planned operations, or nothing when the plan went stale. */
class SavedPlanTest {
    @TempDir
    Path dir;

    private CliRunner cli;
    private Path manifests;
    private Path planFile;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        manifests = TestFiles.helloSet(dir.resolve("app"));
        planFile = dir.resolve("plan.json");
    }

    private TestTarget<LocalCloud> cloud() {
        return TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "eu-west-1")));
    }

    @Test
    void applySavedPlan_appliesExactlyThePlannedOperations_andTheNextPlanIsEmpty() throws IOException {
        CliRunner.Result plan = cli.run("plan", manifests.toString(), "--out", planFile.toString());
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(Files.readString(planFile))
                .contains("\"manifestsDigest\"", "\"liveFingerprint\"")
                .doesNotContain("hunter2");

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains(
                        "+ role app-role: create role",
                        "+ function app: create function",
                        "Apply complete: 2 created, 0 updated, 0 deleted.");
        assertThat(cloud().functions()
                        .findFunction("app")
                        .orElseThrow()
                        .settings()
                        .environment())
                .containsEntry("TOKEN", "hunter2");
        assertThat(cli.run("plan", manifests.toString(), "--detailed-exitcode").exitCode())
                .isZero();
    }

    @Test
    void applySavedPlan_afterAnOutOfBandChange_isRefusedAsStale_andChangesNothing() {
        assertThat(cli.run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();
        write(manifests, "function.yaml", readFunction().replace("timeout: 5", "timeout: 6"));
        assertThat(cli.run("plan", manifests.toString(), "--out", planFile.toString())
                        .exitCode())
                .isZero();
        FunctionState live = cloud().functions().findFunction("app").orElseThrow();
        cloud().functions().updateFunctionConfiguration("app", live.roleArn(), withMemory(live.settings(), 1024));

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("stale plan", "the live state changed: function app", "Nothing was changed");
        FunctionState after = cloud().functions().findFunction("app").orElseThrow();
        assertThat(after.settings().timeout()).isEqualTo(5);
        assertThat(after.settings().memorySize()).isEqualTo(1024);
    }

    @Test
    void applySavedPlan_afterTheManifestsChanged_isRefusedAsStale() {
        assertThat(cli.run("plan", manifests.toString(), "--out", planFile.toString())
                        .exitCode())
                .isZero();
        write(manifests, "function.yaml", readFunction().replace("MODE: test", "MODE: other"));

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("stale plan", "the manifests (or the variable values) changed");
        assertThat(cloud().roles().findRole("app-role")).isEmpty();
    }

    @Test
    void applySavedPlan_afterTheCodeChanged_isRefusedAsStale() {
        assertThat(cli.run("plan", manifests.toString(), "--out", planFile.toString())
                        .exitCode())
                .isZero();
        write(manifests, "src/app.py", "def handler(event, context):\n    return 'changed'\n");

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("stale plan", "operations it would take now differ");
    }

    @Test
    void applySavedPlan_editedAfterPlan_namesTheEdit_notTheCode() throws IOException {
        assertThat(cli.run("plan", manifests.toString(), "--out", planFile.toString())
                        .exitCode())
                .isZero();
        Files.writeString(planFile, Files.readString(planFile).replace("\"python3.12\"", "\"python3.13\""));

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err())
                .contains("stale plan", "the plan file was edited after 'plan --out' wrote it")
                .doesNotContain("code");
    }

    @Test
    void applySavedPlan_afterTheCodeChanged_namesTheFunction() {
        assertThat(cli.run("plan", manifests.toString(), "--out", planFile.toString())
                        .exitCode())
                .isZero();
        assertThat(cli.run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();
        assertThat(cli.run("plan", manifests.toString(), "--out", planFile.toString())
                        .exitCode())
                .isZero();
        write(manifests, "src/app.py", "def handler(event, context):\n    return 'changed'\n");

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.err()).contains("function app: saved [], now [UpdateFunctionCode]");
    }

    @Test
    void applySavedPlan_recordsTheEnvironment() {
        Path orders = Path.of("../manifests/orders").toAbsolutePath().normalize();
        assertThat(cli.run("plan", orders.toString(), "--env", "prod", "--out", planFile.toString())
                        .exitCode())
                .isZero();

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Stack orders-prod", "Apply complete: 4 created");
        assertThat(cli.run("apply", planFile.toString(), "--env", "dev").err()).contains("records its own");
    }

    @Test
    void applyFormatJson_printsOnlyTheResultDocument() throws IOException {
        CliRunner.Result apply = cli.run("apply", manifests.toString(), "--auto-approve", "--format", "json");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        var result = new ObjectMapper().readTree(apply.out());
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("results"))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.path("status").asText()).isEqualTo("succeeded"));
        assertThat(apply.err()).contains("Apply complete");
        assertThat(apply.out()).doesNotContain("hunter2");
        CliRunner.Result markdown = cli.run("apply", manifests.toString(), "--auto-approve", "--format", "markdown");
        assertThat(markdown.out())
                .startsWith("### Lambdaform apply: stack `app`")
                .contains("**No changes.**");
    }

    @Test
    void notAPlanFile_isAClearError() throws IOException {
        Files.writeString(planFile, "{\"hello\": 1}");

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("is not a plan saved by 'lambdaform plan --out'");
    }

    private String readFunction() {
        try {
            return Files.readString(manifests.resolve("function.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FunctionSettings withMemory(FunctionSettings s, int memory) {
        return s.withMemorySize(memory);
    }
}
