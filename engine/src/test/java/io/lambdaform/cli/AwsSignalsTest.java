package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** SIGTERM during an apply on AWS (moto): the stack's DynamoDB lock is released, the next run needs no force-unlock. */
class AwsSignalsTest {
    private static final String TABLE = "lambdaform-locks";

    @TempDir
    Path dir;

    @Test
    void sigtermDuringApply_releasesTheDynamoDbLock_andTheNextApplyCompletesTheRest() throws Exception {
        Started run = startApply();

        run.cli().destroy();

        assertThat(run.cli().waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = read(run.logs().resolve("out.txt"));
        assertThat(run.cli().exitValue()).as(out).isEqualTo(143);
        assertThat(out).contains("Apply stopped by SIGTERM", "not started");
        assertLockReleased(run.endpoint());
        CliRunner.Result rest = CliProcess.run(dir, ENV, run.apply());
        assertThat(rest.exitCode()).as(rest.toString()).isZero();
        assertThat(rest.out()).contains("Apply complete");
    }

    @Test
    void sigintThenSigterm_asCiRunnersSendThem_stopsAtOnce_andStillReleasesTheLock() throws Exception {
        Started run = startApply();

        signal("INT", run.cli().pid());
        signal("TERM", run.cli().pid());

        // The second signal may come while the first still stops apply in order (exit 143, at once) or just after
        // it did (130): either way the lock is released.
        assertThat(run.cli().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.cli().exitValue()).isIn(130, 143);
        // The JVM handles each signal on a thread of its own: which one it sees first is not ours to choose.
        assertThat(read(run.logs().resolve("err.txt"))).containsPattern("SIG(INT|TERM) received");
        assertLockReleased(
                run.endpoint(),
                read(run.logs().resolve("err.txt")) + read(run.logs().resolve("out.txt")));
    }

    private static final Map<String, String> ENV =
            Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1");

    private record Started(Process cli, Path logs, URI endpoint, String[] apply) {}

    /** An apply of 150 functions, one at a time, on a fresh moto with a lock table, once it has created one. */
    private Started startApply() throws Exception {
        URI endpoint = MotoServer.freshEndpoint();
        try (DynamoDbClient dynamo = dynamo(endpoint)) {
            dynamo.createTable(r -> r.tableName(TABLE)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("LockID").keyType("HASH")));
        }
        Path manifests = dir.resolve("app");
        write(manifests, "stack.yaml", "kind: Stack\nname: sig\nspec:\n  region: us-east-1\n");
        StringBuilder many = new StringBuilder("kind: Role\nname: sig-role\nspec: {}\n");
        for (int i = 0; i < 150; i++) {
            many.append("---\nkind: Function\nname: f")
                    .append(i)
                    .append("\nspec:\n  runtime: python3.12\n  handler: app.handler\n  code: src\n  role: sig-role\n");
        }
        write(manifests, "fn.yaml", many.toString());
        write(manifests, "src/app.py", "def handler(event, context):\n    return 1\n");
        String[] apply = {
            "apply",
            manifests.toString(),
            "--auto-approve",
            "--parallelism",
            "1",
            "--target",
            "aws",
            "--endpoint-url",
            endpoint.toString(),
            "--lock-table",
            TABLE
        };
        Path logs = dir.resolve("logs");
        Process cli = CliProcess.start(dir, ENV, logs, apply);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!read(logs.resolve("out.txt")).contains("create function ... done")) {
            assertThat(System.nanoTime()).as(read(logs.resolve("err.txt"))).isLessThan(deadline);
            Thread.sleep(50);
        }
        return new Started(cli, logs, endpoint, apply);
    }

    private static void signal(String name, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid)).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void assertLockReleased(URI endpoint) {
        assertLockReleased(endpoint, "");
    }

    private static void assertLockReleased(URI endpoint, String output) {
        try (DynamoDbClient dynamo = dynamo(endpoint)) {
            assertThat(dynamo.scan(r -> r.tableName(TABLE)).items())
                    .as("lock items; the CLI said:%n%s", output)
                    .isEmpty();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static DynamoDbClient dynamo(URI endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build();
    }
}
