package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java and custom-runtime examples, and a stack that mixes Python, Java, a custom runtime and a runtime the local
 * cloud cannot run, through the command line on the local cloud, as a new user runs them; and code built by
 * {@code code.build}: only when its inputs change, refused before anything is planned when it fails.
 */
class RuntimesEndToEndTest {
    private static final Path EXAMPLES =
            Path.of("..", "manifests").toAbsolutePath().normalize();

    @TempDir
    Path work;

    private CliRunner cli;

    @BeforeEach
    void start() {
        cli = new CliRunner(work.resolve("state"));
    }

    @Test
    void theJavaExample_buildsAppliesAndPassesItsPayloads_inOneWarmEnvironment() throws IOException {
        Path set = copy(EXAMPLES.resolve("java"), work.resolve("java"));

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.run("invoke", set.toString());

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("building 'build/classes': javac");
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("2 passed, 0 failed").contains("greeting Ada Lovelace");
    }

    @Test
    void theCustomRuntimeExample_runsItsShellBootstrap() throws IOException {
        Path set = copy(EXAMPLES.resolve("custom-runtime"), work.resolve("custom-runtime"));

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.run("invoke", set.toString());

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("1 passed, 0 failed").contains("handling {\"name\":\"Ada\"}");
    }

    @Test
    void aStackMixingRuntimes_runsEveryPayload_andReportsTheOneItCannotRun() throws IOException {
        Path set = work.resolve("mixed");
        copy(EXAMPLES.resolve("java/src"), set.resolve("src"));
        copy(EXAMPLES.resolve("custom-runtime/function"), set.resolve("function"));
        copy(EXAMPLES.resolve("hello/hello_handler.py"), set.resolve("hello_handler.py"));
        Files.writeString(set.resolve("function.rb"), "def handler(event:, context:)\n  event\nend\n");
        Files.writeString(set.resolve("stack.yaml"), """
                kind: Stack
                name: mixed
                ---
                kind: Role
                name: mixed-ex
                spec:
                  trustedServices: [lambda.amazonaws.com]
                ---
                kind: Function
                name: py
                spec: {runtime: python3.12, handler: hello_handler.hello_handler, code: hello_handler.py, role: mixed-ex}
                ---
                kind: Function
                name: java
                spec:
                  runtime: java17
                  handler: example.Greeter::greet
                  role: mixed-ex
                  timeout: 15
                  code:
                    path: classes
                    build: {command: [javac, -d, classes, src/main/java/example/Greeter.java], inputs: [src]}
                ---
                kind: Function
                name: shell
                spec: {runtime: provided.al2023, handler: function.handler, code: function, role: mixed-ex}
                ---
                kind: Function
                name: ruby
                spec: {runtime: ruby3.3, handler: function.handler, code: function.rb, role: mixed-ex}
                ---
                kind: Payload
                name: ruby-first
                spec: {function: ruby, event: {a: 1}}
                ---
                kind: Payload
                name: py-greets
                spec:
                  function: py
                  event: {firstname: Ada, surname: Lovelace}
                  expect: {result: {message: Hello Ada Lovelace!}}
                ---
                kind: Payload
                name: java-greets
                spec:
                  function: java
                  event: {firstname: Alan, surname: Turing}
                  expect: {result: {message: Hello Alan Turing!}}
                ---
                kind: Payload
                name: shell-echoes
                spec:
                  function: shell
                  event: {name: Grace}
                  expect: {result: {received: {name: Grace}}}
                """);

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result invoke = cli.run("invoke", set.toString());

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(invoke.exitCode()).as("a payload not run fails the command").isEqualTo(1);
        assertThat(invoke.out())
                .contains("payload ruby-first -> function ruby: NOT RUN: the local cloud runs python, nodejs, java and"
                        + " provided (custom runtime) functions; runtime ruby3.3")
                .contains("payload py-greets -> function py: ok")
                .contains("payload java-greets -> function java: ok")
                .contains("payload shell-echoes -> function shell: ok")
                .contains("3 passed, 0 failed, 1 not run");
    }

    @Test
    void aBuild_runsOnlyWhenItsInputsChange_andAFailingOneStopsThePlanWithItsOutput() throws IOException {
        Path set = copy(EXAMPLES.resolve("java"), work.resolve("java"));
        Path source = set.resolve("src/main/java/example/Greeter.java");

        CliRunner.Result unbuilt = cli.run("plan", set.toString());
        CliRunner.Result first = cli.run("plan", set.toString(), "--build");
        CliRunner.Result again = cli.run("plan", set.toString());
        Files.writeString(source, Files.readString(source).replace("\"Hello\"", "\"Hi\""));
        CliRunner.Result noBuild = cli.run("apply", set.toString(), "--no-build", "--auto-approve");
        CliRunner.Result changed = cli.run("plan", set.toString(), "--build");
        Files.writeString(source, Files.readString(source).replace("return greeting;", "return greeting"));
        CliRunner.Result broken = cli.run("apply", set.toString(), "--auto-approve");

        assertThat(unbuilt.exitCode()).as("plan builds only with --build").isEqualTo(1);
        assertThat(unbuilt.err()).contains("plan builds only with --build").doesNotContain("building");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.err()).contains("building 'build/classes'");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).as("nothing changed: no build needed, none run").doesNotContain("building");
        assertThat(set.resolve("build/classes.lambdaform-build"))
                .as("the record travels with the output")
                .exists();
        assertThat(noBuild.exitCode()).isEqualTo(1);
        assertThat(noBuild.err())
                .contains("is not built from its current inputs")
                .doesNotContain("building");
        assertThat(noBuild.out()).doesNotContain("Plan:");
        assertThat(changed.err()).contains("building 'build/classes'");
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.err())
                .contains("the build of 'build/classes' failed (exit status 1); nothing was planned")
                .contains("Greeter.java")
                .contains("';' expected");
        assertThat(broken.out()).doesNotContain("Plan:");
    }

    @Test
    void aBuild_runsOnlyForAValidSet_andWhatItPrintsHidesSecrets() throws IOException {
        Path set = work.resolve("leaky");
        Files.createDirectories(set.resolve("src"));
        Files.writeString(set.resolve("src/app.py"), "def handler(e, c):\n    return 1\n");
        String manifest = """
                kind: Stack
                name: leaky
                ---
                kind: Role
                name: leaky-ex
                spec: {trustedServices: [lambda.amazonaws.com]}
                ---
                kind: Function
                name: leaky
                spec:
                  runtime: python3.12
                  handler: app.handler
                  role: leaky-ex
                  MEMORY
                  code:
                    path: out
                    build:
                      command: [sh, -c, "echo token=$GITHUB_TOKEN; echo secret=$AWS_SECRET_ACCESS_KEY; mkdir -p out; cp src/app.py out/; touch built"]
                      inputs: [src]
                """;
        Files.writeString(set.resolve("stack.yaml"), manifest.replace("MEMORY", "memorySize: 99999"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-do-not-print");
        env.put("GITHUB_TOKEN", "ghp_do-not-print-this-either");

        CliRunner.Result invalid = cli.run(env, "apply", set.toString(), "--auto-approve");
        boolean builtWhileInvalid = Files.exists(set.resolve("built"));
        Files.writeString(set.resolve("stack.yaml"), manifest.replace("MEMORY", "memorySize: 256"));
        Files.writeString(set.resolve("src/app.py"), "def handler(e, c):\n    return 2\n");
        CliRunner.Result valid = cli.run(env, "apply", set.toString(), "--auto-approve");

        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(1);
        assertThat(builtWhileInvalid).as("an invalid set builds nothing").isFalse();
        assertThat(invalid.err()).doesNotContain("building");
        assertThat(valid.exitCode()).as(valid.toString()).isZero();
        assertThat(set.resolve("built")).exists();
        assertThat(valid.toString())
                .doesNotContain("do-not-print")
                .as("the build's own environment has no credential variable")
                .doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void validate_needsNoBuildOutput_butChecksTheInputs() throws IOException {
        Path set = copy(EXAMPLES.resolve("java"), work.resolve("java"));

        CliRunner.Result valid = cli.run("validate", set.toString());
        Files.writeString(
                set.resolve("function.yaml"),
                Files.readString(set.resolve("function.yaml")).replace("inputs: [src]", "inputs: [sources]"));
        CliRunner.Result missing = cli.run("validate", set.toString());

        assertThat(valid.exitCode()).as(valid.toString()).isZero();
        assertThat(set.resolve("build")).as("validate runs no build").doesNotExist();
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).containsPattern("function.yaml:\\d+:\\d+: code path 'sources' does not exist");
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                if (source.toString().contains("/build/")) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return to;
    }
}
