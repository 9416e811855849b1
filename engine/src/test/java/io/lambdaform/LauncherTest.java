package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lambdaform}, run from a copy of the checkout whose Maven is a stand-in that takes its time and writes the
 * jar in pieces, as a real build does: runs started at once build once and all run the finished jar, with flock and
 * without it (macOS), and a lock left by a killed run blocks no one.
 */
class LauncherTest {
    private static final Path LAUNCHER =
            Path.of("../bin/lambdaform").toAbsolutePath().normalize();
    private static final String RAN = "the fake lambdaform ran with";

    /** What the launcher and the stand-in Maven need of the machine, when it has no flock. */
    private static final List<String> TOOLS = List.of(
            "bash", "env", "find", "mkdir", "mv", "rm", "ln", "readlink", "sleep", "head", "tail", "wc", "cat", "grep");

    /** Stands in for Maven: records each build, then writes the jar of the name it is given in two halves. */
    private static final String FAKE_MAVEN = """
            #!/usr/bin/env bash
            set -eu
            echo "$$" >> "$BUILDS"
            if [ -e "$FAIL" ]; then
              echo "[ERROR] the build failed"
              exit 1
            fi
            pom="" name="lambdaform"
            while [ $# -gt 0 ]; do
              case "$1" in
                -f) pom="$2"; shift ;;
                -Dlambdaform.jar=*) name="${1#*=}" ;;
              esac
              shift
            done
            target="${pom%/*}/engine/target"
            mkdir -p "$target"
            size="$(wc -c < "$FAKE_JAR")"
            head -c "$((size / 2))" "$FAKE_JAR" > "$target/$name.jar"
            sleep 3
            tail -c "+$((size / 2 + 1))" "$FAKE_JAR" >> "$target/$name.jar"
            """;

    @TempDir
    Path dir;

    private Path checkout;
    private Path jar;
    private Path builds;
    private Path fakeBin;

    /** What the built jar runs: says so, with its arguments. */
    public static final class FakeLambdaform {
        public static void main(String[] args) {
            System.out.println(RAN + " " + String.join(" ", args));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("bin"));
        Files.copy(LAUNCHER, checkout.resolve("bin/lambdaform"));
        TestFiles.write(checkout, "pom.xml", "<project/>\n");
        TestFiles.write(checkout, "engine/pom.xml", "<project/>\n");
        TestFiles.write(checkout, "engine/src/main/java/Main.java", "class Main {}\n");
        TestFiles.write(checkout, "schemas/manifest.schema.json", "{}\n");
        jar = checkout.resolve("engine/target/lambdaform.jar");
        builds = dir.resolve("builds.txt");
        fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
        Path maven = TestFiles.write(fakeBin, "mvn", FAKE_MAVEN);
        assertThat(maven.toFile().setExecutable(true)).isTrue();
        writeFakeJar(dir.resolve("built.jar"));
    }

    /** A jar whose main class is {@link FakeLambdaform}, found through the test classes' folder. */
    private static void writeFakeJar(Path file) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeLambdaform.class.getName());
        Path classes = Path.of(FakeLambdaform.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        manifest.getMainAttributes()
                .put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jarFile = new JarOutputStream(out, manifest)) {
            // A jar of some size, so that half of it is not a jar.
            jarFile.putNextEntry(new JarEntry("padding.txt"));
            jarFile.write("padding\n".repeat(20_000).getBytes(StandardCharsets.UTF_8));
            jarFile.closeEntry();
        }
    }

    private static Optional<Path> onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(folder -> Path.of(folder, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** A PATH of the machine's tools but flock, and of this JVM's java, as on a machine without flock. */
    private Path toolsWithoutFlock() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : TOOLS) {
            Files.createSymbolicLink(
                    tools.resolve(tool), onPath(tool).orElseThrow(() -> new IllegalStateException("no " + tool)));
        }
        Files.createSymbolicLink(tools.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        return tools;
    }

    private Process start(String path, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        onPath("bash").orElseThrow().toString(),
                        checkout.resolve("bin/lambdaform").toString(),
                        "--version")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>();
        env.put("PATH", fakeBin + File.pathSeparator + path);
        env.put("HOME", dir.toString());
        env.put("BUILDS", builds.toString());
        env.put("FAKE_JAR", dir.resolve("built.jar").toString());
        env.put("FAIL", dir.resolve("fail").toString());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Starts {@code count} runs at once and returns what each printed, once all have ended. */
    private List<String> runAtOnce(int count, String path) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path log = dir.resolve("run-" + System.nanoTime() + ".log");
            logs.add(log);
            processes.add(start(path, log));
        }
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(processes.get(i).waitFor(2, TimeUnit.MINUTES)).isTrue();
            String output = Files.readString(logs.get(i));
            assertThat(processes.get(i).exitValue()).as(output).isZero();
            outputs.add(output);
        }
        return outputs;
    }

    private int buildsRun() throws IOException {
        return Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
    }

    private void assertBuiltOnce_andEveryRunRanTheJar(List<String> outputs) throws IOException {
        assertThat(buildsRun()).as("builds").isEqualTo(1);
        assertThat(outputs)
                .allSatisfy(output -> assertThat(output)
                        .contains(RAN + " --version")
                        .doesNotContain("Invalid or corrupt jarfile", "build failed"));
        assertThat(outputs.stream().filter(o -> o.contains("lambdaform: building")))
                .hasSize(1);
        assertThat(outputs)
                .as("the runs overlapped the build")
                .anyMatch(o -> o.contains("lambdaform: waiting for the build another run started"));
        assertThat(jar).hasSameBinaryContentAs(dir.resolve("built.jar"));
        try (Stream<Path> files = Files.list(jar.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("nothing of the build is left beside the jar")
                    .noneMatch(name -> name.startsWith("lambdaform-build-"));
        }
    }

    @Test
    void threeFirstRunsAtOnce_buildOnce_andAllRunTheFinishedJar() throws Exception {
        assumeTrue(onPath("flock").isPresent(), "this machine has no flock; the next test covers that");

        List<String> outputs = runAtOnce(3, System.getenv("PATH"));

        assertBuiltOnce_andEveryRunRanTheJar(outputs);
        assertThat(runAtOnce(1, System.getenv("PATH")).get(0))
                .as("a later run builds nothing")
                .isEqualTo(RAN + " --version\n");
        assertThat(buildsRun()).isEqualTo(1);
    }

    @Test
    void withoutFlock_threeFirstRunsAtOnce_buildOnce_andAllRunTheFinishedJar() throws Exception {
        String tools = toolsWithoutFlock().toString();

        List<String> outputs = runAtOnce(3, tools);

        assertBuiltOnce_andEveryRunRanTheJar(outputs);
        assertThat(jar.resolveSibling(".lambdaform-build.owner")).doesNotExist();
        assertThat(runAtOnce(1, tools).get(0)).isEqualTo(RAN + " --version\n");
        assertThat(buildsRun()).isEqualTo(1);
    }

    @Test
    void aLockAndAHalfBuiltJarLeftByAKilledRun_blockNoOne() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path target = Files.createDirectories(jar.getParent());
        Files.createSymbolicLink(target.resolve(".lambdaform-build.owner"), Path.of(String.valueOf(ended.pid())));
        Files.writeString(target.resolve(".lambdaform-build.lock"), "");
        Files.writeString(target.resolve("lambdaform-build-" + ended.pid() + ".jar"), "PK half");

        List<String> withoutFlock = runAtOnce(2, toolsWithoutFlock().toString());

        assertBuiltOnce_andEveryRunRanTheJar(withoutFlock);
        if (onPath("flock").isPresent()) {
            Files.delete(jar);
            Files.writeString(target.resolve("lambdaform-build-" + ended.pid() + ".jar"), "PK half");
            Files.delete(builds);
            assertBuiltOnce_andEveryRunRanTheJar(runAtOnce(2, System.getenv("PATH")));
        }
    }

    @Test
    void withoutFlock_aLockOlderThanAnyBuild_blocksNoOne_evenWhenItsProcessIdWasReused() throws Exception {
        Path owner = Files.createDirectories(jar.getParent()).resolve(".lambdaform-build.owner");
        Files.createSymbolicLink(
                owner, Path.of(String.valueOf(ProcessHandle.current().pid())));
        Process touch = new ProcessBuilder("touch", "-h", "-d", "2 hours ago", owner.toString()).start();
        assumeTrue(touch.waitFor() == 0, "this touch cannot date a symbolic link");

        assertBuiltOnce_andEveryRunRanTheJar(runAtOnce(2, toolsWithoutFlock().toString()));
    }

    @Test
    void aFailedBuild_saysSo_putsNoJarInPlace_andTheNextRunBuildsAgain() throws Exception {
        Files.writeString(dir.resolve("fail"), "");
        Process failed = start(System.getenv("PATH"), dir.resolve("failed.log"));
        assertThat(failed.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(failed.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("failed.log")))
                .contains("[ERROR] the build failed", "lambdaform: build failed");
        assertThat(jar).doesNotExist();

        Files.delete(dir.resolve("fail"));
        assertThat(runAtOnce(1, System.getenv("PATH")).get(0)).contains(RAN + " --version");
        assertThat(buildsRun()).isEqualTo(2);
    }
}
