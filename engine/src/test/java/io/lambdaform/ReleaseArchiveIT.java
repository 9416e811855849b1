package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The release archive as a user meets it (issue #23), made from the jar this build just packaged by the release
 * script itself ({@code engine/src/release/package.sh}, what {@code mvn -Prelease package} runs): installed with
 * {@code install.sh} and by the GitHub Action's own steps, then run with no {@code java} on the PATH: its version,
 * the hello example applied and invoked on the local cloud, and a first validate that records nothing. Runs after
 * {@code package} (failsafe), where the shaded jar exists; it needs a JDK 24+ for the runtime, found as package.sh
 * finds it (skipped without one, failed under {@code CI=true}).
 */
class ReleaseArchiveIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("lambdaform.version", "");
    /** The machine's tools a user of the release has (and the local cloud's interpreters), but no java. */
    private static final List<String> TOOLS = List.of(
            "sh",
            "bash",
            "env",
            "tar",
            "gzip",
            "mktemp",
            "cut",
            "head",
            "sha256sum",
            "uname",
            "mkdir",
            "rm",
            "mv",
            "ln",
            "cp",
            "cat",
            "sed",
            "curl",
            "readlink",
            "dirname",
            "python3",
            "node",
            "git");

    @TempDir
    static Path dir;

    private static Path target;
    private static Path tools;

    @BeforeAll
    static void buildTheArchive() throws Exception {
        Path jar = Path.of(System.getProperty("lambdaform.jar", "target/lambdaform.jar"));
        Assumptions.assumeTrue(Files.isRegularFile(jar), "no packaged jar at " + jar + ": run mvn verify");
        target = dir.resolve("target");
        Result packaged = run(
                List.of(
                        "bash",
                        ROOT.resolve("engine/src/release/package.sh").toString(),
                        jar.toString(),
                        VERSION,
                        target.toString(),
                        ROOT.toString()),
                Map.of(),
                dir);
        if (packaged.output.contains("need a JDK 24 or newer") && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.abort(packaged.output);
        }
        assertThat(packaged.code).as(packaged.output).isZero();
        tools = dir.resolve("tools");
        Files.createDirectories(tools);
        for (String tool : TOOLS) {
            for (String folder : System.getenv("PATH").split(":")) {
                if (folder.contains("/shims")) {
                    continue; // pyenv's shims need pyenv: the interpreter itself is found further on
                }
                Path found = Path.of(folder, tool);
                if (Files.isExecutable(found) && !Files.exists(tools.resolve(tool))) {
                    Files.createSymbolicLink(tools.resolve(tool), found.toRealPath());
                }
            }
        }
    }

    private static Path archive() {
        return target.resolve("lambdaform-" + VERSION + "-linux-x64.tar.gz");
    }

    /** The environment of a user whose PATH has no java. */
    private static Map<String, String> noJava(Path home) {
        return Map.of("PATH", tools.toString(), "HOME", home.toString(), "LANG", "C.UTF-8");
    }

    @Test
    void installedWithoutJava_printsItsVersion_appliesAndInvokesHello_andItsFirstValidateRecordsNothing()
            throws Exception {
        Path home = dir.resolve("home-install");
        Files.createDirectories(home);
        Path prefix = dir.resolve("prefix");

        Result install = run(
                List.of(
                        "sh",
                        target.resolve("install.sh").toString(),
                        "--archive",
                        archive().toString(),
                        "--prefix",
                        prefix.toString()),
                noJava(home),
                home);
        Path lambdaform = prefix.resolve("bin/lambdaform");
        Result version = run(List.of(lambdaform.toString(), "--version"), noJava(home), home);
        Path repo = copyHello(home);
        Result validate = run(List.of(lambdaform.toString(), "validate", "hello"), noJava(home), repo);
        Result apply = run(List.of(lambdaform.toString(), "apply", "hello", "--auto-approve"), noJava(home), repo);
        Result invoke = run(List.of(lambdaform.toString(), "invoke", "hello"), noJava(home), repo);
        // Each kind of command starts with its cache: with AOTMode=on, a JVM that cannot use it refuses to start.
        Map<String, String> cacheRequired = new HashMap<>(noJava(home));
        cacheRequired.put("LAMBDAFORM_JAVA_OPTS", "-XX:AOTMode=on");
        Result validateCached = run(List.of(lambdaform.toString(), "validate", "hello"), cacheRequired, repo);
        Result planCached = run(List.of(lambdaform.toString(), "plan", "hello"), cacheRequired, repo);
        Map<String, String> awsCacheRequired = new HashMap<>(cacheRequired);
        awsCacheRequired.put("AWS_ACCESS_KEY_ID", "testing");
        awsCacheRequired.put("AWS_SECRET_ACCESS_KEY", "testing");
        Result awsCached = run(
                List.of(
                        lambdaform.toString(),
                        "plan",
                        "hello",
                        "--target",
                        "aws",
                        "--endpoint-url",
                        "http://127.0.0.1:9",
                        "--region",
                        "us-east-1"),
                awsCacheRequired,
                repo);

        assertThat(run(List.of("sh", "-c", "command -v java || echo none"), noJava(home), home).output)
                .isEqualTo("none\n");
        assertThat(install.code).as(install.output).isZero();
        assertThat(version.code).as(version.output).isZero();
        assertThat(version.output)
                .startsWith("lambdaform " + VERSION + " (commit ")
                .containsPattern("Java 2\\d")
                .contains(
                        prefix.resolve("lib/lambdaform/" + VERSION + "/runtime").toString());
        assertThat(validate.code).as(validate.output).isZero();
        assertThat(validate.output).startsWith("Valid: stack hello").doesNotContain("recording");
        assertThat(apply.code).as(apply.output).isZero();
        assertThat(invoke.code).as(invoke.output).isZero();
        assertThat(invoke.output).contains("1 passed, 0 failed");
        assertThat(validateCached.code).as(validateCached.output).isZero();
        assertThat(planCached.code).as(planCached.output).isZero();
        assertThat(awsCached.output)
                .as("a plan on AWS starts with its cache, and fails only for want of an endpoint")
                .doesNotContain("AOT cache")
                .contains("127.0.0.1:9");
    }

    @Test
    void installSh_refusesAnArchiveThatDoesNotMatchItsChecksum_andKeepsWhatWasInstalled() throws Exception {
        Path home = dir.resolve("home-checksum");
        Files.createDirectories(home);
        Path prefix = dir.resolve("prefix-checksum");
        Path tampered = dir.resolve("tampered/" + archive().getFileName());
        Files.createDirectories(tampered.getParent());
        Files.copy(archive(), tampered);
        Files.writeString(Path.of(tampered + ".sha256"), "0".repeat(64) + "  " + tampered.getFileName() + "\n");

        Result refused = run(
                List.of(
                        "sh",
                        target.resolve("install.sh").toString(),
                        "--archive",
                        tampered.toString(),
                        "--prefix",
                        prefix.toString()),
                noJava(home),
                home);

        assertThat(refused.code).isNotZero();
        assertThat(refused.output).contains("does not match its .sha256").contains("not installed");
        assertThat(prefix.resolve("bin/lambdaform")).doesNotExist();
    }

    @Test
    void installSh_takesARelativePrefix_threeInstallsAtOnce_andRefusesAReleaseWithoutItsChecksum() throws Exception {
        Path home = dir.resolve("home-edges");
        Files.createDirectories(home);
        String installSh = target.resolve("install.sh").toString();

        Result relative = run(
                List.of("sh", installSh, "--archive", archive().toString(), "--prefix", "relative"),
                noJava(home),
                home);
        List<Process> atOnce = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessBuilder builder = new ProcessBuilder(
                            "sh", installSh, "--archive", archive().toString(), "--prefix", "shared")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("at-once-" + i + ".log").toFile());
            builder.environment().clear();
            builder.environment().putAll(noJava(home));
            atOnce.add(builder.start());
        }
        List<Integer> codes = new ArrayList<>();
        for (Process process : atOnce) {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
            codes.add(process.exitValue());
        }
        Result shared = run(List.of(home.resolve("shared/bin/lambdaform").toString(), "--version"), noJava(home), home);
        Path releases = dir.resolve("releases-unchecked/v" + VERSION);
        Files.createDirectories(releases);
        Files.copy(archive(), releases.resolve(archive().getFileName()));
        Map<String, String> env = new HashMap<>(noJava(home));
        env.put("LAMBDAFORM_RELEASES", "file://" + releases.getParent());
        Result unchecked = run(List.of("sh", installSh, VERSION, "--prefix", "unchecked"), env, home);

        assertThat(relative.code).as(relative.output).isZero();
        assertThat(relative.output).contains("lambdaform " + VERSION);
        assertThat(codes).as("three installs at once").containsOnly(0);
        assertThat(shared.code).as(shared.output).isZero();
        try (Stream<Path> left = Files.list(home.resolve("shared/lib/lambdaform"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(VERSION);
        }
        assertThat(unchecked.code).isNotZero();
        assertThat(unchecked.output).contains(".sha256, which a release publishes beside its archive");
        assertThat(home.resolve("unchecked/bin/lambdaform")).doesNotExist();
    }

    /**
     * The action's steps, run as a runner runs them: each {@code run} script with its {@code env}, the expressions
     * replaced by what GitHub gives them, and the release downloaded from a {@code file://} folder laid out as a
     * GitHub release is ({@code v<version>/} holding the archive, its checksum and install.sh). Not run: the cache
     * step (actions/cache), which needs GitHub.
     */
    @Test
    void theGitHubActionsSteps_installTheReleaseOntoThePath() throws Exception {
        Path home = dir.resolve("home-action");
        Files.createDirectories(home);
        Path releases = dir.resolve("releases");
        Path published = releases.resolve("v" + VERSION);
        Files.createDirectories(published);
        for (String file :
                List.of(archive().getFileName().toString(), archive().getFileName() + ".sha256", "install.sh")) {
            Files.copy(target.resolve(file), published.resolve(file));
        }
        Path toolCache = dir.resolve("tool-cache");
        Path githubPath = dir.resolve("github-path");
        Path githubOutput = dir.resolve("github-output");
        Files.writeString(githubPath, "");
        Files.writeString(githubOutput, "");
        Map<String, Object> action =
                new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ROOT.resolve("action.yml")));
        Map<String, String> expressions = new HashMap<>();
        expressions.put("inputs.version", VERSION);
        expressions.put("inputs.releases-url", "file://" + releases);
        expressions.put("runner.tool_cache", toolCache.toString());

        List<Result> steps = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all =
                (List<Map<String, Object>>) ((Map<String, Object>) action.get("runs")).get("steps");
        for (Map<String, Object> step : all) {
            if (!step.containsKey("run")) {
                continue;
            }
            Map<String, String> env = new HashMap<>(noJava(home));
            env.put("GITHUB_PATH", githubPath.toString());
            env.put("GITHUB_OUTPUT", githubOutput.toString());
            env.put("RUNNER_TEMP", dir.resolve("runner-temp").toString());
            Files.createDirectories(dir.resolve("runner-temp"));
            @SuppressWarnings("unchecked")
            Map<String, String> declared = (Map<String, String>) step.getOrDefault("env", Map.of());
            declared.forEach((name, value) -> env.put(name, GitHubExpressions.evaluate(value, expressions)));
            Result result = run(List.of("bash", "-e", "-c", (String) step.get("run")), env, home);
            steps.add(result);
            if ("where".equals(step.get("id"))) {
                String output = Files.readString(githubOutput);
                expressions.put(
                        "steps.where.outputs.path",
                        output.substring(output.indexOf('=') + 1).trim());
            }
        }

        assertThat(steps)
                .hasSize(3)
                .allSatisfy(step -> assertThat(step.code).as(step.output).isZero());
        Path installed = toolCache.resolve("lambdaform/" + VERSION);
        assertThat(Files.readString(githubPath)).isEqualTo(installed.resolve("bin") + "\n");
        assertThat(steps.get(2).output).startsWith("lambdaform " + VERSION + " (commit ");
    }

    /**
     * The Dockerfile copies what the release build writes, and its install step runs as install.sh was tested to: the
     * RUN line's shell, with the release's files where the COPY puts them and /usr/local a folder of the test's.
     */
    @Test
    void theDockerfile_copiesTheFilesTheReleaseBuildWrites_andItsInstallStepInstallsThem() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY (.+) /tmp/lambdaform/$").matcher(dockerfile);
        assertThat(copy.find()).as(dockerfile).isTrue();
        Path copied = dir.resolve("docker/tmp/lambdaform");
        Files.createDirectories(copied);
        for (String source : copy.group(1).split(" ")) {
            assertThat(source).startsWith("target/");
            PathMatcher glob = target.getFileSystem().getPathMatcher("glob:" + source.substring("target/".length()));
            try (Stream<Path> files = Files.list(target)) {
                List<Path> matched =
                        files.filter(f -> glob.matches(f.getFileName())).toList();
                assertThat(matched).as(source).hasSize(1);
                Files.copy(matched.get(0), copied.resolve(matched.get(0).getFileName()));
            }
        }
        Matcher install = Pattern.compile("(?ms)^RUN (set -- /tmp/lambdaform/.*?rm -rf /tmp/lambdaform)$")
                .matcher(dockerfile);
        assertThat(install.find()).as(dockerfile).isTrue();
        Path usrLocal = dir.resolve("docker/usr/local");
        String script = install.group(1)
                .replace("/tmp/lambdaform", copied.toString())
                .replace("/usr/local", usrLocal.toString());
        Path home = dir.resolve("home-docker");
        Files.createDirectories(home);

        Result result = run(List.of("sh", "-c", script), noJava(home), home);

        assertThat(result.code).as(result.output).isZero();
        assertThat(usrLocal.resolve("bin/lambdaform")).exists();
        assertThat(result.output).contains("lambdaform " + VERSION + " (commit ");
    }

    private static Path copyHello(Path home) throws IOException {
        Path repo = home.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        Path hello = ROOT.resolve("manifests/hello");
        try (Stream<Path> files = Files.list(hello)) {
            Files.createDirectories(repo.resolve("hello"));
            for (Path file : files.toList()) {
                Files.copy(file, repo.resolve("hello").resolve(file.getFileName()));
            }
        }
        return repo;
    }

    private record Result(int code, String output) {}

    private static Result run(List<String> command, Map<String, String> env, Path cwd)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        if (!env.isEmpty()) {
            builder.environment().clear();
            builder.environment().putAll(env);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
