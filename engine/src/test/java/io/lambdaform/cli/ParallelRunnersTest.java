package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.FaultProxy.Fault;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three stacks applied at once by three processes, as three CI runners would (issue #24), on moto through throttling
 * injected on a fifth of every Lambda and IAM request: each process backs off on its own (it shares no limiter with
 * the others), all converge with no failure, and a plan after is empty. The same three applied one after another
 * through the same faults give the serial time the parallel one is measured against ({@code [measure]} line).
 */
class ParallelRunnersTest {
    private static final List<String> STACKS = List.of("orders", "payments", "refunds");

    @TempDir
    Path dir;

    private Path stacks() throws IOException {
        Path repo = dir.resolve("gitops");
        Files.createDirectories(repo.resolve(".git"));
        for (String name : STACKS) {
            Path stack = repo.resolve("stacks/" + name);
            Files.createDirectories(stack.resolve("src"));
            Files.writeString(stack.resolve("src/app.py"), "def handler(event, context):\n    return '" + name + "'\n");
            StringBuilder manifests = new StringBuilder("""
                    kind: Stack
                    name: NAME
                    spec: {region: us-east-1}
                    ---
                    kind: Role
                    name: NAME-fn
                    """.replace("NAME", name));
            for (int i = 0; i < 4; i++) {
                manifests
                        .append("---\nkind: Function\nname: ")
                        .append(name)
                        .append("-")
                        .append(i)
                        .append("\nspec: {runtime: python3.12, handler: app.handler, code: src, role: ")
                        .append(name)
                        .append("-fn, memorySize: ")
                        .append(128 + i)
                        .append("}\n");
            }
            Files.writeString(stack.resolve("stack.yaml"), manifests.toString());
        }
        return repo;
    }

    private static Process apply(Path repo, String stack, URI endpoint, Path logs) throws IOException {
        return CliProcess.start(
                repo,
                Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "NO_COLOR", "1"),
                logs,
                "apply",
                "stacks/" + stack,
                "--auto-approve",
                "--target",
                "aws",
                "--endpoint-url",
                endpoint.toString(),
                "--region",
                "us-east-1");
    }

    private static FaultProxy throttling(URI moto) {
        return FaultProxy.to(moto)
                .seed(2024)
                .rate(Fault.THROTTLE, 0.2)
                .randomFaultsFor(op -> op.startsWith("lambda:") || op.startsWith("iam:"))
                .start();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeRunnersAtOnce_throughThrottling_allConverge_andAPlanAfterIsEmpty() throws Exception {
        Path repo = stacks();

        long serialMillis;
        try (FaultProxy proxy = throttling(MotoServer.freshEndpoint())) {
            long start = System.nanoTime();
            for (String stack : STACKS) {
                Process process = apply(repo, stack, proxy.endpoint(), dir.resolve("serial-" + stack));
                assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue())
                        .as(Files.readString(dir.resolve("serial-" + stack + "/err.txt")))
                        .isZero();
            }
            serialMillis = (System.nanoTime() - start) / 1_000_000;
        }

        try (FaultProxy proxy = throttling(MotoServer.freshEndpoint())) {
            long start = System.nanoTime();
            List<Process> runners = new ArrayList<>();
            for (String stack : STACKS) {
                runners.add(apply(repo, stack, proxy.endpoint(), dir.resolve("parallel-" + stack)));
            }
            List<Integer> codes = new ArrayList<>();
            for (Process runner : runners) {
                assertThat(runner.waitFor(3, TimeUnit.MINUTES)).isTrue();
                codes.add(runner.exitValue());
            }
            long parallelMillis = (System.nanoTime() - start) / 1_000_000;
            int throttled = proxy.injected().getOrDefault(Fault.THROTTLE, 0);
            CliRunner.Result plan = new CliRunner(dir.resolve("state"))
                    .runOn(
                            List.of(
                                    "--target",
                                    "aws",
                                    "--endpoint-url",
                                    proxy.endpoint().toString(),
                                    "--region",
                                    "us-east-1"),
                            "plan",
                            repo.resolve("stacks").toString(),
                            "--all",
                            "--detailed-exitcode");

            StringBuilder errors = new StringBuilder();
            for (String stack : STACKS) {
                errors.append(Files.readString(dir.resolve("parallel-" + stack + "/err.txt")));
            }
            assertThat(codes).as(errors.toString()).containsOnly(0);
            for (String stack : STACKS) {
                assertThat(Files.readString(dir.resolve("parallel-" + stack + "/out.txt")))
                        .contains("Apply complete: 5 created");
            }
            assertThat(throttled).as("throttles injected").isPositive();
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            System.out.println("[measure] 3 stacks (1 role + 4 functions each) through 20% throttling on moto:"
                    + " 3 processes at once " + parallelMillis + " ms (" + throttled + " throttled), one after"
                    + " another " + serialMillis + " ms");
        }
    }
}
