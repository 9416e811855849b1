package io.lambdaform.plan;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.Interruption;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.apply.Applier;
import io.lambdaform.apply.ApplyListener;
import io.lambdaform.apply.OperationRunner;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.SchemaValidator;
import io.lambdaform.manifest.YamlReader;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {
    private static final ManifestReader READER = new ManifestReader(new YamlReader(), new SchemaValidator());

    @TempDir
    Path dir;

    private TestTarget<LocalCloud> cloud;
    private Path manifests;

    @BeforeEach
    void setUp() {
        cloud = TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        manifests = TestFiles.helloSet(dir.resolve("m"));
    }

    private Stack stack() {
        return READER.read(List.of(manifests), manifests).stack().orElseThrow();
    }

    private Plan plan() {
        return plan(Set.of());
    }

    private Plan plan(Set<String> adopt) {
        return new Planning(new LiveReader(cloud.cloud(), cloud.ports(), new CodePackager()), new Planner())
                .plan(stack(), adopt);
    }

    private void apply(Plan plan) {
        CodePackager packager = new CodePackager();
        assertThat(new Applier(new OperationRunner(cloud.ports(), packager, ProgressListener.NONE), new Interruption())
                        .apply(plan, ApplyListener.NONE, 4)
                        .succeeded())
                .isTrue();
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().summary())
                .toList();
    }

    @Test
    void plan_onEmptyTarget_createsRoleThenItsPolicyThenTheFunction() {
        Plan plan = plan();

        assertThat(steps(plan))
                .containsExactly(
                        "role app-role: create role",
                        "role app-role: attach managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                        "function app: create function");
        assertThat(plan.operations().get(1).dependsOn()).containsExactly(0);
        assertThat(plan.operations().get(2).dependsOn()).containsExactly(1);
        assertThat(plan.summary()).isEqualTo(new Plan.Summary(2, 0, 0));
    }

    @Test
    void plan_createFunction_masksSecretEnvironmentValues() {
        List<FieldChange> changes = plan().operations().get(2).operation().changes();

        assertThat(changes)
                .contains(FieldChange.set("environment.TOKEN", FieldChange.SENSITIVE))
                .contains(FieldChange.set("environment.MODE", "\"test\""));
        assertThat(changes.toString()).doesNotContain("hunter2");
    }

    @Test
    void plan_afterApply_isEmpty() {
        apply(plan());

        assertThat(plan().isEmpty()).isTrue();
    }

    @Test
    void plan_whenOnlyTheHandlerCodeChanged_isACodeUpdateOnly() {
        apply(plan());
        write(manifests, "src/app.py", "def handler(event, context):\n    return {'hello': 'changed'}\n");

        Plan plan = plan();

        assertThat(steps(plan)).containsExactly("function app: update code");
        assertThat(plan.operations().get(0).operation().changes())
                .singleElement()
                .satisfies(c -> assertThat(c.field()).isEqualTo("codeSha256"));
    }

    @Test
    void plan_whenTheLiveZipWasBuiltElsewhereFromTheSameContents_isEmpty() throws Exception {
        apply(plan());
        var local = new CodePackager()
                .pack(stack().resources(FunctionKind.KIND).get(0).code().orElseThrow());
        // The same files, zipped by another machine's deflate (here: stored, not compressed): other bytes.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(Deflater.NO_COMPRESSION);
            zip.putNextEntry(new ZipEntry("app.py"));
            zip.write(Files.readAllBytes(manifests.resolve("src/app.py")));
            zip.closeEntry();
        }
        byte[] elsewhere = bytes.toByteArray();
        String elsewhereSha = CodePackager.codeSha256(elsewhere);
        assertThat(elsewhereSha).isNotEqualTo(local.codeSha256());
        cloud.functions()
                .updateFunctionCode(
                        "app",
                        new DeploymentPackage(elsewhere, elsewhereSha, local.sourceSha256(), 0),
                        List.of("x86_64"));
        cloud.functions()
                .tagFunction(
                        "app",
                        Map.of(FunctionKind.CODE_TAG, elsewhereSha, FunctionKind.SOURCE_TAG, local.sourceSha256()));

        assertThat(plan().isEmpty()).isTrue();
    }

    @Test
    void plan_whenTheCodeWasReplacedOutOfBand_plansItBack_andApplyRecordsTheUpload() {
        apply(plan());
        var local = new CodePackager()
                .pack(stack().resources(FunctionKind.KIND).get(0).code().orElseThrow());
        var other = new CodePackager()
                .pack(new CodeSource(
                        TestFiles.write(dir, "other/app.py", "def handler(e, c):\n    return 'hacked'\n"),
                        CodeSource.Kind.FILE,
                        List.of()));
        cloud.functions().updateFunctionCode("app", other, List.of("x86_64"));

        Plan plan = plan();

        assertThat(steps(plan)).containsExactly("function app: update code");
        apply(plan);
        var live = cloud.functions().findFunction("app").orElseThrow();
        assertThat(live.codeSha256()).isEqualTo(local.codeSha256());
        assertThat(live.tags())
                .containsEntry(FunctionKind.CODE_TAG, local.codeSha256())
                .containsEntry(FunctionKind.SOURCE_TAG, local.sourceSha256());
        assertThat(plan().isEmpty()).isTrue();
    }

    @Test
    void plan_secretValueChanged_showsTheChangeButNeitherValue() {
        apply(plan());
        write(
                manifests,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: app-role\n  timeout: 5\n"
                        + "  environment:\n    MODE: test\n    TOKEN:\n      value: correct-horse\n      secret: true\n");

        Plan plan = plan();

        assertThat(plan.operations())
                .singleElement()
                .satisfies(op -> assertThat(op.operation().changes())
                        .containsExactly(
                                FieldChange.change("environment.TOKEN", FieldChange.SENSITIVE, FieldChange.SENSITIVE)));
        assertThat(PlanText.of(plan)).doesNotContain("correct-horse").doesNotContain("hunter2");
    }

    @Test
    void plan_configurationChanged_isFieldLevel() {
        apply(plan());
        cloud.functions()
                .updateFunctionConfiguration(
                        "app",
                        cloud.cloud().describe().roleArn("/", "app-role"),
                        settingsWith(
                                cloud.functions()
                                        .findFunction("app")
                                        .orElseThrow()
                                        .settings(),
                                60));

        Plan plan = plan();

        assertThat(steps(plan)).containsExactly("function app: update configuration");
        assertThat(plan.operations().get(0).operation().changes())
                .containsExactly(FieldChange.change("timeout", "60", "5"));
    }

    @Test
    void plan_trustPolicyWrittenDifferentlyButEquivalent_isEmpty() {
        write(
                manifests,
                "role.yaml",
                "kind: Role\nname: app-role\nspec:\n  assumeRolePolicyDocument:\n"
                        + "    Version: \"2012-10-17\"\n    Statement:\n      - Effect: Allow\n"
                        + "        Principal: {Service: [lambda.amazonaws.com]}\n        Action: [sts:AssumeRole]\n"
                        + "  managedPolicyArns:\n    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n");
        apply(plan());
        TestFiles.helloSet(manifests);

        assertThat(plan().isEmpty()).isTrue();
    }

    @Test
    void plan_functionAndRoleRemoved_deletesTheFunctionBeforeDetachingAndDeletingTheRole() {
        apply(plan());
        write(manifests, "function.yaml", "# nothing\n");
        write(manifests, "role.yaml", "# nothing\n");

        Plan plan = plan();

        assertThat(steps(plan))
                .containsExactly(
                        "function app: delete function",
                        "role app-role: detach managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                        "role app-role: delete role");
        assertThat(plan.operations().get(1).dependsOn()).containsExactly(0);
        assertThat(plan.operations().get(2).dependsOn()).containsExactly(1);
        apply(plan);
        assertThat(cloud.roles().findRole("app-role")).isEmpty();
        assertThat(cloud.functions().findFunction("app")).isEmpty();
    }

    @Test
    void plan_existingFunctionWithoutTheStackTag_isAConflictAndPlansNothingForIt() {
        apply(plan());
        cloud.functions().untagFunction("app", List.of(Stack.OWNER_TAG));

        Plan plan = plan();

        assertThat(plan.operations()).isEmpty();
        assertThat(plan.conflicts()).singleElement().satisfies(c -> {
            assertThat(c.key().toString()).isEqualTo("function app");
            assertThat(c.message()).contains("--adopt app");
        });
        assertThat(new Planning(new LiveReader(cloud.cloud(), cloud.ports(), new CodePackager()), new Planner())
                        .planDestroy("app")
                        .operations())
                .noneMatch(op -> op.operation().key().name().equals("app")
                        && op.operation().key().kind() == FunctionKind.KIND);
    }

    @Test
    void plan_withAdopt_tagsTheResourceAsThisStacks() {
        apply(plan());
        cloud.functions().untagFunction("app", List.of(Stack.OWNER_TAG));

        Plan plan = plan(Set.of("app"));

        assertThat(plan.conflicts()).isEmpty();
        assertThat(steps(plan)).containsExactly("function app: tag lambdaform:stack");
    }

    @Test
    void plan_tagRemovedOutOfBand_isRestored() {
        apply(plan());
        cloud.roles().untagRole("app-role", List.of("extra"));
        cloud.roles().tagRole("app-role", Map.of("added-by-hand", "x"));

        assertThat(steps(plan())).containsExactly("role app-role: untag added-by-hand");
    }

    @Test
    void planDestroy_deletesOnlyThisStacksResources() {
        apply(plan());
        cloud.roles()
                .createRole(new NewRole(
                        "other",
                        "/",
                        "",
                        "{}",
                        3600,
                        Optional.empty(),
                        new TreeMap<>(Map.of(Stack.OWNER_TAG, "other-stack"))));

        Plan plan = new Planning(new LiveReader(cloud.cloud(), cloud.ports(), new CodePackager()), new Planner())
                .planDestroy("app");

        assertThat(plan.resources().stream().map(Object::toString)).containsExactly("role app-role", "function app");
    }

    private static FunctionSettings settingsWith(FunctionSettings s, int timeout) {
        return s.withTimeout(timeout);
    }

    /** The plan as the CLI prints it, to check what a person would see. */
    static final class PlanText {
        static String of(Plan plan) {
            StringBuilder text = new StringBuilder();
            plan.operations()
                    .forEach(op -> text.append(op.operation().summary())
                            .append(op.operation().changes()));
            return text.toString();
        }
    }
}
