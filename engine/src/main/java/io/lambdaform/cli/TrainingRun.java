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
 * The training run of a release build: the commands users run most, in one JVM, so that the JVM records what they
 * load into the release's ahead-of-time cache ({@code -XX:AOTCacheOutput}) and no user run ever records anything.
 * Run by {@code engine/src/release/package.sh} on a copy of the hello example, against the local cloud in a folder of
 * its own and an AWS endpoint that answers nothing (which loads the SDK's clients without reaching any account):
 *
 * <pre>{@code java -XX:AOTCacheOutput=lambdaform.aot -cp lambdaform.jar io.lambdaform.cli.TrainingRun SET WORK}</pre>
 */
public final class TrainingRun {
    private TrainingRun() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: TrainingRun MANIFEST_FOLDER WORK_FOLDER");
            System.exit(2);
        }
        Main.configureGuice();
        String set = args[0];
        Path work = Path.of(args[1]);
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
        List<List<String>> commands = List.of(
                List.of("--version"),
                List.of("--help"),
                List.of("validate", set),
                List.of("plan", set, "--state-dir", state),
                List.of("apply", set, "--state-dir", state, "--auto-approve"),
                List.of("invoke", set, "--state-dir", state),
                List.of("plan", set, "--state-dir", state, "--format", "markdown"),
                List.of("logs", set, "--state-dir", state),
                List.of("destroy", set, "--state-dir", state, "--auto-approve"),
                List.of("plan", set, "--target", "aws", "--endpoint-url", nowhere),
                List.of("validate", work.resolve("missing").toString()));
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
