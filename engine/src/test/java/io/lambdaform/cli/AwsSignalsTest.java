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
        Map<String, String> env =
                Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_REGION", "us-east-1");
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
        Process cli = CliProcess.start(dir, env, logs, apply);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!read(logs.resolve("out.txt")).contains("create function ... done")) {
            assertThat(System.nanoTime()).as(read(logs.resolve("err.txt"))).isLessThan(deadline);
            Thread.sleep(50);
        }

        cli.destroy();

        assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = read(logs.resolve("out.txt"));
        assertThat(cli.exitValue()).as(out).isEqualTo(143);
        assertThat(out).contains("Apply stopped by SIGTERM", "not started");
        try (DynamoDbClient dynamo = dynamo(endpoint)) {
            assertThat(dynamo.scan(r -> r.tableName(TABLE)).items())
                    .as("lock items")
                    .isEmpty();
        }
        CliRunner.Result rest = CliProcess.run(dir, env, apply);
        assertThat(rest.exitCode()).as(rest.toString()).isZero();
        assertThat(rest.out()).contains("Apply complete");
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
