package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.kinds.Kinds;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that is not there: a refused connection ends the command with one line after at most two attempts of a
 * call, instead of ten attempts of every call and a retry line each.
 */
class AwsUnreachableTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();
    private static final Pattern CALLS = Pattern.compile("AWS API calls: (\\d+)");

    @TempDir
    Path dir;

    private CliRunner cli;
    private String closed;

    @BeforeEach
    void setUp() throws IOException {
        AwsTestSupport.init();
        cli = new CliRunner(dir.resolve("state"));
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private CliRunner.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--target", "aws", "--endpoint-url", closed, "--region", "us-east-1"));
        return cli.run(Map.of("AWS_CONFIG_FILE", dir.resolve("none").toString()), all.toArray(String[]::new));
    }

    /** The requests per call that {@code --debug} lists after the total. */
    private static Map<String, Integer> callsPerOperation(CliRunner.Result result) {
        Matcher m = Pattern.compile("AWS API calls: \\d+ \\{([^}]*)}").matcher(result.err());
        assertThat(m.find()).as(result.toString()).isTrue();
        Map<String, Integer> calls = new TreeMap<>();
        for (String entry : m.group(1).split(", ")) {
            String[] parts = entry.split("=");
            calls.put(parts[0], Integer.parseInt(parts[1]));
        }
        return calls;
    }

    private static int calls(CliRunner.Result result) {
        Matcher m = CALLS.matcher(result.err());
        assertThat(m.find()).as(result.toString()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void logs_againstAClosedPort_isOneLine() {
        CliRunner.Result logs = run("logs", HELLO.toString());

        assertThat(logs.exitCode()).as(logs.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(logs.err().lines().toList())
                .as(logs.toString())
                .containsExactly("error: cannot reach " + closed
                        + " (connection refused): is the endpoint running? Check" + " --endpoint-url");
    }

    @Test
    void plan_againstAClosedPort_endsWithOneLine_andNoCallIsTriedMoreThanTwice() {
        CliRunner.Result plan = run("plan", HELLO.toString());

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.out()).isEmpty();
        assertThat(plan.err()).doesNotContain("retrying");
        assertThat(plan.err().lines().filter(l -> l.startsWith("error:")).toList())
                .containsExactly("error: cannot reach " + closed
                        + " (connection refused): is the endpoint running? Check --endpoint-url");
        // A plan of hello starts its reads at once (identity, the role, the function, and an inventory per kind): two
        // attempts each at most, where ten attempts of each cost some 60 requests and 30 s.
        int reads = 3 + Kinds.ALL.size();
        assertThat(calls(plan)).isBetween(2, 2 * reads);
    }

    @Test
    void plan_againstAClosedPort_triesNoCallMoreThanTwice() {
        CliRunner.Result plan = run("plan", HELLO.toString(), "--debug");

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        Map<String, Integer> calls = callsPerOperation(plan);
        // The identity is asked for first and waited for: its failure, after two attempts, ends the plan.
        assertThat(calls).containsEntry("Sts.GetCallerIdentity", 2);
        assertThat(calls.values()).allMatch(attempts -> attempts <= 2);
    }
}
