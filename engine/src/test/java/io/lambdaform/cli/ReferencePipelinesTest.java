package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.GitHubExpressions;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The reference pipelines of docs/pipelines (issue #24), run as far as this machine can: every script of theirs that
 * runs lambdaform, with the expressions GitHub or GitLab would give, on a sample repository of three stacks with git
 * history (one owns the role the other two use), on the local cloud and on moto. A pull request that changes one
 * stack's code validates and plans exactly that stack into one document; its merge applies and invokes exactly that
 * stack. Not run: the steps of other tools (checkout, the install action, AWS credentials, the PR comment).
 */
class ReferencePipelinesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PIPELINES =
            Path.of("../docs/pipelines").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path repo;
    private Path bin;
    private Map<String, String> env;
    private List<String> target;

    private void write(String path, String text) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String sh(String script, Map<String, String> more) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-c", script)
                .directory(repo.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().putAll(more);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(script + "\n" + output).isZero();
        return output;
    }

    private void git(String... args) throws Exception {
        sh("git -c user.name=test -c user.email=test@example.com " + String.join(" ", args), Map.of());
    }

    /** The sample repository, deployed from main: the shared role's stack and two stacks that use it. */
    private void repository(String where) throws Exception {
        repo = dir.resolve("gitops");
        write("stacks/shared/stack.yaml", """
                kind: Stack
                name: shared
                spec: {region: us-east-1}
                ---
                kind: Role
                name: shared-fn
                """);
        for (String name : List.of("orders", "payments")) {
            write("stacks/" + name + "/src/app.py", "def handler(event, context):\n    return event\n");
            write("stacks/" + name + "/stack.yaml", """
                    kind: Stack
                    name: NAME
                    spec: {region: us-east-1}
                    ---
                    kind: Function
                    name: NAME
                    spec: {runtime: python3.12, handler: app.handler, code: src, role: {stack: shared, name: shared-fn}}
                    ---
                    kind: Payload
                    name: NAME-call
                    spec: {function: NAME, event: {id: 1}, expect: {outcome: success}}
                    """.replace("NAME", name));
        }
        // lambdaform as the pipelines find it on the PATH: this build's classes.
        bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path launcher = bin.resolve("lambdaform");
        Files.writeString(
                launcher,
                "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                        + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path")
                        + "' io.lambdaform.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = new HashMap<>();
        env.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        env.put("NO_COLOR", "1");
        env.put("LAMBDAFORM_STATE_DIR", dir.resolve("state").toString());
        if (where.equals("moto")) {
            String endpoint = MotoServer.freshEndpoint().toString();
            env.put("AWS_ACCESS_KEY_ID", "testing");
            env.put("AWS_SECRET_ACCESS_KEY", "testing");
            env.put("AWS_REGION", "us-east-1");
            env.put("LAMBDAFORM_LOCK_TABLE", "lambdaform-locks"); // the pipelines' env
            new AwsCli(URI.create(endpoint))
                    .run(
                            "dynamodb",
                            "create-table",
                            "--table-name",
                            "lambdaform-locks",
                            "--attribute-definitions",
                            "AttributeName=LockID,AttributeType=S",
                            "--key-schema",
                            "AttributeName=LockID,KeyType=HASH",
                            "--billing-mode",
                            "PAY_PER_REQUEST");
            target = List.of("--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1");
        } else {
            target = List.of();
        }
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "three-stacks");
        git("remote", "add", "origin", repo.toString());
        git("fetch", "-q", "origin");
        sh("lambdaform apply . --all --auto-approve " + String.join(" ", target), Map.of());
    }

    /** A script as the runner would run it: the pipeline's target flags made this test's. */
    private String targeted(String script) {
        String flags = String.join(" ", target);
        return script.replace("--target aws", flags);
    }

    /** A step's script, run with its env, the expressions of both evaluated as GitHub would. */
    @SuppressWarnings("unchecked")
    private String step(Map<String, Object> step, Map<String, String> values, Map<String, String> more)
            throws Exception {
        Map<String, String> stepEnv = new HashMap<>(more);
        ((Map<String, String>) step.getOrDefault("env", Map.of()))
                .forEach((name, value) -> stepEnv.put(name, GitHubExpressions.evaluate(value, values)));
        return sh(targeted(GitHubExpressions.evaluate((String) step.get("run"), values)), stepEnv);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Map<String, Object> workflow, String job) {
        return (List<Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) workflow.get("jobs")).get(job)).get("steps");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "moto"})
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void gitHubActions_planOneCommentOfTheChangedStack_thenApplyIt(String where) throws Exception {
        repository(where);
        Map<String, Object> workflow = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(PIPELINES.resolve("github-actions.yml")));
        String mainCommit = sh("git rev-parse HEAD", Map.of()).strip();
        git("checkout", "-q", "-b", "change");
        write("stacks/orders/src/app.py", "def handler(event, context):\n    return {'v': 2, **event}\n");
        git("commit", "-q", "-am", "orders-v2");
        Map<String, String> values = new HashMap<>(Map.of(
                "github.base_ref", "main",
                "github.event.before", mainCommit,
                "github.event.pull_request.number", "1",
                "github.token", "unused"));

        for (Map<String, Object> step : steps(workflow, "plan")) {
            String run = (String) step.get("run");
            if (run != null && run.contains("lambdaform")) {
                step(step, values, Map.of());
            }
        }
        String plan = Files.readString(repo.resolve("plan.md"));
        List<String> applied = new ArrayList<>();
        for (Map<String, Object> step : steps(workflow, "apply")) {
            String run = (String) step.get("run");
            if (run != null && run.contains("lambdaform")) {
                applied.add(step(step, values, Map.of()));
            }
        }

        assertThat(plan)
                .startsWith("## Lambdaform: 1 stack(s)")
                .contains("| `stacks/orders` | changes |")
                .doesNotContain("stacks/payments");
        assertThat(repo.resolve("plan-full.md")).exists();
        assertThat(String.join("\n", applied))
                .contains("Apply complete: 0 created, 1 updated")
                .contains("1 passed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"local", "moto"})
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void gitLabCi_planTheChangedStack_thenApplyIt(String where) throws Exception {
        repository(where);
        Map<String, Object> pipeline = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(PIPELINES.resolve("gitlab-ci.yml")));
        String mainCommit = sh("git rev-parse HEAD", Map.of()).strip();
        git("checkout", "-q", "-b", "change");
        write("stacks/payments/src/app.py", "def handler(event, context):\n    return {'v': 2, **event}\n");
        git("commit", "-q", "-am", "payments-v2");
        Map<String, String> variables =
                Map.of("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main", "CI_COMMIT_BEFORE_SHA", mainCommit);

        List<String> outputs = new ArrayList<>();
        for (String job : List.of("plan", "apply")) {
            @SuppressWarnings("unchecked")
            List<String> script = (List<String>) ((Map<String, Object>) pipeline.get(job)).get("script");
            for (String line : script) {
                if (line.contains("lambdaform")) {
                    outputs.add(sh(targeted(line), variables));
                }
            }
            if (job.equals("plan")) {
                outputs.add(Files.readString(repo.resolve("plan.md")));
            }
        }
        String all = String.join("\n", outputs);

        assertThat(all)
                .contains("## Lambdaform: 1 stack(s)")
                .contains("| `stacks/payments` | changes |")
                .contains("Apply complete: 0 created, 1 updated")
                .contains("1 passed, 0 failed")
                .doesNotContain("stacks/orders");
    }
}
