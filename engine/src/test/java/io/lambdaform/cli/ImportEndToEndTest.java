package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lambdaform import} on the local cloud, then plan and apply of what it wrote, as a user would. */
class ImportEndToEndTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    private static final String SECRET = "s3cr3t-v4lue-of-the-token";
    /** YAML's and Lambdaform's special characters, a newline and non-ASCII text. */
    private static final String HOSTILE = "Greets: everyone # not a comment\n- yes, ${var.x} & *alias ünïcödé ✓ 日本";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private CliRunner cli;
    private TestTarget<LocalCloud> outOfBand;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        outOfBand = TestTarget.local(
                new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1", "python3", "node")));
    }

    /** A zip as another tool makes it: stored, its own order, a folder entry, an executable file. */
    private static DeploymentPackage handMadeZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setMethod(ZipArchiveOutputStream.STORED);
            entry(zip, "lib/", null, 040755);
            entry(zip, "lib/util.py", "GREETING = 'hello'\n", 0100664);
            entry(zip, "bin/run.sh", "#!/bin/sh\necho run\n", 0100775);
            entry(
                    zip,
                    "app.py",
                    "from lib.util import GREETING\n\ndef handler(event, context):\n    return GREETING\n",
                    0100600);
        }
        byte[] zip = bytes.toByteArray();
        return new DeploymentPackage(zip, CodePackager.codeSha256(zip), "unused", 0);
    }

    private static void entry(ZipArchiveOutputStream zip, String name, String content, int mode) throws IOException {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(mode);
        byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putArchiveEntry(entry);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    /** A role and a function made by hand (no Lambdaform tag at all), with a secret and hostile text. */
    private FunctionState handMade() throws IOException {
        RoleState role = outOfBand
                .roles()
                .createRole(new NewRole(
                        "hand-ex",
                        "/team/",
                        HOSTILE,
                        TRUST,
                        7200,
                        Optional.empty(),
                        new TreeMap<>(Map.of("team", "a: b # c"))));
        outOfBand.roles().attachRolePolicy("hand-ex", BASIC);
        outOfBand
                .roles()
                .putRolePolicy(
                        "hand-ex",
                        "read-own-prefix",
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                                + "\"Resource\":\"arn:aws:s3:::bucket/${aws:username}/*\"}]}");
        FunctionSettings settings = FunctionSettings.of("python3.12", "app.handler")
                .withDescription(HOSTILE.substring(0, 60))
                .withMemorySize(256)
                .withTimeout(30)
                .withEnvironment(Map.of("GREETING", "yes", "API_TOKEN", SECRET, "EMPTY", ""));
        return outOfBand
                .functions()
                .createFunction(new NewFunction(
                        "handmade",
                        role.arn(),
                        settings,
                        handMadeZip(),
                        new TreeMap<>(Map.of("owner", "team a", "cost-center", "4711"))));
    }

    private static String all(Path folder) throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    private static List<JsonNode> operations(CliRunner.Result plan) throws IOException {
        List<JsonNode> operations = new ArrayList<>();
        JSON.readTree(plan.out()).path("operations").forEach(operations::add);
        return operations;
    }

    @Test
    void handMadeFunction_imported_plansOnlyTags_thenApplyLeavesAnEmptyPlan_andNoSecretIsShownOrWritten()
            throws IOException {
        FunctionState before = handMade();
        Path out = dir.resolve("imported");

        CliRunner.Result imported = cli.run("import", "--function", "handmade", "--out", out.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(out.resolve("stack.yaml")).exists();
        assertThat(out.resolve("hand-ex.role.yaml")).exists();
        assertThat(out.resolve("handmade.function.yaml")).exists();
        assertThat(out.resolve("handmade/lib/util.py")).hasContent("GREETING = 'hello'");
        assertThat(Files.isExecutable(out.resolve("handmade/bin/run.sh"))).isTrue();
        assertThat(Files.isExecutable(out.resolve("handmade/app.py"))).isFalse();
        String function = Files.readString(out.resolve("handmade.function.yaml"));
        assertThat(function).contains("code: handmade", "role: hand-ex", "${var.handmade_API_TOKEN}");
        assertThat(all(out)).doesNotContain(SECRET);
        assertThat(imported.toString())
                .doesNotContain(SECRET)
                .contains(
                        "API_TOKEN",
                        "handmade_API_TOKEN: <the value of API_TOKEN>",
                        "--sensitive-values FILE",
                        "lambdaform plan " + out + " --adopt handmade --adopt hand-ex");

        Path secrets = write(dir, "secrets.yaml", "handmade_API_TOKEN: " + SECRET + "\n");
        String[] adopt = {
            out.toString(), "--adopt", "handmade", "--adopt", "hand-ex", "--sensitive-values", secrets.toString()
        };
        CliRunner.Result plan = cli.run(concat(new String[] {"plan"}, adopt, new String[] {"--format", "json"}));

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.toString()).doesNotContain(SECRET);
        List<JsonNode> operations = operations(plan);
        assertThat(operations).extracting(o -> o.path("operation").asText()).containsOnly("TagResource");
        assertThat(operations)
                .extracting(o -> o.path("name").asText())
                .containsExactlyInAnyOrder("hand-ex", "handmade");
        for (JsonNode operation : operations) {
            operation.path("changes").forEach(change -> {
                assertThat(change.path("field").asText()).startsWith("tags.lambdaform:");
                assertThat(change.path("before").isNull()).as(change.toString()).isTrue();
            });
        }
        JsonNode functionTags = operations.stream()
                .filter(o -> o.path("name").asText().equals("handmade"))
                .findFirst()
                .orElseThrow()
                .path("changes");
        List<String> fields = new ArrayList<>();
        functionTags.forEach(c -> fields.add(c.path("field").asText()));
        assertThat(fields)
                .contains(
                        "tags." + Stack.OWNER_TAG, "tags." + FunctionKind.CODE_TAG, "tags." + FunctionKind.SOURCE_TAG);

        CliRunner.Result apply = cli.run(concat(new String[] {"apply"}, adopt, new String[] {"--auto-approve"}));
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        CliRunner.Result after = cli.run(concat(new String[] {"plan"}, adopt, new String[] {"--detailed-exitcode"}));
        assertThat(after.exitCode()).as(after.toString()).isZero();
        FunctionState live = outOfBand.functions().findFunction("handmade").orElseThrow();
        assertThat(live.codeSha256()).as("the hand-made package still runs").isEqualTo(before.codeSha256());
        assertThat(live.settings()).isEqualTo(before.settings());
        assertThat(live.tags()).containsEntry(Stack.OWNER_TAG, "imported").containsEntry("owner", "team a");
        assertThat(outOfBand.roles().findRole("hand-ex").orElseThrow().description())
                .isEqualTo(HOSTILE);
    }

    @Test
    void functionWhoseManifestsWereLost_importedIntoItsStack_planIsEmpty() throws IOException {
        Path manifests = TestFiles.helloSet(dir.resolve("app"));
        assertThat(cli.run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();
        Path out = dir.resolve("recovered");

        CliRunner.Result imported = cli.run(
                "import", "--function", "app", "--out", out.toString(), "--stack", "app", "--region", "eu-west-1");

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out())
                .doesNotContain("hunter2")
                .contains("app_TOKEN")
                .contains("they already belong to stack app, so nothing needs --adopt")
                .doesNotContain("--adopt app");
        assertThat(all(out)).doesNotContain("hunter2");
        Path secrets = write(dir, "secrets.yaml", "app_TOKEN: hunter2\n");
        CliRunner.Result plan =
                cli.run("plan", out.toString(), "--sensitive-values", secrets.toString(), "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("No changes.");
    }

    @Test
    void importWithoutStateDir_inAGitWorkTree_readsAndPrintsTheStateThePlanWillUse() throws Exception {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve(".git"));
        Path manifests = TestFiles.helloSet(project.resolve("app"));
        assertThat(CliProcess.run(project, Map.of(), "apply", "app", "--auto-approve")
                        .exitCode())
                .isZero();

        CliRunner.Result imported = CliProcess.run(
                project, Map.of(), "import", "--function", "app", "--out", "recovered", "--stack", "app");

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("--state-dir " + project.resolve(".lambdaform"));
        assertThat(imported.err()).doesNotContain("internal error");
        Path secrets = write(dir, "secrets.yaml", "app_TOKEN: hunter2\n");
        CliRunner.Result plan = CliProcess.run(
                project.resolve("recovered"),
                Map.of(),
                "plan",
                "--sensitive-values",
                secrets.toString(),
                "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(manifests).exists();
    }

    @Test
    void aFolderHoldingOtherManifests_isRefused_evenWithForce() {
        Path manifests = TestFiles.helloSet(dir.resolve("app"));
        assertThat(cli.run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result result =
                cli.run("import", "--function", "app", "--out", manifests.toString(), "--stack", "app", "--force");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains("holds other manifests (function.yaml, role.yaml)", "import into an empty");
        assertThat(manifests.resolve("app.function.yaml")).doesNotExist();
    }

    @Test
    void aFunctionGivenByArnOrWithAQualifier_isRefusedNamingWhatToGive() {
        for (String given : List.of("arn:aws:lambda:eu-west-1:000000000000:function:app", "app:prod")) {
            CliRunner.Result result = cli.run(
                    "import", "--function", given, "--out", dir.resolve("x").toString());

            assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.err()).contains("give the function's name", "not an ARN");
        }
    }

    @Test
    void roleSharedBySeveralFunctions_isWrittenOnce_andAdoptedOnce() throws IOException {
        FunctionState first = handMade();
        outOfBand
                .functions()
                .createFunction(new NewFunction(
                        "second",
                        first.roleArn(),
                        FunctionSettings.of("python3.12", "app.handler"),
                        handMadeZip(),
                        new TreeMap<>()));
        Path out = dir.resolve("imported");

        CliRunner.Result imported =
                cli.run("import", "--function", "handmade", "--function", "second", "--out", out.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out())
                .contains("Imported 2 function(s) and 1 role(s)", "--adopt handmade --adopt second --adopt hand-ex");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".role.yaml")))
                    .containsExactly("hand-ex.role.yaml");
        }
        assertThat(Files.readString(out.resolve("second.function.yaml"))).contains("role: hand-ex");
    }

    @Test
    void functionWhoseRoleCannotBeRead_refersToItByArn_withANote() throws IOException {
        FunctionState function = handMade();
        outOfBand.roles().detachRolePolicy("hand-ex", BASIC);
        outOfBand.roles().deleteRolePolicy("hand-ex", "read-own-prefix");
        outOfBand.roles().deleteRole("hand-ex");
        Path out = dir.resolve("imported");

        CliRunner.Result imported = cli.run("import", "--function", "handmade", "--out", out.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out())
                .contains("note: function handmade refers to its role by ARN (" + function.roleArn() + ")")
                .contains("--adopt handmade")
                .doesNotContain("--adopt hand-ex");
        assertThat(Files.readString(out.resolve("handmade.function.yaml"))).contains("role: " + function.roleArn());
        assertThat(out.resolve("hand-ex.role.yaml")).doesNotExist();
    }

    @Test
    void existingFiles_areNotOverwritten_withoutForce() throws IOException {
        handMade();
        Path out = dir.resolve("imported");
        assertThat(cli.run("import", "--function", "handmade", "--out", out.toString())
                        .exitCode())
                .isZero();
        write(out, "handmade/extra.txt", "mine");
        write(out, "stack.yaml", "# edited by hand\n");

        CliRunner.Result again = cli.run("import", "--function", "handmade", "--out", out.toString());

        assertThat(again.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(again.err())
                .contains("would overwrite", out.resolve("stack.yaml").toString(), "--force");
        assertThat(out.resolve("stack.yaml")).hasContent("# edited by hand");

        CliRunner.Result forced = cli.run("import", "--function", "handmade", "--out", out.toString(), "--force");

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Files.readString(out.resolve("stack.yaml"))).contains("kind: Stack");
        assertThat(out.resolve("handmade/extra.txt")).doesNotExist();
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".lambdaform-import"));
        }
    }

    @Test
    void unknownFunction_isAClearError_andNothingIsWritten() {
        Path out = dir.resolve("imported");

        CliRunner.Result result = cli.run("import", "--function", "nope", "--out", out.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains("error: no function named nope on target local")
                .doesNotContain("Exception");
        assertThat(out).doesNotExist();
    }

    @Test
    void codeThatIsNotThePackageTheFunctionRuns_isRefused() throws IOException {
        handMade();
        Path other = dir.resolve("other.zip");
        Files.write(
                other,
                new CodePackager()
                        .pack(new CodeSource(
                                write(dir, "src/app.py", "def handler(e, c):\n    return 1\n"),
                                CodeSource.Kind.FILE,
                                List.of()))
                        .zip());

        CliRunner.Result result = cli.run(
                "import",
                "--function",
                "handmade",
                "--out",
                dir.resolve("imported").toString(),
                "--code",
                "handmade=" + other);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains(other + " is not the package handmade runs");
        assertThat(dir.resolve("imported")).doesNotExist();
    }

    @Test
    void aFunctionWhoseRoleBelongsToAnotherStack_refersToTheRoleByArn_andAdoptsOnlyTheFunction() throws IOException {
        Path cliStack = TestFiles.helloSet(dir.resolve("app"));
        assertThat(cli.run("apply", cliStack.toString(), "--auto-approve").exitCode())
                .isZero();
        RoleState owned = outOfBand.roles().findRole("app-role").orElseThrow();
        outOfBand
                .functions()
                .createFunction(new NewFunction(
                        "handmade",
                        owned.arn(),
                        FunctionSettings.of("python3.12", "app.handler"),
                        handMadeZip(),
                        new TreeMap<>()));
        Path out = dir.resolve("imported");

        CliRunner.Result imported = cli.run("import", "--function", "handmade", "--out", out.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out())
                .contains("Imported 1 function(s) and 0 role(s)")
                .contains("note: function handmade's execution role app-role belongs to stack 'app': the function"
                        + " refers to it by ARN (" + owned.arn() + "), and this set will not manage it.")
                .contains("lambdaform plan " + out + " --adopt handmade --state-dir")
                .doesNotContain("--adopt app-role");
        assertThat(Files.readString(out.resolve("handmade.function.yaml"))).contains("role: " + owned.arn());
        assertThat(out.resolve("app-role.role.yaml")).doesNotExist();

        CliRunner.Result adopt = cli.run("apply", out.toString(), "--adopt", "handmade", "--auto-approve");

        assertThat(adopt.exitCode()).as(adopt.toString()).isZero();
        assertThat(adopt.out()).doesNotContain("role app-role");
        assertThat(outOfBand.roles().findRole("app-role").orElseThrow().tags()).containsEntry(Stack.OWNER_TAG, "app");
        assertThat(cli.run("plan", cliStack.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.OK);
        assertThat(cli.run("plan", out.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void aFunctionOfAnotherStack_isRefusedNamingItsOwner_andNothingIsWritten() {
        Path cliStack = TestFiles.helloSet(dir.resolve("app"));
        assertThat(cli.run("apply", cliStack.toString(), "--auto-approve").exitCode())
                .isZero();
        Path out = dir.resolve("imported");

        CliRunner.Result imported = cli.run("import", "--function", "app", "--out", out.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(imported.err().lines().toList())
                .containsExactly("error: function app belongs to stack 'app' (its lambdaform:stack tag), not to stack"
                        + " 'imported' that import would write; nothing was written. A function of another stack is"
                        + " declared by that stack's manifests: to move it here, release it from its stack first"
                        + " (spec.release in its Stack manifest, then apply that stack), then import it; if that"
                        + " stack's manifests were lost, import it into that stack (--stack with its name)");
        assertThat(out).doesNotExist();
    }

    private static String[] concat(String[]... parts) {
        return Stream.of(parts).flatMap(Stream::of).toArray(String[]::new);
    }
}
