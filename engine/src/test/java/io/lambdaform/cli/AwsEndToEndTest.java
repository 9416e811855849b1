package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.AwsCloud;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.Stack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hello example deployed with --target aws to moto, through the CLI, as a user would. */
class AwsEndToEndTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();
    private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    @TempDir
    Path dir;

    private CliRunner cli;
    private TestTarget<AwsCloud> outOfBand;
    private String endpoint;

    @BeforeEach
    void setUp() {
        endpoint = MotoServer.freshEndpoint().toString();
        cli = new CliRunner(dir.resolve("state"));
        outOfBand = AwsTestSupport.cloud(URI.create(endpoint));
    }

    private CliRunner.Result run(String command, String... extra) {
        return runOn(command, HELLO.toString(), extra);
    }

    /** The command on {@code path} (manifests or a saved plan), on moto. */
    private CliRunner.Result runOn(String command, String path, String... extra) {
        List<String> args = new ArrayList<>(
                List.of(command, path, "--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1"));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void apply_createsTheRoleAndFunctionWithTheStackTag_thenPlanIsEmpty() {
        CliRunner.Result apply = run("apply", "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("on target aws (endpoint " + endpoint, "Apply complete: 2 created");
        assertThat(apply.err()).contains("AWS API calls:");
        RoleState role = outOfBand.roles().findRole("hello-ex").orElseThrow();
        assertThat(PolicyDocuments.equivalent(
                        role.assumeRolePolicy(),
                        "{\"Version\":\"2012-10-17\",\"Statement\":"
                                + "[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                                + "\"Action\":\"sts:AssumeRole\"}]}"))
                .isTrue();
        assertThat(role.managedPolicyArns()).containsExactly(BASIC);
        assertThat(role.tags()).containsEntry(Stack.OWNER_TAG, "hello");
        FunctionState function = outOfBand.functions().findFunction("hello").orElseThrow();
        String localSha = new CodePackager()
                .pack(new CodeSource(HELLO.resolve("hello_handler.py"), CodeSource.Kind.FILE, List.of()))
                .codeSha256();
        assertThat(function.codeSha256()).isEqualTo(localSha);
        assertThat(function.tags()).containsEntry(Stack.OWNER_TAG, "hello");
        assertThat(function.roleArn()).isEqualTo(role.arn());

        CliRunner.Result plan = run("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("No changes.");
    }

    @Test
    void drift_madeOutOfBand_isShownExactly_revertedByApply_andThePlanIsEmptyAgain() {
        assertThat(run("apply", "--auto-approve").exitCode()).isZero();
        FunctionState live = outOfBand.functions().findFunction("hello").orElseThrow();
        outOfBand.functions().updateFunctionConfiguration("hello", live.roleArn(), withTimeout(live.settings(), 42));
        outOfBand.roles().detachRolePolicy("hello-ex", BASIC);
        outOfBand.functions().untagFunction("hello", List.of("project"));

        CliRunner.Result plan = run("plan", "--detailed-exitcode");

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.CHANGES);
        assertThat(plan.out())
                .contains(
                        "~ timeout = 42 -> 5",
                        "+ attach managed policy " + BASIC,
                        "+ tags.project = lambdaform-examples",
                        "Plan: 0 to create, 2 to update, 0 to delete.");
        assertThat(plan.out()
                        .lines()
                        .filter(l -> l.trim().startsWith("~ ")
                                || l.trim().startsWith("+ ")
                                || l.trim().startsWith("- ")))
                .hasSize(7);

        assertThat(run("apply", "--auto-approve").exitCode()).isZero();
        assertThat(run("plan", "--detailed-exitcode").exitCode()).isZero();
        assertThat(outOfBand
                        .functions()
                        .findFunction("hello")
                        .orElseThrow()
                        .settings()
                        .timeout())
                .isEqualTo(5);
    }

    @Test
    void sameNamedFunctionWithoutTheStackTag_isAConflict_andApplyChangesNothing() {
        RoleState other = outOfBand
                .roles()
                .createRole(
                        new NewRole("someone-elses", "/", "", lambdaTrust(), 3600, Optional.empty(), new TreeMap<>()));
        var code = new CodePackager()
                .pack(new CodeSource(HELLO.resolve("hello_handler.py"), CodeSource.Kind.FILE, List.of()));
        outOfBand
                .functions()
                .createFunction(new NewFunction(
                        "hello", other.arn(), settings(), code, new TreeMap<>(Map.of("owner", "another-team"))));

        CliRunner.Result plan = run("plan", "--detailed-exitcode");
        CliRunner.Result apply = run("apply", "--auto-approve");

        assertThat(plan.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.out()).contains("! function hello", "has no lambdaform:stack tag");
        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("Nothing was changed");
        FunctionState untouched = outOfBand.functions().findFunction("hello").orElseThrow();
        assertThat(untouched.roleArn()).isEqualTo(other.arn());
        assertThat(untouched.tags()).doesNotContainKey(Stack.OWNER_TAG).containsEntry("owner", "another-team");
        assertThat(outOfBand.roles().findRole("hello-ex")).isEmpty();
    }

    @Test
    void aRoleOfAnotherStack_isNotAdopted_untilThatStackReleasesIt() {
        outOfBand
                .roles()
                .createRole(new NewRole(
                        "hello-ex",
                        "/",
                        "",
                        lambdaTrust(),
                        3600,
                        Optional.empty(),
                        new TreeMap<>(Map.of(Stack.OWNER_TAG, "cli"))));
        Path cli = TestFiles.write(
                        dir,
                        "cli/stack.yaml",
                        "kind: Stack\nname: cli\nspec:\n  region: us-east-1\n  release:\n"
                                + "    - {kind: Role, name: hello-ex}\n")
                .getParent();

        CliRunner.Result refused = run("apply", "--adopt", "hello-ex", "--auto-approve");
        CliRunner.Result release = runOn("apply", cli.toString(), "--auto-approve");
        CliRunner.Result adopted = run("apply", "--adopt", "hello-ex", "--auto-approve");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(refused.out())
                .contains("role hello-ex belongs to stack 'cli'; --adopt takes only resources no stack owns");
        assertThat(release.exitCode()).as(release.toString()).isZero();
        assertThat(release.out()).contains("release from stack 'cli'", "0 created, 1 updated, 0 deleted");
        assertThat(adopted.exitCode()).as(adopted.toString()).isZero();
        assertThat(outOfBand.roles().findRole("hello-ex").orElseThrow().tags()).containsEntry(Stack.OWNER_TAG, "hello");
        assertThat(runOn("plan", cli.toString(), "--detailed-exitcode").exitCode())
                .isZero();
    }

    @Test
    void destroy_removesThisStacksResources_andLeavesEveryOtherFunctionAndRole() {
        RoleState other = outOfBand
                .roles()
                .createRole(new NewRole(
                        "other-role",
                        "/",
                        "",
                        lambdaTrust(),
                        3600,
                        Optional.empty(),
                        new TreeMap<>(Map.of(Stack.OWNER_TAG, "another-stack"))));
        var code = new CodePackager()
                .pack(new CodeSource(HELLO.resolve("hello_handler.py"), CodeSource.Kind.FILE, List.of()));
        outOfBand
                .functions()
                .createFunction(new NewFunction("other-fn", other.arn(), settings(), code, new TreeMap<>()));
        assertThat(run("apply", "--auto-approve").exitCode()).isZero();

        CliRunner.Result destroy = run("destroy", "--auto-approve");

        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out())
                .contains(
                        "- function hello",
                        "- role hello-ex",
                        "Destroy complete: 0 created," + " 0 updated, 2 deleted.");
        assertThat(outOfBand.functions().findFunction("hello")).isEmpty();
        assertThat(outOfBand.roles().findRole("hello-ex")).isEmpty();
        assertThat(outOfBand.functions().findFunction("other-fn")).isPresent();
        assertThat(outOfBand.roles().findRole("other-role")).isPresent();
    }

    @Test
    void savedPlan_isRefusedAsStaleAfterAnOutOfBandChange_andAppliedExactlyOtherwise() {
        String planFile = dir.resolve("plan.json").toString();
        assertThat(run("plan", "--out", planFile).exitCode()).isZero();
        outOfBand
                .roles()
                .createRole(new NewRole(
                        "hello-ex",
                        "/",
                        "made by hand",
                        lambdaTrust(),
                        3600,
                        Optional.empty(),
                        new TreeMap<>(Map.of(Stack.OWNER_TAG, "hello"))));

        CliRunner.Result stale = runOn("apply", planFile, "--auto-approve");

        assertThat(stale.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(stale.err()).contains("stale plan", "role hello-ex");
        assertThat(outOfBand.functions().findFunction("hello")).isEmpty();

        outOfBand.roles().deleteRole("hello-ex");
        CliRunner.Result apply = runOn("apply", planFile, "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Apply complete: 2 created");
        assertThat(run("plan", "--detailed-exitcode").exitCode()).isZero();
    }

    @Test
    void invoke_sendsThePayloadAndShowsTheResponse() {
        assertThat(run("apply", "--auto-approve").exitCode()).isZero();

        CliRunner.Result invoke = run("invoke", "greet");

        // moto's Invoke echoes the event: the request/response path is what is under test here.
        assertThat(invoke.out())
                .contains(
                        "payload greet -> function hello",
                        "response: {\"firstname\":\"Ada\",\"surname\":\"Lovelace\"}");
        assertThat(invoke.err()).contains("AWS API calls:");
    }

    @Test
    void invokeWithAnEvent_inlineFromAFileAndFromStdin_returnsTheResponse_andQueuesWithAsync() throws Exception {
        assertThat(run("apply", "--auto-approve").exitCode()).isZero();
        Path eventFile = Files.writeString(dir.resolve("event.json"), "{\"from\":\"file\"}");

        CliRunner.Result inline = run("invoke", "hello", "--event", "{\"from\":\"inline\"}");
        CliRunner.Result file = run("invoke", "hello", "--event", eventFile.toString());
        CliRunner.Result stdin = cli.runWithInput(
                "{\"from\":\"stdin\"}",
                "invoke",
                HELLO.toString(),
                "hello",
                "--event",
                "-",
                "--target",
                "aws",
                "--endpoint-url",
                endpoint,
                "--region",
                "us-east-1");

        // moto's Invoke echoes the event: what is under test is that each source reaches Lambda as sent.
        assertThat(inline.exitCode()).as(inline.toString()).isZero();
        assertThat(inline.out().strip()).isEqualTo("{\"from\":\"inline\"}");
        assertThat(file.out().strip()).isEqualTo("{\"from\":\"file\"}");
        assertThat(stdin.out().strip()).isEqualTo("{\"from\":\"stdin\"}");

        CliRunner.Result json = run("invoke", "hello", "--event", "{\"a\":1}", "--format", "json");
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.get("response").get("a").asInt()).isEqualTo(1);
        assertThat(document.get("statusCode").asInt()).isEqualTo(200);
        assertThat(document.get("function").asText()).isEqualTo("hello");

        CliRunner.Result queued = run("invoke", "hello", "--event", "{}", "--async", "--format", "json");
        assertThat(queued.exitCode()).as(queued.toString()).isZero();
        assertThat(new ObjectMapper().readTree(queued.out()).get("statusCode").asInt())
                .isEqualTo(202);
    }

    private static String lambdaTrust() {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    }

    private static FunctionSettings settings() {
        return FunctionSettings.of("python3.12", "hello_handler.hello_handler");
    }

    private static FunctionSettings withTimeout(FunctionSettings s, int timeout) {
        return s.withTimeout(timeout);
    }
}
