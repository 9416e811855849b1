package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lambdaform logs} on the embedded local cloud: the hello example applied, invoked, and its logs read. */
class LogsCommandTest {
    private static final String HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize().toString();
    private static final Pattern START = Pattern.compile("START RequestId: (\\S+)");
    private static final Pattern TEXT_LINE =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z hello  .*");

    @TempDir
    Path dir;

    private CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        CliRunner.Result apply = cli.run("apply", HELLO, "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
    }

    /** Invokes the greet payload; returns the request id of the invocation. */
    private String invoke() {
        CliRunner.Result invoke = cli.run("invoke", HELLO);
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        Matcher m = START.matcher(invoke.out());
        assertThat(m.find()).as(invoke.out()).isTrue();
        return m.group(1);
    }

    private CliRunner.Result logs(String... options) {
        List<String> args = new ArrayList<>(List.of("logs", HELLO));
        args.addAll(List.of(options));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void logs_showTheLinesOfAnInvocation_betweenItsStartAndReport_oneTimestampedLineEach() {
        String requestId = invoke();

        CliRunner.Result logs = logs();

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out().lines().filter(l -> l.contains("INIT_START Runtime Version: python3.12")))
                .as("each command's first invocation is a cold start, as Lambda logs it")
                .hasSize(1);
        List<String> lines = invocationLines(logs.out());
        assertThat(lines).hasSize(4).allMatch(l -> TEXT_LINE.matcher(l).matches(), "time, function, message");
        assertThat(lines.get(0)).endsWith("hello  START RequestId: " + requestId + " Version: $LATEST");
        assertThat(lines.get(1)).endsWith("hello  greeting Ada Lovelace (request " + requestId + ")");
        assertThat(lines.get(2)).endsWith("hello  END RequestId: " + requestId);
        assertThat(lines.get(3)).contains("hello  REPORT RequestId: " + requestId + "\tDuration: ");
        assertThat(logs.out()).doesNotContain("\u001b[");
        assertThat(logs.err()).isEmpty();
    }

    @Test
    void filter_narrowsToTheMatchingLines() {
        invoke();
        invoke();

        CliRunner.Result greetings = logs("--filter", "greeting Lovelace");
        CliRunner.Result boundaries = logs("--filter", "RequestId -REPORT");
        CliRunner.Result anyOf = logs("--filter", "?START ?END");
        CliRunner.Result phrase = logs("--filter", "\"Lovelace greeting\"");

        assertThat(greetings.exitCode()).as(greetings.toString()).isZero();
        assertThat(greetings.out().lines()).hasSize(2).allMatch(l -> l.contains("greeting Ada Lovelace"));
        assertThat(boundaries.out().lines())
                .hasSize(4)
                .allMatch(l -> l.contains("START RequestId") || l.contains("END RequestId"));
        assertThat(invocationLines(anyOf.out())).hasSize(4);
        assertThat(phrase.out()).isEmpty();
    }

    @Test
    void filter_withAJsonPattern_isRefusedLocally_namingAws() {
        invoke();

        CliRunner.Result logs = logs("--filter", "{ $.level = \"ERROR\" }");

        assertThat(logs.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(logs.err().lines())
                .singleElement()
                .asString()
                .startsWith("error: --filter")
                .contains("JSON filter patterns", "supported on AWS only");
        assertThat(logs.out()).isEmpty();
    }

    @Test
    void formatJson_isOneJsonObjectPerLine() throws IOException {
        String requestId = invoke();

        CliRunner.Result logs = logs("--format", "json");

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : logs.out().lines().toList()) {
            JsonNode event = new ObjectMapper().readTree(line);
            if (!coldStart(event.get("message").asText())) {
                events.add(event);
            }
        }
        assertThat(events).hasSize(4);
        JsonNode start = events.get(0);
        assertThat(start.fieldNames()).toIterable().containsExactly("function", "timestamp", "logStream", "message");
        assertThat(start.get("function").asText()).isEqualTo("hello");
        assertThat(start.get("logStream").asText()).isEmpty();
        assertThat(start.get("message").asText()).isEqualTo("START RequestId: " + requestId + " Version: $LATEST");
        assertThat(Instant.parse(start.get("timestamp").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(events.get(3).get("message").asText()).startsWith("REPORT RequestId: " + requestId + "\t");
    }

    @Test
    void since_leavesOutOlderInvocations() throws InterruptedException {
        String older = invoke();
        Instant between = Instant.now();
        Thread.sleep(50);
        String newer = invoke();

        CliRunner.Result recent = logs("--since", between.toString());
        CliRunner.Result both = logs("--since", "1h");

        assertThat(recent.exitCode()).as(recent.toString()).isZero();
        assertThat(recent.out()).contains(newer).doesNotContain(older);
        assertThat(both.out()).contains(newer, older);
        assertThat(logs("--since", "2099-01-01T00:00:00Z").out()).isEmpty();
    }

    @Test
    void aFunctionNeverInvoked_printsNothing_andExitsZero() {
        CliRunner.Result logs = logs();

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out()).isEmpty();
        assertThat(logs.err()).isEmpty();
    }

    @Test
    void anUnknownFunction_isAnError_withASuggestion() {
        CliRunner.Result logs = logs("helo");

        assertThat(logs.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(logs.err().strip())
                .isEqualTo("error: 'helo' is neither a manifest file or folder nor a Function of stack hello;"
                        + " did you mean 'hello'?");
    }

    @Test
    void aNamedFunction_isPrinted() {
        String requestId = invoke();

        assertThat(logs("hello").out()).contains("START RequestId: " + requestId);
    }

    @Test
    void aBadSince_isOneClearError() {
        CliRunner.Result logs = logs("--since", "yesterday");

        assertThat(logs.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(logs.err().lines())
                .containsExactly("error: --since 'yesterday' is neither a duration (30s, 10m, 2h, 1d) nor an"
                        + " ISO-8601 instant (2026-11-28T16:00:00Z)");
    }

    @Test
    void onATerminal_theRequestBoundariesAreColored_unlessNoColor() {
        invoke();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("NO_COLOR");
        String[] args = {"logs", HELLO, "--state-dir", dir.resolve("state").toString()};

        String colored = run(env, true, args);
        String plain = run(
                env, true, "logs", HELLO, "--state-dir", dir.resolve("state").toString(), "--no-color");

        assertThat(colored)
                .contains("hello  \u001b[36mSTART RequestId: ", "hello  \u001b[36mREPORT RequestId: ")
                .containsPattern("hello  greeting Ada Lovelace");
        assertThat(plain).doesNotContain("\u001b[").contains("hello  START RequestId: ");
    }

    private static String run(Map<String, String> env, boolean interactive, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(args, out, new ByteArrayOutputStream(), InputStream.nullInputStream(), env, interactive);
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void follow_printsTheInvocationsThatComeLater_eachLineOnce_untilInterrupted() throws Exception {
        String before = invoke();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follower = new Thread(() -> exit.set(Main.run(
                new String[] {
                    "logs",
                    HELLO,
                    "--follow",
                    "--poll-interval",
                    "100ms",
                    "--state-dir",
                    dir.resolve("state").toString()
                },
                out,
                err)));
        follower.start();
        try {
            awaitOutput(out, before);
            String later = invoke();
            String third = invoke();
            awaitOutput(out, third);
            Thread.sleep(300); // a few more polls, which must not print anything again

            follower.interrupt();
            follower.join(10_000);

            assertThat(follower.isAlive()).isFalse();
            assertThat(exit.get()).as(err.toString(StandardCharsets.UTF_8)).isZero();
            String printed = out.toString(StandardCharsets.UTF_8);
            for (String requestId : List.of(before, later, third)) {
                assertThat(printed.lines().filter(l -> l.contains("START RequestId: " + requestId)))
                        .hasSize(1);
            }
            assertThat(invocationLines(printed))
                    .hasSize(12)
                    .allMatch(l -> TEXT_LINE.matcher(l).matches());
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
    }

    /** The lines of the invocations, without the lines of a cold start (INIT_START, and a word on the runtime). */
    private static List<String> invocationLines(String out) {
        return out.lines().filter(l -> !coldStart(l)).toList();
    }

    private static boolean coldStart(String line) {
        return line.contains("INIT_START ") || line.contains("[lambdaform] ");
    }

    private static void awaitOutput(ByteArrayOutputStream out, String text) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            assertThat(Instant.now()).as("waiting for %s in: %s", text, out).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void destroy_removesTheFunctionsLogs() {
        invoke();
        assertThat(dir.resolve("state/logs/hello.jsonl")).exists();

        assertThat(cli.run("destroy", HELLO, "--auto-approve").exitCode()).isZero();

        assertThat(dir.resolve("state/logs/hello.jsonl")).doesNotExist();
        assertThat(logs().out()).isEmpty();
    }

    @Test
    void aSecretThatAHandlerPrinted_isMasked() {
        Path app = TestFiles.helloSet(dir.resolve("app"));
        TestFiles.write(
                app,
                "src/app.py",
                "import os\n\ndef handler(event, context):\n    print('token is ' + os.environ['TOKEN'])\n"
                        + "    return {'hello': event['name']}\n");
        assertThat(cli.run("apply", app.toString(), "--auto-approve").exitCode())
                .isZero();
        cli.run("invoke", app.toString());

        CliRunner.Result text = cli.run("logs", app.toString());
        CliRunner.Result json = cli.run("logs", app.toString(), "--format", "json");

        assertThat(text.out()).contains("app  token is (sensitive)").doesNotContain("hunter2");
        assertThat(json.out()).contains("token is (sensitive)").doesNotContain("hunter2");
    }

    @Test
    void sinceValues_durationsAndInstants() {
        Instant now = Instant.parse("2026-11-28T16:00:00Z");

        assertThat(LogsCommand.since("30s", now)).isEqualTo(now.minusSeconds(30));
        assertThat(LogsCommand.since("10m", now)).isEqualTo(now.minusSeconds(600));
        assertThat(LogsCommand.since("2h", now)).isEqualTo(now.minusSeconds(7200));
        assertThat(LogsCommand.since("1d", now)).isEqualTo(now.minus(Duration.ofDays(1)));
        assertThat(LogsCommand.since("PT90S", now)).isEqualTo(now.minusSeconds(90));
        assertThat(LogsCommand.since("2026-11-28T15:00:00.250Z", now))
                .isEqualTo(Instant.parse("2026-11-28T15:00:00.250Z"));
        assertThat(LogsCommand.since("2026-11-28T17:00:00+02:00", now))
                .isEqualTo(Instant.parse("2026-11-28T15:00:00Z"));
        for (String bad : List.of("", "10", "-5m", "10 minutes", "5y", "2026-11-28")) {
            assertThatThrownBy(() -> LogsCommand.since(bad, now))
                    .as(bad)
                    .isInstanceOf(LambdaformException.class)
                    .hasMessageContaining("neither a duration");
        }
        assertThat(LogsCommand.interval("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> LogsCommand.interval("0s")).hasMessageContaining("not a positive duration");
    }
}
