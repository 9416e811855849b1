package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM (what CI runners and Ctrl-C's cousin send) while the CLI works: nothing left running, locks released. */
class SignalsTest {
    private static final boolean UNIX =
            !System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");

    /** Writes its pid, starts a daemon (fork, setsid, fork; it ignores SIGTERM) that writes its own, then sleeps. */
    private static final String SLEEPY = String.join(
            "\n",
            "import os, signal, time",
            "def handler(event, context):",
            "    if os.fork() == 0:",
            "        os.setsid()",
            "        if os.fork() == 0:",
            "            signal.signal(signal.SIGTERM, signal.SIG_IGN)",
            "            with open(event['daemon'] + '.tmp', 'w') as f:",
            "                f.write(str(os.getpid()))",
            "            os.rename(event['daemon'] + '.tmp', event['daemon'])",
            "            while True:",
            "                time.sleep(0.2)",
            "        os._exit(0)",
            "    with open(event['handler'] + '.tmp', 'w') as f:",
            "        f.write(str(os.getpid()))",
            "    os.rename(event['handler'] + '.tmp', event['handler'])",
            "    time.sleep(120)",
            "    return 'woke up'",
            "");

    @TempDir
    Path dir;

    private Path manifests;
    private Path state;

    @BeforeEach
    void deploy() {
        assumeThat(UNIX).as("signals are a Unix matter").isTrue();
        manifests = dir.resolve("app");
        state = dir.resolve("state");
        write(manifests, "stack.yaml", "kind: Stack\nname: sig\nspec:\n  region: eu-west-1\n");
        write(
                manifests,
                "fn.yaml",
                "kind: Role\nname: sig-role\nspec: {}\n---\nkind: Function\nname: sleepy\nspec:\n"
                        + "  runtime: python3.12\n  handler: app.handler\n  code: src\n  role: sig-role\n"
                        + "  timeout: 300\n");
        write(manifests, "src/app.py", SLEEPY);
        CliRunner.Result apply = new CliRunner(state).run("apply", manifests.toString(), "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
    }

    @Test
    void sigtermDuringALocalInvoke_endsTheHandlerAndItsDaemon_andSaysSo() throws Exception {
        Path handlerPid = dir.resolve("handler.pid");
        Path daemonPid = dir.resolve("daemon.pid");
        Path logs = dir.resolve("logs");
        String event = "{\"handler\":\"" + handlerPid + "\",\"daemon\":\"" + daemonPid + "\"}";
        Process cli = CliProcess.start(
                dir,
                environment(),
                logs,
                "invoke",
                manifests.toString(),
                "sleepy",
                "--event",
                event,
                "--state-dir",
                state.toString());
        waitFor(() -> Files.exists(handlerPid) && Files.exists(daemonPid), Duration.ofSeconds(60), logs);
        long handler = Long.parseLong(Files.readString(handlerPid).strip());
        long daemon = Long.parseLong(Files.readString(daemonPid).strip());

        cli.destroy();

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        waitFor(() -> gone(handler) && gone(daemon), Duration.ofSeconds(10), logs);
        assertThat(cli.exitValue()).isEqualTo(143);
        assertThat(Files.readString(logs.resolve("err.txt"), StandardCharsets.UTF_8))
                .contains("SIGTERM received", "the invocation of sleepy was ended", "stopped by SIGTERM");
    }

    @Test
    void sigtermDuringPayloadRuns_saysWhichRanAndWhichDidNot() throws Exception {
        Path handlerPid = dir.resolve("handler.pid");
        Path daemonPid = dir.resolve("daemon.pid");
        String event = "{handler: \"" + handlerPid + "\", daemon: \"" + daemonPid + "\"}";
        write(
                manifests,
                "payloads.yaml",
                "kind: Payload\nname: first\nspec:\n  function: sleepy\n  event: " + event + "\n---\n"
                        + "kind: Payload\nname: second\nspec:\n  function: sleepy\n  event: " + event + "\n");
        Path logs = dir.resolve("logs");
        Process cli = CliProcess.start(
                dir, environment(), logs, "invoke", manifests.toString(), "--state-dir", state.toString());
        waitFor(() -> Files.exists(handlerPid) && Files.exists(daemonPid), Duration.ofSeconds(60), logs);

        cli.destroy();

        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue()).isEqualTo(143);
        assertThat(Files.readString(logs.resolve("err.txt")))
                .contains("stopped by SIGTERM", "Ran 0 of 2 payload(s); not run: first, second");
    }

    @Test
    void sigtermDuringApply_startsNothingNew_saysWhatWasDone_andTheNextApplyCompletesTheRest() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            many.append("---\nkind: Function\nname: f")
                    .append(i)
                    .append("\nspec:\n  runtime: python3.12\n")
                    .append("  handler: app.handler\n  code: src\n  role: sig-role\n");
        }
        write(manifests, "many.yaml", many.toString());
        Path logs = dir.resolve("logs");
        Process cli = CliProcess.start(
                dir,
                environment(),
                logs,
                "apply",
                manifests.toString(),
                "--auto-approve",
                "--parallelism",
                "1",
                "--state-dir",
                state.toString());
        waitFor(
                () -> {
                    try {
                        return Files.readString(logs.resolve("out.txt")).contains("create function ... done");
                    } catch (IOException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(60),
                logs);

        cli.destroy();

        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(logs.resolve("out.txt"));
        assertThat(cli.exitValue()).as(out).isEqualTo(143);
        assertThat(out)
                .containsPattern("Apply stopped by SIGTERM: \\d+ of 300 operation\\(s\\) done, 0 failed,"
                        + " [1-9]\\d* not started")
                .contains("  done:        ", "  not started: ", "run apply again");
        CliRunner.Result rest = new CliRunner(state).run("apply", manifests.toString(), "--auto-approve");
        assertThat(rest.exitCode()).as(rest.toString()).isZero();
        assertThat(new CliRunner(state)
                        .run("plan", manifests.toString(), "--detailed-exitcode")
                        .exitCode())
                .isZero();
    }

    @Test
    void sigtermEndsLogsFollow_asItsNormalEnd() throws Exception {
        Path logs = dir.resolve("logs");
        Process cli = CliProcess.start(
                dir, environment(), logs, "logs", manifests.toString(), "--follow", "--state-dir", state.toString());
        Thread.sleep(4_000);

        cli.destroy();

        assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(cli.exitValue())
                .as(Files.readString(logs.resolve("err.txt")))
                .isZero();
    }

    /** The LAMBDAFORM_ settings of this run (CliProcess passes PATH, HOME and pyenv's variables itself). */
    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("LAMBDAFORM_")) {
                env.put(name, value);
            }
        });
        return env;
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    private static void waitFor(BooleanSupplier condition, Duration limit, Path logs) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + limit + "; CLI stderr:\n"
                        + (Files.exists(logs.resolve("err.txt")) ? Files.readString(logs.resolve("err.txt")) : ""));
            }
            Thread.sleep(50);
        }
    }
}
