package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-manifest check on moto: a distinctive value from the environment lands in a description, a tag, the
 * function's environment and an event, and appears in no output of plan (every format), a saved plan, apply, invoke
 * (moto echoes the event back), destroy or --debug.
 */
class AwsHostileManifestTest {
    private static final String ENV_VALUE = "Moto-distinct-ENV-value-5521";

    @TempDir
    Path dir;

    private CliRunner cli;
    private String endpoint;
    private final List<String> outputs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        endpoint = MotoServer.freshEndpoint().toString();
        cli = new CliRunner(dir.resolve("state"));
    }

    private CliRunner.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1"));
        CliRunner.Result result = cli.run(
                Map.of("DEPLOY_OPERATOR", ENV_VALUE, "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")),
                all.toArray(String[]::new));
        outputs.add(result.out());
        outputs.add(result.err());
        return result;
    }

    @Test
    void aValueFromTheEnvironment_appearsInNoOutput_onAws() throws Exception {
        Path app = dir.resolve("app");
        write(app, "stack.yaml", "kind: Stack\nname: hostile\nspec:\n  region: us-east-1\n");
        write(
                app,
                "role.yaml",
                "kind: Role\nname: hostile-role\nspec:\n  description: \"by ${env.DEPLOY_OPERATOR}\"\n");
        write(app, "function.yaml", """
                kind: Function
                name: hostile-fn
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: app.py
                  role: hostile-role
                  description: "operator ${env.DEPLOY_OPERATOR}"
                  environment: {OPERATOR: "${env.DEPLOY_OPERATOR}"}
                  tags: {who: "${env.DEPLOY_OPERATOR}"}
                ---
                kind: Payload
                name: echo
                spec:
                  function: hostile-fn
                  event: {who: "${env.DEPLOY_OPERATOR}"}
                """);
        write(app, "app.py", "def handler(event, context):\n    return event\n");
        Path saved = dir.resolve("plan.json");

        CliRunner.Result markdown = run("plan", app.toString(), "--format", "markdown", "--out", saved.toString());
        assertThat(markdown.exitCode()).as(markdown.toString()).isZero();
        assertThat(markdown.out()).contains("(sensitive)");
        outputs.add(Files.readString(saved));
        assertThat(run("plan", app.toString(), "--format", "json").exitCode()).isZero();
        CliRunner.Result apply = run("apply", saved.toString(), "--auto-approve", "--debug");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        CliRunner.Result invoke = run("invoke", app.toString(), "--debug");
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("(sensitive)");
        CliRunner.Result plan = run("plan", app.toString(), "--detailed-exitcode", "--debug");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(run("destroy", app.toString(), "--auto-approve", "--debug").exitCode())
                .isZero();

        assertThat(outputs).allSatisfy(output -> assertThat(output).doesNotContain(ENV_VALUE));
    }

    @Test
    void theTargetsErrorAboutASensitiveResource_andItsLiveValuesLater_areNotShown() throws Exception {
        Path app = dir.resolve("app2");
        write(app, "stack.yaml", "kind: Stack\nname: hostile2\nspec:\n  region: us-east-1\n");
        write(
                app,
                "role.yaml",
                "kind: Role\nname: hostile2-role\nspec:\n  managedPolicyArns:\n"
                        + "    - \"arn:aws:iam::aws:policy/${env.POLICY_NAME}\"\n");
        Map<String, String> env = Map.of(
                "DEPLOY_OPERATOR",
                "deployuser:Pa55wordXYZ",
                "POLICY_NAME",
                "AWSLambdaExecute",
                "PATH",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        List<String> args = List.of("--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1");

        // The role and its sensitive policy first, on their own: an apply that fails starts nothing more, so the
        // role's attachment would otherwise race the bad role's failure.
        CliRunner.Result first = cli.run(env, concat(List.of("apply", app.toString(), "--auto-approve"), args));
        assertThat(first.exitCode()).as(first.toString()).isZero();
        write(
                app,
                "bad.yaml",
                "kind: Role\nname: hostile2-bad\nspec:\n  inlinePolicies:\n    p: {Version: \"2012-10-17\","
                        + " Statement: [{Effect: Allow, Action: \"#${env.DEPLOY_OPERATOR}\", Resource: \"*\"}]}\n");
        CliRunner.Result failed =
                cli.run(env, concat(List.of("apply", app.toString(), "--auto-approve", "--debug"), args));
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(failed.out())
                .contains("FAILED", "MalformedPolicyDocument", "not shown")
                .doesNotContain("deployuser");

        write(app, "bad.yaml", "# removed\n");
        write(
                app,
                "role.yaml",
                "kind: Role\nname: hostile2-role\nspec:\n  managedPolicyArns:\n"
                        + "    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n");
        CliRunner.Result plan = cli.run(env, concat(List.of("plan", app.toString(), "--format", "markdown"), args));
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out())
                .contains("detach a managed policy (its ARN is not shown")
                .doesNotContain("AWSLambdaExecute");
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
