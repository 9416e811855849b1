package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole workflow through the CLI, on the embedded local cloud. */
class CliEndToEndTest {
    @TempDir
    Path dir;

    private CliRunner cli;
    private Path manifests;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        manifests = TestFiles.helloSet(dir.resolve("app"));
    }

    private CliRunner.Result run(String... args) {
        return cli.run(args);
    }

    @Test
    void lifecycle_planApplyEditPruneDestroy() {
        String m = manifests.toString();

        CliRunner.Result firstPlan = run("plan", m, "--detailed-exitcode");
        assertThat(firstPlan.exitCode()).as(firstPlan.toString()).isEqualTo(ExitCodes.CHANGES);
        assertThat(firstPlan.out())
                .contains(
                        "+ role app-role",
                        "+ function app",
                        "Plan: 2 to create, 0 to update," + " 0 to delete.",
                        "on target local")
                .doesNotContain("hunter2");

        CliRunner.Result apply = run("apply", m, "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Apply complete: 2 created, 0 updated, 0 deleted.");

        CliRunner.Result noChanges = run("plan", m, "--detailed-exitcode");
        assertThat(noChanges.exitCode()).as(noChanges.toString()).isZero();
        assertThat(noChanges.out()).contains("No changes.");

        write(
                manifests,
                "src/app.py",
                "def handler(event, context):\n    print('saying hello')\n"
                        + "    return {'hello': event['name'], 'v': 2}\n");
        CliRunner.Result codeOnly = run("plan", m, "--detailed-exitcode");
        assertThat(codeOnly.exitCode()).isEqualTo(ExitCodes.CHANGES);
        assertThat(codeOnly.out())
                .contains(
                        "~ function app",
                        "~ update code",
                        "~ codeSha256",
                        "Plan: 0 to create, 1 to update, 0 to delete.")
                .doesNotContain("update configuration", "role app-role");
        assertThat(run("apply", m, "--auto-approve").exitCode()).isZero();
        assertThat(run("invoke", m, "ping").out()).contains("\"v\": 2", "1 passed, 0 failed");

        write(manifests, "function.yaml", "# the function was removed\n");
        CliRunner.Result prune = run("plan", m, "--detailed-exitcode");
        assertThat(prune.exitCode()).isEqualTo(ExitCodes.CHANGES);
        assertThat(prune.out())
                .contains("- function app", "- delete function", "Plan: 0 to create, 0 to update, 1 to delete.");
        assertThat(run("apply", m, "--auto-approve").exitCode()).isZero();

        CliRunner.Result destroy = run("destroy", m, "--auto-approve");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("- role app-role", "Destroy complete: 0 created, 0 updated, 1 deleted.");
        assertThat(run("plan", m, "--detailed-exitcode").exitCode()).isEqualTo(ExitCodes.CHANGES);
    }

    @Test
    void destroy_removesThePackagesItUploaded_andAnUpdateTheOnesNoFunctionRuns_butNotThoseAnotherStackRuns()
            throws IOException {
        Path state = dir.resolve("state");
        Path other = TestFiles.helloSet(dir.resolve("other"));
        write(other, "stack.yaml", "kind: Stack\nname: other\nspec:\n  region: eu-west-1\n");
        write(other, "role.yaml", "kind: Role\nname: other-role\n");
        write(
                other,
                "function.yaml",
                Files.readString(other.resolve("function.yaml"))
                        .replace("name: app\n", "name: other-app\n")
                        .replace("role: app-role", "role: other-role")
                        .replace("function: app", "function: other-app"));
        assertThat(run("apply", other.toString(), "--auto-approve").exitCode()).isZero();
        List<String> othersPackages = files(state.resolve("code"));
        assertThat(othersPackages).hasSize(1);

        String m = manifests.toString();
        assertThat(run("apply", m, "--auto-approve").exitCode()).isZero();
        assertThat(run("invoke", m, "ping").exitCode()).isZero();
        write(
                manifests,
                "src/app.py",
                "def handler(event, context):\n    print('saying hello')\n"
                        + "    return {'hello': event['name'], 'v': 2}\n");
        assertThat(run("apply", m, "--auto-approve").exitCode()).isZero();
        assertThat(run("invoke", m, "ping").exitCode()).isZero();
        List<String> afterUpdate = files(state.resolve("code"));
        assertThat(afterUpdate)
                .as("the first package of app is no longer run by any function")
                .hasSize(2)
                .containsAll(othersPackages);
        assertThat(files(state.resolve("runtime/packages"))).hasSize(2);
        // What an earlier version left behind when it replaced code: no function runs it.
        Files.write(state.resolve("code/" + "0".repeat(64) + ".zip"), new byte[] {1});
        Files.createDirectories(state.resolve("runtime/packages/" + "0".repeat(64)));

        CliRunner.Result destroy = run("destroy", m, "--auto-approve");

        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(files(state.resolve("code")))
                .as("the first package of app is the other stack's too")
                .isEqualTo(othersPackages);
        assertThat(files(state.resolve("runtime/packages")))
                .containsExactly(othersPackages.get(0).replace(".zip", ""));
        assertThat(run("invoke", other.toString(), "ping").exitCode())
                .as("the other stack's function still runs")
                .isZero();
        assertThat(run("destroy", other.toString(), "--auto-approve").exitCode())
                .isZero();
        assertThat(files(state.resolve("code"))).isEmpty();
        assertThat(files(state.resolve("runtime/packages"))).isEmpty();
    }

    /** The names in a folder, sorted; none when it does not exist. */
    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void environments_areSeparateStacks_andDestroyingOneNeverTouchesTheOther() {
        String orders =
                Path.of("../manifests/orders").toAbsolutePath().normalize().toString();

        CliRunner.Result dev = run("apply", orders, "--env", "dev", "--auto-approve");
        CliRunner.Result prod = run("apply", orders, "--env", "prod", "--auto-approve");

        assertThat(dev.exitCode()).as(dev.toString()).isZero();
        assertThat(dev.out())
                .contains(
                        "Stack orders-dev on target local",
                        "+ function orders-dev-create",
                        "Apply complete: 4 created");
        assertThat(prod.exitCode()).as(prod.toString()).isZero();
        assertThat(prod.out())
                .contains("Stack orders-prod", "region eu-west-1", "+ role orders-prod-fn", "Apply complete: 4 created")
                .doesNotContain("orders-dev");
        assertThat(prod.out()).containsPattern("\\+ memorySize\\s+= 512");
        CliRunner.Result invoke = run("invoke", orders, "--env", "dev");
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("4 passed, 0 failed");

        CliRunner.Result destroyDev = run("destroy", orders, "--env", "dev", "--auto-approve");

        assertThat(destroyDev.exitCode()).as(destroyDev.toString()).isZero();
        assertThat(destroyDev.out())
                .contains("Destroy complete: 0 created, 0 updated, 4 deleted.")
                .doesNotContain("orders-prod");
        assertThat(run("plan", orders, "--env", "prod", "--detailed-exitcode").exitCode())
                .isZero();
        assertThat(run("plan", orders, "--env", "dev", "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.CHANGES);
    }

    @Test
    void concurrentApplies_ofOneStack_oneWaitsForTheOther_andNothingIsAppliedTwice() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            var first =
                    pool.submit(() -> run("apply", manifests.toString(), "--auto-approve", "--lock-timeout", "PT60S"));
            var second =
                    pool.submit(() -> run("apply", manifests.toString(), "--auto-approve", "--lock-timeout", "PT60S"));
            List<CliRunner.Result> results = List.of(first.get(), second.get());

            assertThat(results)
                    .allSatisfy(r -> assertThat(r.exitCode()).as(r.toString()).isZero());
            assertThat(results.stream().filter(r -> r.out().contains("Apply complete: 2 created")))
                    .hasSize(1);
            assertThat(results.stream().filter(r -> r.out().contains("No changes.")))
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(run("plan", manifests.toString(), "--detailed-exitcode").exitCode())
                .isZero();
    }

    @Test
    void waitingForTheLock_isReportedAsItHappens() {
        TestTarget<LocalCloud> cloud =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        try (var held = cloud.cloud().lock("app", Duration.ZERO)) {
            CliRunner.Result apply = run("apply", manifests.toString(), "--auto-approve", "--lock-timeout", "PT1S");

            assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(apply.err()).contains("waiting up to 1 s for the lock of stack 'app', held by pid");
        }
    }

    @Test
    void apply_whileAnotherRunHoldsTheLock_failsNamingItAndChangesNothing() {
        TestTarget<LocalCloud> cloud =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        try (var held = cloud.cloud().lock("app", Duration.ZERO)) {
            CliRunner.Result apply = run("apply", manifests.toString(), "--auto-approve");

            assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(apply.err()).contains("stack 'app' is locked by another run", "pid");
        }
        assertThat(run("plan", manifests.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.CHANGES);
        assertThat(run("force-unlock", manifests.toString()).out()).contains("was not locked");
    }

    @Test
    void plan_afterTouchingEveryFile_orCopyingTheFolder_isEmpty() throws IOException {
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        try (Stream<Path> files = Files.walk(manifests)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 86_400_000L));
            }
        }
        assertThat(run("plan", manifests.toString(), "--detailed-exitcode").exitCode())
                .isZero();

        Path copy = dir.resolve("somewhere/else/app");
        copyTree(manifests, copy);
        CliRunner.Result fromCopy = run("plan", copy.toString(), "--detailed-exitcode");
        assertThat(fromCopy.exitCode()).as(fromCopy.toString()).isZero();
    }

    @Test
    void invoke_runsTheRealHandler_andChecksExpectations() {
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result invoke = run("invoke", manifests.toString());

        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out())
                .contains(
                        "payload ping -> function app: ok",
                        "{\"hello\": \"Ada\"}",
                        "saying hello",
                        "START RequestId:",
                        "REPORT RequestId:",
                        "1 passed, 0 failed");
    }

    @Test
    void invoke_handlerThatRaises_exitsOneWithTheErrorTypeAndMessage() {
        write(manifests, "src/app.py", "def handler(event, context):\n    raise KeyError('no such user')\n");
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result invoke = run("invoke", manifests.toString(), "ping");

        assertThat(invoke.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(invoke.out())
                .contains(
                        "FAILED",
                        "function error: KeyError: 'no such user'",
                        "expected success, but the function failed",
                        "0 passed, 1 failed");
    }

    @Test
    void invoke_handlerPastItsTimeout_isKilledAndReportedAsTimedOut() {
        write(
                manifests,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: app-role\n  timeout: 1\n");
        write(manifests, "src/app.py", "import time\ndef handler(event, context):\n    time.sleep(60)\n");
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        long start = System.nanoTime();
        CliRunner.Result invoke = run("invoke", manifests.toString(), "app");
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertThat(invoke.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(invoke.out()).contains("Sandbox.Timedout", "Task timed out after 1.00 seconds");
        assertThat(seconds).as("the process was killed, not waited for").isLessThan(30);
    }

    @Test
    void invoke_nodeHandler_runsWithNode() {
        write(
                manifests,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: nodejs20.x\n"
                        + "  handler: index.handler\n  code: src\n  role: app-role\n"
                        + "---\nkind: Payload\nname: ping\nspec:\n  function: app\n  event: {name: Ada}\n"
                        + "  expect:\n    result: {hello: Ada, fn: app}\n");
        write(
                manifests,
                "src/index.js",
                "exports.handler = async (event, context) => {\n"
                        + "  console.log('node says hi');\n  return { hello: event.name, fn: context.functionName };\n};\n");
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result invoke = run("invoke", manifests.toString());

        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("node says hi", "1 passed, 0 failed");
    }

    @Test
    void apply_withoutAutoApprove_whenNotATerminal_refusesAndChangesNothing() {
        CliRunner.Result apply = run("apply", manifests.toString());

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("--auto-approve").doesNotContain("Exception");
        assertThat(run("plan", manifests.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.CHANGES);
    }

    @Test
    void apply_withConflict_exitsOneAndChangesNothing_untilAdopted() throws IOException {
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();
        // Another stack with a function of the same name: it must not touch ours.
        Path other = TestFiles.helloSet(dir.resolve("other"));
        write(other, "stack.yaml", "kind: Stack\nname: other\n");
        write(other, "role.yaml", "kind: Role\nname: other-role\n");
        write(
                other,
                "function.yaml",
                Files.readString(other.resolve("function.yaml")).replace("app-role", "other-role"));

        CliRunner.Result conflict = run("apply", other.toString(), "--auto-approve");

        assertThat(conflict.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(conflict.out()).contains("! function app", "belongs to stack 'app'", "--adopt app");
        assertThat(conflict.err()).contains("Nothing was changed");
        assertThat(run("plan", other.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.ERROR);
        assertThat(run("plan", manifests.toString(), "--detailed-exitcode").exitCode())
                .isZero();
    }

    @Test
    void validate_invalidManifest_printsFileLineColAndExitsOne() {
        write(
                manifests,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: app-role\n  timeout: 0\n");

        CliRunner.Result validate = run("validate", manifests.toString());

        assertThat(validate.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(validate.err())
                .contains("function.yaml:8:12: 'spec.timeout' is 0, below the minimum of 1", "1 problem(s) found.");
        assertThat(run("validate", TestFiles.helloSet(dir.resolve("ok")).toString())
                        .out())
                .contains("Valid: stack app");
    }

    @Test
    void plan_jsonFormat_isStableAndMasksSecrets() throws IOException {
        CliRunner.Result first = run(
                "plan",
                manifests.toString(),
                "--format",
                "json",
                "--out",
                dir.resolve("plan.json").toString());
        CliRunner.Result second = run("plan", manifests.toString(), "--format", "json");

        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).isEqualTo(second.out()).isEqualTo(Files.readString(dir.resolve("plan.json")));
        assertThat(first.out())
                .contains("\"formatVersion\" : 1", "\"operation\" : \"CreateFunction\"", "(sensitive)")
                .doesNotContain("hunter2");
    }

    @Test
    void everyCommand_hasHelp() {
        for (String command : List.of("validate", "plan", "apply", "destroy", "invoke", "logs", "force-unlock")) {
            CliRunner.Result help = cli.run(command, "--help");

            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: lambdaform " + command);
        }
    }

    @Test
    void usageError_isOneMessageAndExitOne() {
        CliRunner.Result result = run("plan", "--no-such-flag", manifests.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains("Unknown option", "--help").doesNotContain("Exception");
    }

    @Test
    void corruptState_isAClearUserError() throws IOException {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/state.json"), "{");

        CliRunner.Result result = run("plan", manifests.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).startsWith("error: the local cloud state").doesNotContain("at io.");
    }

    @Test
    void aLockTimeoutThatIsNotIso8601_saysHowToWriteIt() {
        CliRunner.Result result = run("apply", manifests.toString(), "--lock-timeout", "30s");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains("'30s' is not an ISO-8601 duration", "PT30S")
                .doesNotContain("java.");
    }

    @Test
    void stateHoldingNullOrAForeignDocument_isTheSameClearError() throws IOException {
        Files.createDirectories(dir.resolve("state"));
        for (String content : List.of("null", "[1, 2]", "{\"something\": \"else\"}")) {
            Files.writeString(dir.resolve("state/state.json"), content);

            CliRunner.Result result = run("plan", manifests.toString());

            assertThat(result.exitCode()).as(content).isEqualTo(ExitCodes.ERROR);
            assertThat(result.err())
                    .as(content)
                    .startsWith("error: the local cloud state")
                    .doesNotContain("internal error", "at io.");
            assertThat(Files.readString(dir.resolve("state/state.json"))).isEqualTo(content);
        }
    }

    @Test
    void strayTemporariesOfAKilledWrite_areRemovedByTheNextChange() throws IOException {
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();
        Path stray = Files.writeString(dir.resolve("state/state12345.json.tmp"), "{ half written");

        write(manifests, "src/app.py", "def handler(event, context):\n    return 3\n");
        assertThat(run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();

        assertThat(stray).doesNotExist();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
