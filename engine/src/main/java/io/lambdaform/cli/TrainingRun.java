package io.lambdaform.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The training runs of a release build: the commands users run most, in one JVM per cache, so that the JVM records
 * what they load into the release's ahead-of-time caches ({@code -XX:AOTCacheOutput}) and no user run ever records
 * anything. A JVM started with a cache loads every class it holds, so each cache holds one kind of command: {@code
 * validate} (the command run first and most, on every pull request), {@code local} (the commands on the local cloud)
 * and {@code aws} (the commands on AWS, against an endpoint that answers nothing, which loads the SDK's clients
 * without reaching any account); the release's launcher picks one by the command line. Run by
 * {@code engine/src/release/package.sh} on a copy of the hello example:
 *
 * <pre>{@code java -XX:AOTCacheOutput=local.aot -cp lambdaform.jar io.lambdaform.cli.TrainingRun local SET WORK}</pre>
 */
public final class TrainingRun {
    private TrainingRun() {}

    private static List<String> with(List<String> command, List<String> more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(more);
        return all;
    }

    public static void main(String[] args) {
        if (args.length != 3 || !List.of("validate", "local", "aws").contains(args[0])) {
            System.err.println("usage: TrainingRun validate|local|aws MANIFEST_FOLDER WORK_FOLDER");
            System.exit(2);
        }
        Main.configureGuice();
        String profile = args[0];
        String set = args[1];
        Path work = Path.of(args[2]);
        String state = work.resolve("state").toString();
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("LAMBDAFORM_CACHE_DIR", work.resolve("cache").toString());
        // Credentials of no account, for an endpoint where nothing listens: the SDK's classes load, nothing is sent.
        env.put("AWS_ACCESS_KEY_ID", "training");
        env.put("AWS_SECRET_ACCESS_KEY", "training");
        env.put("AWS_REGION", "us-east-1");
        String nowhere = "http://127.0.0.1:9";
        List<String> aws = List.of("--target", "aws", "--endpoint-url", nowhere);
        List<List<String>> commands = switch (profile) {
            case "validate" -> List.of(List.of("validate", set), List.of("validate", work.toString()));
            case "local" ->
                List.of(
                        List.of("--version"),
                        List.of("--help"),
                        List.of("plan", set, "--state-dir", state),
                        List.of("apply", set, "--state-dir", state, "--auto-approve"),
                        List.of("invoke", set, "--state-dir", state),
                        List.of("plan", set, "--state-dir", state, "--format", "markdown"),
                        List.of("logs", set, "--state-dir", state),
                        List.of("destroy", set, "--state-dir", state, "--auto-approve"));
            default ->
                List.of(
                        with(List.of("plan", set), aws),
                        with(List.of("plan", set, "--format", "markdown"), aws),
                        with(List.of("apply", set, "--auto-approve"), aws),
                        with(List.of("invoke", set), aws),
                        with(List.of("logs", set), aws));
        };
        List<String> report = new ArrayList<>();
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (List<String> command : commands) {
            int code = Main.run(
                    command.toArray(String[]::new),
                    OutputStream.nullOutputStream(),
                    OutputStream.nullOutputStream(),
                    InputStream.nullInputStream(),
                    env,
                    false);
            report.add(code + "  lambdaform " + String.join(" ", command));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        report.forEach(out::println);
    }
}
