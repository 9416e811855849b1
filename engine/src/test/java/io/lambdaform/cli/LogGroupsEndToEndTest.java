package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hello example with its function's log group declared, through the CLI: on moto applied, planned empty (the
 * calls counted, and hello alone makes no CloudWatch Logs call), a retention changed with the AWS CLI shown as drift
 * and reverted, destroyed with the group it made but not a group it does not own, which a plan declaring it reports
 * as a conflict; on the local cloud applied, planned empty, invoked with its logs read, and destroyed.
 */
class LogGroupsEndToEndTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "/aws/lambda/hello";
    private static final String LOG_GROUP = """
            kind: LogGroup
            name: /aws/lambda/hello
            spec:
              retentionInDays: 14
            """;

    @TempDir
    Path dir;

    private Path repo(String name, boolean withLogGroup) throws IOException {
        Path set = dir.resolve(name + "/hello");
        copy(HELLO, set);
        Files.createDirectories(dir.resolve(name + "/.git"));
        if (withLogGroup) {
            Files.writeString(set.resolve("log-group.yaml"), LOG_GROUP);
        }
        return set;
    }

    @Test
    void onMoto_aLogGroupWithItsRetention_appliesPlansEmpty_showsDriftAndRevertsIt_andDestroysOnlyItsOwn()
            throws Exception {
        URI endpoint = MotoServer.freshEndpoint();
        AwsCli aws = new AwsCli(endpoint);
        Path set = repo("repo", true);
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target =
                List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
        aws.run("logs", "create-log-group", "--log-group-name", "/someone/else");

        CliRunner.Result apply = cli.runOn(target, "apply", set.toString(), "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("create log group");
        JsonNode group = logGroup(aws, GROUP);
        assertThat(group.path("retentionInDays").asInt()).isEqualTo(14);
        assertThat(aws.json(
                                "logs",
                                "list-tags-for-resource",
                                "--resource-arn",
                                group.path("logGroupArn").asText())
                        .path("tags")
                        .path("lambdaform:stack")
                        .asText())
                .isEqualTo("hello");

        Map<String, Integer> calls = cli.runOn(target, "plan", set.toString(), "--debug", "--detailed-exitcode")
                .apiCalls();
        assertThat(calls)
                .as("the declared group: DescribeLogGroups and its tags; the inventory: DescribeLogGroups and the"
                        + " tags of the other groups")
                .containsEntry("CloudWatchLogs.DescribeLogGroups", 2)
                .containsEntry("CloudWatchLogs.ListTagsForResource", 2);

        aws.run("logs", "put-retention-policy", "--log-group-name", GROUP, "--retention-in-days", "1");
        CliRunner.Result drift = cli.runOn(target, "plan", set.toString());
        assertThat(drift.out())
                .contains("set retention policy")
                .contains("1 days")
                .contains("14 days");
        assertThat(cli.runOn(target, "apply", set.toString(), "--auto-approve").exitCode())
                .isZero();
        assertThat(logGroup(aws, GROUP).path("retentionInDays").asInt()).isEqualTo(14);
        assertThat(cli.runOn(target, "plan", set.toString(), "--detailed-exitcode")
                        .exitCode())
                .isZero();

        CliRunner.Result destroy = cli.runOn(target, "destroy", set.toString(), "--auto-approve");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("delete log group");
        assertThat(logGroup(aws, GROUP).isMissingNode()).isTrue();
        assertThat(logGroup(aws, "/someone/else").isMissingNode()).isFalse();

        Files.writeString(
                set.resolve("log-group.yaml"),
                LOG_GROUP + "---\nkind: LogGroup\nname: /someone/else\nspec:\n  retentionInDays: 7\n");
        CliRunner.Result conflict = cli.runOn(target, "plan", set.toString());
        assertThat(conflict.exitCode()).as(conflict.toString()).isNotZero();
        assertThat(conflict.out() + conflict.err()).contains("/someone/else");
    }

    @Test
    void onMoto_logs_readsTheGroupTheFunctionsLoggingConfigurationNames() throws Exception {
        URI endpoint = MotoServer.freshEndpoint();
        AwsCli aws = new AwsCli(endpoint);
        Path set = repo("custom", false);
        Path function = set.resolve("function.yaml");
        Files.writeString(
                function,
                Files.readString(function)
                        .replace("  timeout: 5\n", "  timeout: 5\n  loggingConfig:\n    logGroup: /custom/hello\n"));
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target =
                List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
        for (String group : List.of("/custom/hello", GROUP)) {
            aws.run("logs", "create-log-group", "--log-group-name", group);
            aws.run("logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "s");
            aws.run(
                    "logs",
                    "put-log-events",
                    "--log-group-name",
                    group,
                    "--log-stream-name",
                    "s",
                    "--log-events",
                    "timestamp=" + System.currentTimeMillis() + ",message=written to " + group);
        }

        CliRunner.Result logs = cli.runOn(target, "logs", set.toString(), "--since", "1h");

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out()).contains("written to /custom/hello").doesNotContain("written to " + GROUP);
    }

    @Test
    void onMoto_aStackWithoutLogGroups_makesNoCloudWatchLogsCall() throws Exception {
        URI endpoint = MotoServer.freshEndpoint();
        Path set = repo("plain", false);
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target =
                List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
        assertThat(cli.runOn(target, "apply", set.toString(), "--auto-approve").exitCode())
                .isZero();

        CliRunner.Result plan = cli.runOn(target, "plan", set.toString(), "--debug");
        Map<String, Integer> calls = plan.apiCalls();

        assertThat(calls.keySet()).noneMatch(k -> k.startsWith("CloudWatchLogs."));
        assertThat(calls.values().stream().mapToInt(Integer::intValue).sum())
                .as(
                        "the no-op plan of hello against moto, as before log groups (bench/README's 11, and the layers'"
                                + " ListLayers): %s",
                        calls)
                .isEqualTo(12);
    }

    @Test
    void onTheLocalCloud_aLogGroupIsKeptWithItsRetention_andGoesWithTheStack() throws Exception {
        Path set = repo("local", true);
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("create log group");
        assertThat(cli.run("plan", set.toString(), "--detailed-exitcode").exitCode())
                .isZero();
        Files.writeString(set.resolve("log-group.yaml"), LOG_GROUP.replace("14", "30"));
        CliRunner.Result changed = cli.run("plan", set.toString());
        assertThat(changed.out()).contains("set retention policy").contains("30 days");
        assertThat(cli.run("apply", set.toString(), "--auto-approve").exitCode())
                .isZero();
        assertThat(cli.run("invoke", set.toString()).exitCode()).isZero();
        CliRunner.Result logs = cli.run("logs", set.toString(), "hello");
        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out()).contains("greeting Ada Lovelace");

        CliRunner.Result destroy = cli.run("destroy", set.toString(), "--auto-approve");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("delete log group");
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("state.json"))
                    .toList()) {
                assertThat(Files.readString(file)).doesNotContain(GROUP);
            }
        }
    }

    private static JsonNode logGroup(AwsCli aws, String name) throws IOException, InterruptedException {
        for (JsonNode group : aws.json("logs", "describe-log-groups", "--log-group-name-prefix", name)
                .path("logGroups")) {
            if (group.path("logGroupName").asText().equals(name)) {
                return group;
            }
        }
        return JSON.missingNode();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
