package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lambdaform logs --target aws} against moto's CloudWatch Logs, whose log group and events are written by the
 * AWS CLI, as Lambda would write them: one event per line printed, several streams.
 */
class AwsLogsEndToEndTest {
    private static final String HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize().toString();
    private static final String GROUP = "/aws/lambda/hello";

    @TempDir
    Path dir;

    private String endpoint;
    private CliRunner cli;

    @BeforeEach
    void setUp() {
        endpoint = MotoServer.freshEndpoint().toString();
        cli = new CliRunner(dir.resolve("state"));
        Assumptions.assumeTrue(awsCliWorks(), "the AWS CLI ('aws') is not on PATH: AWS logs tests skipped");
    }

    private static boolean awsCliWorks() {
        try {
            Process process = new ProcessBuilder("aws", "--version")
                    .redirectErrorStream(true)
                    .start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code aws logs ARGS} against moto, with test credentials and nothing from the developer's files. */
    private void awsLogs(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "logs"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint, "--region", "us-east-1"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    }

    private void createStream(String stream) throws IOException, InterruptedException {
        awsLogs("create-log-stream", "--log-group-name", GROUP, "--log-stream-name", stream);
    }

    /** Puts events, each {@code {millis before now, message}}, into a stream of the hello function's group. */
    private void put(String stream, long now, Object... agoAndMessage) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        var events = json.createArrayNode();
        for (int i = 0; i < agoAndMessage.length; i += 2) {
            events.addObject()
                    .put("timestamp", now - ((Number) agoAndMessage[i]).longValue())
                    .put("message", (String) agoAndMessage[i + 1]);
        }
        awsLogs(
                "put-log-events",
                "--log-group-name",
                GROUP,
                "--log-stream-name",
                stream,
                "--log-events",
                json.writeValueAsString(events));
    }

    private List<String> aws(String... extra) {
        List<String> args = new ArrayList<>(
                List.of("logs", HELLO, "--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1"));
        args.addAll(List.of(extra));
        return args;
    }

    private CliRunner.Result logs(String... extra) {
        return cli.run(aws(extra).toArray(String[]::new));
    }

    @Test
    void logs_printTheGroupsEvents_ofEveryStream_inTimestampOrder_oneLineEach() throws Exception {
        awsLogs("create-log-group", "--log-group-name", GROUP);
        createStream("2026/11/28/[$LATEST]aaa");
        createStream("2026/11/28/[$LATEST]bbb");
        long now = System.currentTimeMillis();
        put(
                "2026/11/28/[$LATEST]aaa",
                now,
                60_000,
                "START RequestId: r1 Version: $LATEST\n",
                59_000,
                "greeting Ada Lovelace (request r1)\n",
                58_000,
                "END RequestId: r1\n");
        put(
                "2026/11/28/[$LATEST]bbb",
                now,
                30 * 60_000,
                "too old for the default 10 minutes\n",
                59_500,
                "[ERROR] Traceback (most recent call last):\n  File \"hello_handler.py\", line 6\n");

        CliRunner.Result logs = logs();

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out().lines().map(l -> l.substring(25)))
                .containsExactly(
                        "hello  START RequestId: r1 Version: $LATEST",
                        "hello  [ERROR] Traceback (most recent call last):",
                        "hello    File \"hello_handler.py\", line 6",
                        "hello  greeting Ada Lovelace (request r1)",
                        "hello  END RequestId: r1");
        assertThat(logs.out().lines())
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z .*"));
        assertThat(logs.err()).contains("AWS API calls: 1");

        CliRunner.Result older = logs("--since", "1h", "--filter", "old");
        assertThat(older.out().lines())
                .singleElement()
                .asString()
                .endsWith("hello  too old for the default 10 minutes");

        CliRunner.Result json = logs("--format", "json", "--filter", "greeting");
        JsonNode line = new ObjectMapper().readTree(json.out().strip());
        assertThat(line.get("function").asText()).isEqualTo("hello");
        assertThat(line.get("logStream").asText()).isEqualTo("2026/11/28/[$LATEST]aaa");
        assertThat(line.get("message").asText()).isEqualTo("greeting Ada Lovelace (request r1)");
        assertThat(Instant.parse(line.get("timestamp").asText()))
                .isBetween(Instant.now().minusSeconds(120), Instant.now());
    }

    @Test
    void aMissingLogGroup_isOneNotice_andExitZero() {
        CliRunner.Result logs = logs();

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out()).isEmpty();
        assertThat(logs.err().lines().filter(l -> !l.startsWith("AWS API calls")))
                .containsExactly("no logs yet for hello (log group /aws/lambda/hello does not exist)");
    }

    @Test
    void follow_printsEventsPutAfterItStarted_onceEach_andWaitsForAGroupThatDoesNotExistYet() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        List<String> args = aws(
                "--follow",
                "--poll-interval",
                "200ms",
                "--state-dir",
                dir.resolve("state").toString());
        Thread follower = new Thread(() -> exit.set(Main.run(args.toArray(String[]::new), out, err)));
        follower.start();
        try {
            await(err, "no logs yet for hello (log group /aws/lambda/hello does not exist); waiting for it");
            awsLogs("create-log-group", "--log-group-name", GROUP);
            createStream("s1");
            put("s1", System.currentTimeMillis(), 2_000, "first event\n");
            await(out, "first event");
            put("s1", System.currentTimeMillis(), 1_000, "second event\n", 0, "third event\n");
            await(out, "third event");
            Thread.sleep(1_000); // several polls, each of which reads the last events again

            follower.interrupt();
            follower.join(30_000);

            assertThat(follower.isAlive()).isFalse();
            assertThat(exit.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8).lines().map(l -> l.substring(25)))
                    .containsExactly("hello  first event", "hello  second event", "hello  third event");
        } finally {
            follower.interrupt();
            follower.join(30_000);
        }
    }

    private static void await(ByteArrayOutputStream stream, String text) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!stream.toString(StandardCharsets.UTF_8).contains(text)) {
            assertThat(Instant.now()).as("waiting for %s in: %s", text, stream).isBefore(deadline);
            Thread.sleep(50);
        }
    }
}
