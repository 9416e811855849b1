package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the CLI in-process against a state folder, as a non-interactive user would. */
final class CliRunner {
    /** The commands that take --state-dir. */
    private static final Set<String> TARGET_COMMANDS =
            Set.of("plan", "apply", "destroy", "invoke", "force-unlock", "logs", "import", "rollback", "status");

    private final Path stateDir;

    CliRunner(Path stateDir) {
        this.stateDir = stateDir;
    }

    Result run(String... args) {
        return run(machineEnvironment(), args);
    }

    /** Runs with {@code stdin} as standard input. */
    Result runWithInput(String stdin, String... args) {
        return run(machineEnvironment(), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    /**
     * The JVM's environment without AWS_PROFILE: a named profile is used alone, so a developer's would send their
     * real credentials to the emulator instead of the test's.
     */
    private static Map<String, String> machineEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("AWS_PROFILE");
        return env;
    }

    /** Runs {@code command} with its arguments, then the target's options ({@code --target aws --endpoint-url …}). */
    Result runOn(List<String> target, String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(args));
        all.addAll(target);
        return run(all.toArray(String[]::new));
    }

    /** Runs with this process environment instead of the JVM's. */
    Result run(Map<String, String> env, String... args) {
        return run(env, InputStream.nullInputStream(), args);
    }

    private Result run(Map<String, String> env, InputStream stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.size() > 0
                && TARGET_COMMANDS.contains(all.get(0))
                && !all.contains("--help")
                && !all.contains("--version")) {
            all.add("--state-dir");
            all.add(stateDir.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), out, err, stdin, env, false);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String out, String err) {
        /** The AWS API calls by operation, from the usage line {@code --debug} prints ("AWS API calls: N {Op=n, …}"). */
        Map<String, Integer> apiCalls() {
            Matcher line = Pattern.compile("AWS API calls: \\d+ \\{([^}]*)}").matcher(err);
            assertThat(line.find()).as(toString()).isTrue();
            Map<String, Integer> calls = new HashMap<>();
            for (String entry : line.group(1).split(", ")) {
                String[] kv = entry.split("=");
                calls.put(kv[0], Integer.valueOf(kv[1]));
            }
            return calls;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
