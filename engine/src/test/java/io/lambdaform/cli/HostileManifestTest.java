package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests written by anyone who can open a pull request, run with the deployer's credentials in the environment:
 * no value from the environment, no sensitive variable, no secret entry and no file outside the repository may
 * reach any output of validate, plan (every format), a saved plan, apply, invoke, destroy or --debug.
 */
class HostileManifestTest {
    private static final String ENV_VALUE = "Zq9-distinct-ENV-value-7731";
    private static final String CREDENTIAL = "AKIAdistinctCREDENTIAL0001";
    private static final String LITERAL_SECRET = "literal-secret-4242";
    private static final String VALUES_SECRET = "vAlue-from-values-55";
    private static final String OUTSIDE_CONTENT = "ghp_outsideFileToken0099";
    private static final List<String> DISTINCT =
            List.of(ENV_VALUE, CREDENTIAL, LITERAL_SECRET, VALUES_SECRET, OUTSIDE_CONTENT);

    @TempDir
    Path dir;

    private CliRunner cli;
    private Path app;
    private Map<String, String> env;
    private final List<String> outputs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        app = dir.resolve("repo/app");
        write(app, "stack.yaml", """
                kind: Stack
                name: hostile
                spec:
                  region: eu-west-1
                  tags: {deployed-by: "${env.DEPLOY_OPERATOR}"}
                  variables:
                    dbpass: {type: string, sensitive: true}
                """);
        write(
                app,
                "role.yaml",
                "kind: Role\nname: hostile-role\nspec:\n  description: \"by ${env.DEPLOY_OPERATOR}\"\n");
        write(app, "function.yaml", """
                kind: Function
                name: echo
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: hostile-role
                  description: "operator ${env.DEPLOY_OPERATOR} was here"
                  environment:
                    OPERATOR: ${env.DEPLOY_OPERATOR}
                    API_TOKEN: {value: "literal-secret-4242", secret: true}
                    DB_PASS: ${var.dbpass}
                  tags: {who: "${env.DEPLOY_OPERATOR}"}
                ---
                kind: Payload
                name: echo-it
                spec:
                  function: echo
                  event: {who: "${env.DEPLOY_OPERATOR}", literal: "x"}
                  expect:
                    result: {who: "nobody"}
                """);
        write(app, "src/app.py", """
                import os
                def handler(event, context):
                    print("event", event, os.environ.get("API_TOKEN"), os.environ.get("DB_PASS"))
                    raise Exception("failing with " + event["who"] + " " + os.environ["DB_PASS"])
                """);
        write(dir, "values.yaml", "dbpass: " + VALUES_SECRET + "\n");
        write(dir, "repo/outside-of-app.json", "{\"a\": 1}\n");
        write(dir, "secret.json", OUTSIDE_CONTENT + "\n");
        env = new HashMap<>(Map.of(
                "PATH",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "DEPLOY_OPERATOR",
                ENV_VALUE,
                "AWS_SECRET_ACCESS_KEY",
                CREDENTIAL,
                "AWS_ACCESS_KEY_ID",
                "AKIAEXAMPLE",
                "GITHUB_TOKEN",
                CREDENTIAL + "-gh"));
    }

    private CliRunner.Result run(String... args) {
        CliRunner.Result result = cli.run(env, args);
        outputs.add(result.out());
        outputs.add(result.err());
        return result;
    }

    /** Runs a command on a manifest folder with this test's --sensitive-values file. */
    private CliRunner.Result withValues(String command, Path manifests, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                command,
                manifests.toString(),
                "--sensitive-values",
                dir.resolve("values.yaml").toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private void assertNothingLeaked() {
        for (String output : outputs) {
            for (String value : DISTINCT) {
                assertThat(output).as("an output").doesNotContain(value);
            }
        }
    }

    @Test
    void sensitiveValues_appearInNoOutputOfAnyCommand() throws IOException {
        String m = app.toString();
        String values = dir.resolve("values.yaml").toString();
        Path saved = dir.resolve("plan.json");

        assertThat(run("validate", m, "--sensitive-values", values).exitCode()).isZero();
        CliRunner.Result text = run("plan", m, "--sensitive-values", values, "--debug");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("(sensitive)", "+ function echo");
        CliRunner.Result json =
                run("plan", m, "--sensitive-values", values, "--format", "json", "--out", saved.toString());
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.out()).contains("\"(sensitive)\"");
        CliRunner.Result markdown = run("plan", m, "--sensitive-values", values, "--format", "markdown");
        assertThat(markdown.out()).contains("(sensitive)");
        outputs.add(Files.readString(saved));

        CliRunner.Result apply = run("apply", saved.toString(), "--auto-approve", "--debug");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        CliRunner.Result invoke = run("invoke", m, "--sensitive-values", values, "--debug");
        assertThat(invoke.exitCode()).as("the payload fails, and says why").isEqualTo(ExitCodes.ERROR);
        assertThat(invoke.out() + invoke.err()).contains("failing with (sensitive) (sensitive)");
        CliRunner.Result again = run("plan", m, "--sensitive-values", values, "--detailed-exitcode");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(run("destroy", m, "--sensitive-values", values, "--auto-approve", "--format", "json")
                        .exitCode())
                .isZero();

        assertNothingLeaked();
    }

    @Test
    void savedPlan_digestDoesNotDependOnSensitiveValues() throws IOException {
        // The manifests happen to hold the first value as text: whether they do must not show in the digest either.
        write(
                app,
                "probe.yaml",
                "kind: Payload\nname: probe\nspec:\n  function: echo\n  expect:\n    logContains: \"" + ENV_VALUE
                        + "\"\n");
        String m = app.toString();
        String values = dir.resolve("values.yaml").toString();
        run(
                "plan",
                m,
                "--sensitive-values",
                values,
                "--out",
                dir.resolve("one.json").toString());
        env.put("DEPLOY_OPERATOR", ENV_VALUE + "-other");
        run(
                "plan",
                m,
                "--sensitive-values",
                values,
                "--out",
                dir.resolve("two.json").toString());

        var json = new ObjectMapper();
        var one = json.readTree(dir.resolve("one.json").toFile());
        var two = json.readTree(dir.resolve("two.json").toFile());
        assertThat(two.at("/inputs/manifestsDigest")).isEqualTo(one.at("/inputs/manifestsDigest"));
        assertThat(two.at("/operations")).isEqualTo(one.at("/operations"));
    }

    @Test
    void credentialVariables_cannotBeRead_unlessTheStackAllowsThem() {
        write(
                app,
                "role.yaml",
                "kind: Role\nname: hostile-role\nspec:\n"
                        + "  description: \"${env.AWS_SECRET_ACCESS_KEY}\"\n  tags: {t: \"${env.GITHUB_TOKEN}\"}\n");

        CliRunner.Result refused = withValues("plan", app, "--format", "markdown");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(refused.err())
                .contains(
                        "${env.AWS_SECRET_ACCESS_KEY} is refused",
                        "${env.GITHUB_TOKEN} is refused",
                        "spec.allowedEnvironmentVariables")
                .doesNotContain("internal");

        write(
                app,
                "stack.yaml",
                "kind: Stack\nname: hostile\nspec:\n  region: eu-west-1\n"
                        + "  allowedEnvironmentVariables: [AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN]\n"
                        + "  variables:\n    dbpass: {type: string, sensitive: true}\n");
        CliRunner.Result allowed = withValues("plan", app, "--format", "markdown");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).contains("(sensitive)");
        assertNothingLeaked();
    }

    @Test
    void validate_neverQuotesASecretLine() {
        write(app, "function.yaml", """
                kind: Function
                name: echo
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: hostile-role
                  environment:
                    API_TOKEN: {value: "literal-secret-4242", secret: true, sekret: 1}
                """);

        CliRunner.Result result = withValues("validate", app);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains("function.yaml:9:", "API_TOKEN: {value: \"(sensitive)\"");
        assertNothingLeaked();
    }

    @Test
    void pathsOutsideTheRoot_absolutePaths_andSpecialFiles_areRefusedWithoutQuotingThem() throws Exception {
        Files.createDirectories(dir.resolve("repo/.git"));
        Path fifo = app.resolve("src/pipe");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Files.createSymbolicLink(app.resolve("link.json"), dir.resolve("secret.json"));
        write(app, "payloads.yaml", """
                kind: Payload
                name: outside
                spec: {function: echo, eventFile: ../../secret.json}
                ---
                kind: Payload
                name: absolute
                spec: {function: echo, eventFile: /etc/hostname}
                ---
                kind: Payload
                name: linked
                spec: {function: echo, eventFile: link.json}
                ---
                kind: Payload
                name: inside-the-repository
                spec: {function: echo, eventFile: ../outside-of-app.json}
                """);
        write(app, "more.yaml", """
                kind: Function
                name: device
                spec: {runtime: python3.12, handler: zero.handler, code: /dev/zero, role: hostile-role}
                ---
                kind: Function
                name: pipe
                spec: {runtime: python3.12, handler: pipe.handler, code: src/pipe, role: hostile-role}
                """);

        CliRunner.Result result = withValues("validate", app);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "event file '../../secret.json' points outside",
                        "event file '/etc/hostname' is absolute",
                        "event file 'link.json' goes through a symbolic link that leads outside",
                        "code path '/dev/zero' is absolute",
                        "code path 'src/pipe' is not a regular file",
                        "code folder 'src' contains pipe, which is not a regular file",
                        "6 problem(s) found");
        assertNothingLeaked();
    }

    @Test
    void rootOption_widensWhereFilesMayBe() {
        write(
                app,
                "payloads.yaml",
                "kind: Payload\nname: outside\nspec: {function: echo, eventFile: ../../secret.json}\n");
        write(dir, "secret.json", "{\"fine\": true}\n");

        CliRunner.Result refused = withValues("validate", app);
        CliRunner.Result allowed = withValues("validate", app, "--root", dir.toString());

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
    }

    @Test
    void rootOption_thatNamesNoFolder_isTheOneProblemReported_andPlanTouchesNothing() {
        CliRunner.Result missing =
                withValues("validate", app, "--root", dir.resolve("gone").toString());
        CliRunner.Result file =
                withValues("plan", app, "--root", dir.resolve("secret.json").toString());

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err())
                .contains("gone: no such folder", "1 problem(s) found.")
                .doesNotContain("outside");
        assertThat(file.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(file.err()).contains("secret.json: is not a folder; --root names a folder", "1 problem(s) found.");
        assertThat(file.out()).doesNotContain("create");
        assertNothingLeaked();
    }

    private Path minimal(String functionSpec) {
        Path m = dir.resolve("repo/min");
        write(
                m,
                "stack.yaml",
                "kind: Stack\nname: min\nspec:\n  region: eu-west-1\n"
                        + "  allowedEnvironmentVariables: [DEPLOY_API_TOKEN]\n");
        write(m, "role.yaml", "kind: Role\nname: min-role\n");
        write(
                m,
                "function.yaml",
                "kind: Function\nname: min-fn\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: min-role\n" + functionSpec);
        write(m, "src/app.py", "def handler(e, c):\n    return e\n");
        return m;
    }

    @Test
    void aPullRequestThatStopsMarkingASecret_neverShowsTheDeployedValue() throws IOException {
        // Without the lambdaform:sensitive tag on the deployed function, this plan would print the deployed token as
        // the "before" of environment.API_TOKEN.
        Path m = minimal("  description: \"${env.DEPLOY_OPERATOR}\"\n"
                + "  environment:\n    API_TOKEN: {value: \"${env.DEPLOY_API_TOKEN}\", secret: true}\n"
                + "    PLAIN: {value: \"" + LITERAL_SECRET + "\", secret: true}\n");
        env.put("DEPLOY_API_TOKEN", "Tok-Deployed-AAAA-1111");
        assertThat(run("apply", m.toString(), "--auto-approve").exitCode()).isZero();

        env.put("DEPLOY_API_TOKEN", "Tok-Rotated-BBBB-2222");
        CliRunner.Result rotated = run("plan", m.toString(), "--format", "json");
        assertThat(rotated.out()).doesNotContain("Tok-Deployed-AAAA-1111", "Tok-Rotated-BBBB-2222");

        write(
                m,
                "function.yaml",
                "kind: Function\nname: min-fn\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: min-role\n  description: now plain\n"
                        + "  environment:\n    API_TOKEN: x\n    PLAIN: y\n");
        Path saved = dir.resolve("pr.json");
        for (String format : List.of("text", "json", "markdown")) {
            CliRunner.Result plan = run("plan", m.toString(), "--format", format, "--out", saved.toString());
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            assertThat(plan.out()).as(format).contains("(sensitive)").doesNotContain("Tok-Deployed-AAAA-1111");
            outputs.add(Files.readString(saved));
        }
        assertThat(outputs)
                .allSatisfy(o -> assertThat(o).doesNotContain("Tok-Deployed-AAAA-1111", ENV_VALUE, LITERAL_SECRET));
    }

    @Test
    void messagesAboutValuesBuiltFromSecrets_quoteNeitherTheValueNorAnythingDerivedFromIt() throws IOException {
        env.put("DEPLOY_TARGET", "https://hooks.example.com//T0001/B0002/Sl4ckW3bh00kS3cr3t");
        env.put("DEPLOY_DOTS", "db.internal.corp-prod.example");
        env.put("DEPLOY_LINES", "Sec\nret\n-Ml\n-99");
        Path m = minimal("");
        write(m, "more.yaml", """
                kind: Function
                name: url
                spec: {runtime: python3.12, handler: app.handler, code: "src/${env.DEPLOY_TARGET}", role: min-role}
                ---
                kind: Function
                name: dots
                spec: {runtime: python3.12, handler: "${env.DEPLOY_DOTS}.handler", code: src, role: min-role}
                ---
                kind: Function
                name: "f${env.DEPLOY_LINES}"
                spec: {runtime: python3.12, handler: app.handler, code: src, role: min-role}
                ---
                kind: Payload
                name: event
                spec: {function: min-fn, eventFile: "./${env.DEPLOY_TARGET}/.json"}
                ---
                kind: Function
                name: glob
                spec: {runtime: python3.12, handler: app.handler, code: {path: src, exclude: ["[${env.DEPLOY_DOTS}"]},
                       role: min-role}
                """);

        CliRunner.Result result = run("validate", m.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .doesNotContain("Sl4ckW3bh00kS3cr3t", "db/internal", "db.internal", "fSec", "-Ml", "internal error")
                .contains("not a valid glob", "a name cannot hold a sensitive value", "6 problem(s) found");
    }

    @Test
    void aManifestFolderReplacedByALinkOutOfTheRepository_isNeitherListedNorToldApartFromAMissingOne()
            throws IOException {
        Files.createDirectories(dir.resolve("repo/.git"));
        write(dir, "elsewhere/private-service-name.yaml", "kind: Stack\nname: elsewhere\n");
        Files.createSymbolicLink(dir.resolve("repo/orders"), dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("repo/billing"), dir.resolve("nowhere"));

        CliRunner.Result orders = run("validate", dir.resolve("repo/orders").toString());
        CliRunner.Result billing = run("validate", dir.resolve("repo/billing").toString());

        assertThat(orders.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(billing.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(orders.err()).contains("orders: is a symbolic link that leads outside");
        assertThat(billing.err()).contains("billing: is a symbolic link that leads outside");
        assertThat(orders.err() + orders.out()).doesNotContain("private-service-name", "elsewhere");
    }

    @Test
    void aSymbolicLinkToAFileOutsideTheRoot_isNotReadAsAManifest() throws IOException {
        Path m = minimal("");
        Files.createDirectories(dir.resolve("repo/.git"));
        write(dir, "outside/credentials", "[default]\naws_access_key_id = " + CREDENTIAL + "\n");
        Files.createSymbolicLink(m.resolve("zz.yaml"), dir.resolve("outside/credentials"));

        CliRunner.Result result = run(
                "plan", m.resolve("stack.yaml").toString(), m.resolve("zz.yaml").toString(), "--format", "markdown");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains("zz.yaml: is a symbolic link that leads outside");
        assertNothingLeaked();
    }

    @Test
    void valuesFiles_neverReachTheDigest_andSensitiveValuesFilesAreNeverQuoted() throws IOException {
        Path m = minimal("  description: ${var.pin}\n");
        write(
                m,
                "stack.yaml",
                "kind: Stack\nname: min\nspec:\n  region: eu-west-1\n"
                        + "  variables: {pin: {type: string, sensitive: true}}\n");
        write(dir, "a.yaml", "pin: 'it''s-secret-A'\n");
        write(dir, "b.yaml", "pin: 'it''s-secret-B'\n");
        run(
                "plan",
                m.toString(),
                "--values",
                dir.resolve("a.yaml").toString(),
                "--out",
                dir.resolve("a.json").toString());
        run(
                "plan",
                m.toString(),
                "--values",
                dir.resolve("b.yaml").toString(),
                "--out",
                dir.resolve("b.json").toString());
        var json = new ObjectMapper();
        assertThat(json.readTree(dir.resolve("a.json").toFile()).at("/inputs/manifestsDigest"))
                .isEqualTo(json.readTree(dir.resolve("b.json").toFile()).at("/inputs/manifestsDigest"));

        write(dir, "s.yaml", "pin: ok\nother: [Sens-List-1234, Sens-List-5678]\ndbPassword: @Sens-At-3333\n");
        CliRunner.Result bad = run(
                "validate",
                m.toString(),
                "--sensitive-values",
                dir.resolve("s.yaml").toString());
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err()).contains("s.yaml").doesNotContain("Sens-List", "Sens-At");
    }

    @Test
    void overlappingSecretsAddedByAPullRequest_cannotUnmaskPartOfAnother() {
        env.put("DEPLOY_NOTE", "envsecret-abcdef");
        StringBuilder entries = new StringBuilder("  environment:\n");
        for (char c : "abcdefghijklmnopqrstuvwxyz".toCharArray()) {
            entries.append("    K_")
                    .append(c)
                    .append(": {value: \"QQQQQQQQQQQQQQQQ")
                    .append(c)
                    .append("\", secret: true}\n");
        }
        Path m = minimal(entries.toString());
        write(
                m,
                "function.yaml",
                "kind: Function\nname: min-fn\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: \"QQQQQQQQQQQQQQQQ${env.DEPLOY_NOTE}\"\n  role: min-role\n"
                        + entries);

        CliRunner.Result result = run("validate", m.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains("code path '(sensitive)' does not exist")
                .doesNotContain("nvsecret", "abcdef");
    }

    @Test
    void valuesThatOutputEscapes_areMaskedInEveryFormat() throws IOException {
        env.put("DEPLOY_ESCAPED", "ab\"cd\tefgh\\SECRETXYZ\u001bend");
        env.put("DEPLOY_CRLF", "{\r\n  \"k\": \"crlf-json-secret-value\"\r\n}");
        Path m = minimal("  description: \"d ${env.DEPLOY_ESCAPED}\"\n  environment: {J: \"${env.DEPLOY_CRLF}\"}\n");
        write(
                m,
                "role.yaml",
                "kind: Role\nname: min-role\nspec:\n  inlinePolicies:\n    p:\n      Version: \"2012-10-17\"\n"
                        + "      Statement: [{Effect: Allow, Action: \"s3:GetObject\", Resource: \"arn:aws:s3:::b-${env.DEPLOY_ESCAPED}\"}]\n");
        Path saved = dir.resolve("escaped.json");

        for (String format : List.of("text", "json", "markdown")) {
            CliRunner.Result plan = run("plan", m.toString(), "--format", format, "--out", saved.toString());
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            outputs.add(Files.readString(saved));
        }

        assertThat(outputs).allSatisfy(o -> assertThat(o).doesNotContain("SECRETXYZ", "crlf-json-secret-value"));
    }

    @Test
    void aValuesFileIsNeverQuoted_evenWhenAPullRequestRenamesOrRetypesItsVariable() {
        Path m = minimal("");
        write(
                m,
                "stack.yaml",
                "kind: Stack\nname: min\nspec:\n  region: eu-west-1\n" + "  variables: {pw: {type: integer}}\n");
        write(dir, "ci-values.yaml", "pw: hunter2-sensitive-pw\ndbpw: hunter2-sensitive-pw\n");

        CliRunner.Result result = run(
                "validate",
                m.toString(),
                "--values",
                dir.resolve("ci-values.yaml").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains("unknown variable 'dbpw'", "declared as integer but this value is a string")
                .doesNotContain("hunter2");
    }

    @Test
    void aHandlerModuleOutsideTheCode_isRefused_withoutProbingForTheFile() {
        Path m = minimal("");
        write(
                m,
                "more.yaml",
                "kind: Function\nname: probe\nspec: {runtime: nodejs20.x, code: src, role: min-role,"
                        + " handler: \"../../../../../../../../etc/hostname.handler\"}\n");

        CliRunner.Result result = run("validate", m.toString());

        assertThat(result.err())
                .contains("the handler's module must be a file inside the code")
                .doesNotContain("needs");
    }

    @Test
    void markdownCells_namesAndPathsFromSecrets_andSecretEntriesWithoutAValue() {
        env.put("RELEASE_NOTE", "Zx|9`Qv7pL-note");
        Path m = minimal("  environment:\n    EMPTY: {secret: true}\n");
        write(
                m,
                "role.yaml",
                "kind: Role\nname: min-role\nspec:\n  managedPolicyArns:\n"
                        + "    - \"arn:aws:iam::aws:policy/${env.RELEASE_NOTE}\"\n");
        write(
                m,
                "named.yaml",
                "kind: Function\nname: \"f-${env.DEPLOY_OPERATOR}\"\nspec: {runtime: python3.12,"
                        + " handler: app.handler, code: src, role: min-role}\n---\nkind: Role\nname: pathed\n"
                        + "spec: {path: \"/${env.DEPLOY_OPERATOR}/\"}\n");

        CliRunner.Result invalid = run("validate", m.toString());

        assertThat(invalid.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(invalid.err())
                .contains(
                        "a name cannot hold a sensitive value",
                        "a role's path cannot hold a sensitive value",
                        "missing required field")
                .doesNotContain("internal error");

        write(m, "named.yaml", "# removed\n");
        write(
                m,
                "function.yaml",
                "kind: Function\nname: min-fn\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: min-role\n");
        CliRunner.Result markdown = run("plan", m.toString(), "--format", "markdown");
        assertThat(markdown.out()).contains("(sensitive)").doesNotContain("Qv7pL");
        assertNothingLeaked();
    }

    @Test
    void aStateFolderHoldingASymbolicLink_isRefused() throws IOException {
        Path state = dir.resolve("state");
        Files.createDirectories(state.resolve("locks"));
        Files.createSymbolicLink(state.resolve("locks/min.lock"), dir.resolve("victim"));
        Files.writeString(dir.resolve("victim"), "keep me");

        CliRunner.Result result = run("apply", minimal("").toString(), "--auto-approve");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err()).contains("holds a symbolic link (locks/min.lock)");
        assertThat(Files.readString(dir.resolve("victim"))).isEqualTo("keep me");
    }

    @Test
    void longSensitiveValues_areMaskedWhole_beforeAnyMessageOrLineIsShortened() throws IOException {
        String token = "ghp_" + "A1b2C3d4E5".repeat(20);
        write(dir, "long-values.yaml", "tok: " + token + "\n");
        String literal = "S3cr3t-" + "q".repeat(200);
        Path set = dir.resolve("repo/long");
        write(set, "stack.yaml", """
                kind: Stack
                name: long
                spec:
                  variables:
                    tok: {type: string}
                ---
                kind: Role
                name: r
                """);
        write(set, "functions.yaml", """
                kind: Function
                name: a
                spec: {runtime: python3.12, handler: app.handler, code: app.py, role: "${var.tok}"}
                ---
                kind: Function
                name: b
                spec: {runtime: python3.12, handler: app.handler, code: app.py, role: "arn:${var.tok}"}
                ---
                kind: Payload
                name: p
                spec: {function: "${var.tok}"}
                ---
                kind: Function
                name: c
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: app.py
                  role: r
                  environment: {K: {value: "%s", secret: true, extra: 1}, PAD: "%s"}
                """.formatted(literal, "p".repeat(300)));
        write(set, "app.py", "def handler(e, c):\n    return e\n");

        CliRunner.Result result = run(
                "validate",
                set.toString(),
                "--sensitive-values",
                dir.resolve("long-values.yaml").toString());

        String output = result.out() + result.err();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(output).contains("(sensitive)").contains("unknown field 'extra'");
        for (String secret : List.of(token, literal)) {
            for (int i = 0; i + 16 <= secret.length(); i += 8) {
                assertThat(output).as("a part of a sensitive value").doesNotContain(secret.substring(i, i + 16));
            }
        }
    }
}
