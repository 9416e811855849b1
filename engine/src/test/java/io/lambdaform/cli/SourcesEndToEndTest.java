package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.ContractTargets;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.bucket.Buckets;
import io.lambdaform.kinds.queue.Queues;
import io.lambdaform.kinds.topic.Topics;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stack of sources alone (a bucket, a queue and a topic, as a stack with triggers declares them in an empty account)
 * through the CLI, on the local cloud and on moto: applied, planned empty afterwards, a queue's attribute changed in
 * place, and destroyed.
 */
class SourcesEndToEndTest {
    private static final String SOURCES = """
            kind: Bucket
            name: uploads-e2e-000000000000
            spec:
              tags: {team: data}
            ---
            kind: Queue
            name: jobs
            spec:
              visibilityTimeout: 2m
              messageRetention: 1d
            ---
            kind: Queue
            name: jobs.fifo
            ---
            kind: Topic
            name: events
            """;

    @TempDir
    Path dir;

    private Path set;
    private CliRunner cli;
    private List<String> target;
    private Supplier<TestTarget<?>> outOfBand;

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    private void on(String kind) throws IOException {
        set = dir.resolve("repo/sources");
        TestFiles.write(set, "stack.yaml", "kind: Stack\nname: sources\nspec:\n  region: eu-west-1\n");
        TestFiles.write(set, "sources.yaml", SOURCES);
        Files.createDirectories(dir.resolve("repo/.git"));
        cli = new CliRunner(dir.resolve("state"));
        if (kind.equals(ContractTargets.LOCAL)) {
            target = List.of();
            outOfBand = () -> TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "eu-west-1")));
        } else {
            URI endpoint = MotoServer.freshEndpoint();
            target = List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "eu-west-1");
            outOfBand = () -> ContractTargets.aws(endpoint, "eu-west-1", ProgressListener.NONE);
        }
    }

    private CliRunner.Result run(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, set.toString()));
        args.addAll(target);
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aStackOfSources_isApplied_plannedEmptyAfterwards_changedInPlace_andDestroyed(String kind) throws IOException {
        on(kind);

        CliRunner.Result apply = run("apply", "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains("create bucket", "create queue", "create FIFO queue", "create topic")
                .contains("visibilityTimeout", "2m");
        TestTarget<?> live = outOfBand.get();
        Buckets.State bucket =
                live.ports().get(Buckets.class).find("uploads-e2e-000000000000").orElseThrow();
        assertThat(bucket.tags()).containsEntry(Stack.OWNER_TAG, "sources").containsEntry("team", "data");
        Queues.State jobs = live.ports().get(Queues.class).find("jobs").orElseThrow();
        assertThat(jobs.visibilityTimeoutSeconds()).isEqualTo(120);
        assertThat(jobs.messageRetentionSeconds()).isEqualTo(86_400);
        assertThat(live.ports()
                        .get(Queues.class)
                        .find("jobs.fifo")
                        .orElseThrow()
                        .visibilityTimeoutSeconds())
                .isEqualTo(30);
        assertThat(live.ports().get(Topics.class).find("events").orElseThrow().tags())
                .containsEntry(Stack.OWNER_TAG, "sources");

        CliRunner.Result plan = run("plan", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.OK);
        assertThat(plan.out()).contains("No changes.");

        Files.writeString(
                set.resolve("sources.yaml"),
                Files.readString(set.resolve("sources.yaml"))
                        .replace("visibilityTimeout: 2m", "visibilityTimeout: 5m"));
        CliRunner.Result change = run("apply", "--auto-approve");
        assertThat(change.exitCode()).as(change.toString()).isZero();
        assertThat(change.out())
                .contains("visibilityTimeout = 2m -> 5m", "Plan: 0 to create, 1 to update, 0 to delete.");
        assertThat(outOfBand
                        .get()
                        .ports()
                        .get(Queues.class)
                        .find("jobs")
                        .orElseThrow()
                        .visibilityTimeoutSeconds())
                .isEqualTo(300);

        CliRunner.Result destroy = run("destroy", "--auto-approve");

        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("delete bucket", "delete queue", "delete topic");
        TestTarget<?> after = outOfBand.get();
        assertThat(after.ports().get(Buckets.class).find("uploads-e2e-000000000000"))
                .isEmpty();
        assertThat(after.ports().get(Queues.class).find("jobs")).isEmpty();
        assertThat(after.ports().get(Queues.class).find("jobs.fifo")).isEmpty();
        assertThat(after.ports().get(Topics.class).find("events")).isEmpty();
        assertThat(run("plan").out()).contains("create bucket");
    }

    @Test
    void validate_reportsSourcesThatBreakAwssRules_atTheirLines() throws IOException {
        on(ContractTargets.LOCAL);
        TestFiles.write(set, "sources.yaml", """
                kind: Bucket
                name: Uploads_Bucket
                ---
                kind: Queue
                name: jobs
                spec:
                  visibilityTimeout: 13h
                ---
                kind: Topic
                name: has.dots
                """);

        CliRunner.Result validate = cli.run("validate", set.toString());

        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(validate.out() + validate.err())
                .contains("sources.yaml:2:")
                .contains("sources.yaml:7:")
                .contains("'spec.visibilityTimeout' is 13h, expected 0s to 12h")
                .contains("sources.yaml:10:");
    }
}
