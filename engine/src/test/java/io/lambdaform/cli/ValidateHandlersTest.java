package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.JavaSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} knows what each runtime needs of the code, offline, and says so at the handler's file:line:col:
 * the Java class and its method, a custom runtime's executable bootstrap, the Python function, the Node export (a
 * warning when it cannot tell). Other commands do not look.
 */
class ValidateHandlersTest {
    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner(Path.of("unused-state"));

    private Path repository() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        write(repo, "stack.yaml", "kind: Stack\nname: handlers\n");
        write(repo, "role.yaml", "kind: Role\nname: handlers-role\n");
        return repo;
    }

    /** A function in a file of its own: its handler is at line 5, column 12. */
    private static void function(Path repo, String name, String runtime, String handler, String code) {
        write(
                repo,
                name + ".yaml",
                "kind: Function\nname: " + name + "\nspec:\n  runtime: " + runtime + "\n  handler: " + handler
                        + "\n  code: " + code + "\n  role: handlers-role\n");
    }

    @Test
    void validate_reportsEachHandlerTheCodeCannotRun_atTheHandlersLine() throws IOException {
        Path repo = repository();
        JavaSources.compile(
                dir,
                repo.resolve("java/classes"),
                Map.of(
                        "com/example/Hello.java",
                        "package com.example; public class Hello {"
                                + " public String handleRequest(Object in, Object context) { return \"hi\"; } }"));
        function(repo, "javamissing", "java17", "com.example.Missing::handleRequest", "java/classes");
        function(repo, "javafine", "java17", "com.example.Hello", "java/classes");

        Files.createDirectories(repo.resolve("custom/nothing"));
        write(repo, "custom/nothing/README", "no bootstrap here\n");
        function(repo, "nobootstrap", "provided.al2023", "unused", "custom/nothing");
        Path plain = write(repo, "custom/plain/bootstrap", "#!/bin/sh\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        function(repo, "plainbootstrap", "provided.al2023", "unused", "custom/plain");
        Path runnable = write(repo, "custom/runnable/bootstrap", "#!/bin/sh\n");
        Files.setPosixFilePermissions(runnable, PosixFilePermissions.fromString("rwxr-xr-x"));
        function(repo, "goodbootstrap", "provided.al2", "unused", "custom/runnable");

        write(repo, "python/app.py", "def main(event, context):\n    pass\n\ndef helper():\n    pass\n");
        function(repo, "pythonmissing", "python3.12", "app.handler", "python");
        function(repo, "pythonfine", "python3.12", "app.main", "python");

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "javamissing.yaml:5:12: class com.example.Missing is not in the package: looked in the"
                                + " folder's classes (com/example/Missing.class in 'java/classes') and in lib/*.jar"
                                + " (none)",
                        "nobootstrap.yaml:5:12: runtime provided.al2023 runs the package's 'bootstrap', but code"
                                + " 'custom/nothing' holds no file named bootstrap at its root",
                        "plainbootstrap.yaml:5:12: runtime provided.al2023 runs the package's 'bootstrap', but"
                                + " bootstrap is not executable: chmod +x bootstrap",
                        "pythonmissing.yaml:5:12: handler 'app.handler' names function handler, but app.py defines no"
                                + " top-level 'handler' (it defines: main, helper)",
                        "      handler: app.handler\n               ^",
                        "4 problem(s) found.")
                .doesNotContain("javafine.yaml", "goodbootstrap.yaml", "pythonfine.yaml", "warning");
        assertThat(result.out()).doesNotContain("Valid");
    }

    @Test
    void aJarOrAZip_isLookedIntoThroughItsDirectory() throws IOException {
        Path repo = repository();
        Path classes = JavaSources.compile(
                dir,
                dir.resolve("build"),
                Map.of(
                        "com/example/Hello.java",
                        "package com.example; public class Hello {"
                                + " public String handleRequest(Object in, Object context) { return \"hi\"; } }"));
        JavaSources.zip(classes, repo.resolve("dist/app.jar"));
        function(repo, "jarfine", "java21", "com.example.Hello", "dist/app.jar");
        function(repo, "jarmethod", "java21", "com.example.Hello::handle", "dist/app.jar");
        JavaSources.zip(
                Map.of("app.py", "def main(event, context):\n    pass\n".getBytes(StandardCharsets.UTF_8)),
                repo.resolve("dist/py.zip"));
        function(repo, "zipped", "python3.12", "app.handler", "dist/py.zip");

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "jarmethod.yaml:5:12: handler 'com.example.Hello::handle' names method handle, but class"
                                + " com.example.Hello has no method 'handle' (it declares: handleRequest)",
                        "zipped.yaml:5:12: handler 'app.handler' names function handler, but app.py defines no"
                                + " top-level 'handler' (it defines: main)",
                        "2 problem(s) found.")
                .doesNotContain("jarfine.yaml");
    }

    @Test
    void aNodeModuleThatMayNotExportTheHandler_isAWarning_andTheSetStaysValid() throws IOException {
        Path repo = repository();
        write(repo, "node/index.js", "module.exports = require('./app');\n");
        function(repo, "unsure", "nodejs20.x", "index.handler", "node");
        write(repo, "node2/index.mjs", "export const main = async () => 1;\n");
        function(repo, "missing", "nodejs20.x", "index.handler", "node2");

        CliRunner.Result unsure = cli.run(
                Map.of("PATH", "/usr/bin:/bin"),
                "validate",
                repo.resolve("stack.yaml").toString(),
                repo.resolve("role.yaml").toString(),
                repo.resolve("unsure.yaml").toString());

        assertThat(unsure.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(unsure.err())
                .contains("unsure.yaml:5:12: warning: handler 'index.handler' names export handler, which index.js may"
                        + " not export: it sets module.exports to something other than an object literal, so what it"
                        + " exports is known only when it runs")
                .contains("1 warning(s).")
                .doesNotContain("problem(s) found");
        assertThat(unsure.out()).contains("Valid: stack handlers with");

        CliRunner.Result both = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(both.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(both.err())
                .contains(
                        "missing.yaml:5:12: handler 'index.handler' names export handler, but index.mjs exports no"
                                + " 'handler' (it exports: main)",
                        "unsure.yaml:5:12: warning: handler 'index.handler'",
                        "1 problem(s) found.",
                        "1 warning(s).");
    }

    @Test
    void aCustomRuntimeWithLayers_mayTakeItsBootstrapFromOne() throws IOException {
        Path repo = repository();
        write(repo, "custom/README", "the bootstrap comes from a layer\n");
        write(
                repo,
                "layered.yaml",
                "kind: Function\nname: layered\nspec:\n  runtime: provided.al2023\n  handler: unused\n"
                        + "  code: custom\n  role: handlers-role\n"
                        + "  layers: [\"arn:aws:lambda:eu-west-1:123456789012:layer:runtime:3\"]\n");

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.err()).doesNotContain("bootstrap");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void plan_doesNotLookIntoTheHandlersCode() throws IOException {
        Path repo = repository();
        write(repo, "python/app.py", "def main(event, context):\n    pass\n");
        function(repo, "pythonmissing", "python3.12", "app.handler", "python");

        CliRunner.Result result = new CliRunner(dir.resolve("state"))
                .run(Map.of("PATH", "/usr/bin:/bin"), "plan", repo.toString(), "--target", "local");

        assertThat(result.err()).doesNotContain("defines no top-level");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void theExamples_stillValidate() {
        for (String example : new String[] {"hello", "orders", "releases", "triggers"}) {
            Path folder = Path.of("../manifests", example).toAbsolutePath().normalize();

            CliRunner.Result result = example.equals("orders")
                    ? cli.run("validate", folder.toString(), "--env", "dev")
                    : cli.run("validate", folder.toString());

            assertThat(result.exitCode()).as(example + ": " + result.err()).isEqualTo(ExitCodes.OK);
            assertThat(result.err()).as(example).isEmpty();
            assertThat(result.out()).contains("Valid:");
        }
    }
}
