package io.lambdaform.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI as its own process (this JVM's java, the test classpath), in a working folder of the test's choosing:
 * for what only a real process shows (the current folder, signals, the process tree).
 */
final class CliProcess {
    private CliProcess() {}

    /** The command that starts the CLI with {@code args}. */
    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The command that starts the CLI with {@code args}, its JVM given {@code jvmOptions} too. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-XX:TieredStopAtLevel=1");
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts the CLI in {@code cwd}, with only {@code env} (and PATH) as its environment, output to files. */
    static Process start(Path cwd, Map<String, String> env, Path logs, String... args) throws IOException {
        return start(cwd, env, logs, List.of(), args);
    }

    /** As {@link #start(Path, Map, Path, String...)}, the JVM given {@code jvmOptions}. */
    static Process start(Path cwd, Map<String, String> env, Path logs, List<String> jvmOptions, String... args)
            throws IOException {
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(command(jvmOptions, args))
                .directory(cwd.toFile())
                .redirectOutput(logs.resolve("out.txt").toFile())
                .redirectError(logs.resolve("err.txt").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        System.getenv().forEach((name, value) -> {
            // What the machine's python needs to start: pyenv's shims read HOME and PYENV_*.
            if (name.equals("HOME") || name.startsWith("PYENV")) {
                builder.environment().put(name, value);
            }
        });
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Runs the CLI to its end (at most two minutes). */
    static CliRunner.Result run(Path cwd, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(cwd, env, List.of(), args);
    }

    /** Runs the CLI to its end (at most two minutes), its JVM given {@code jvmOptions}. */
    static CliRunner.Result run(Path cwd, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path logs = Files.createTempDirectory("lambdaform-cli-process");
        Process process = start(cwd, env, logs, jvmOptions, args);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("lambdaform " + String.join(" ", args) + " did not end in two minutes");
        }
        return new CliRunner.Result(
                process.exitValue(),
                Files.readString(logs.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(logs.resolve("err.txt"), StandardCharsets.UTF_8));
    }
}
