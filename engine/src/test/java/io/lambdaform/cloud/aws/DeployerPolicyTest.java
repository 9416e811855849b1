package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** policies/deployer-policy.json grants every AWS action the provider calls, and iam:PassRole to Lambda. */
class DeployerPolicyTest {
    private static final Path POLICY = Path.of("../policies/deployer-policy.json");
    private static final Path ADAPTER = Path.of("src/main/java/io/lambdaform/cloud/aws");
    private static final Map<String, String> CLIENT_PREFIX = Map.of(
            "lambda",
            "lambda",
            "iam",
            "iam",
            "sts",
            "sts",
            "tagging",
            "tag",
            "dynamo",
            "dynamodb",
            "logs",
            "logs",
            "s3",
            "s3",
            "sqs",
            "sqs",
            "sns",
            "sns",
            "events",
            "events");
    private static final Map<String, String> SERVICE_PREFIX = Map.of(
            "Lambda",
            "lambda",
            "Iam",
            "iam",
            "Sts",
            "sts",
            "ResourceGroupsTaggingApi",
            "tag",
            "DynamoDb",
            "dynamodb",
            "CloudWatchLogs",
            "logs",
            "S3",
            "s3",
            "Sqs",
            "sqs",
            "Sns",
            "sns",
            "EventBridge",
            "events");
    /** The SDK operations whose IAM action is named otherwise. */
    private static final Map<String, String> ACTION_OF = Map.of(
            "s3:HeadBucket", "s3:ListBucket",
            "s3:ListBuckets", "s3:ListAllMyBuckets",
            "s3:ListObjectsV2", "s3:ListBucket",
            "s3:HeadObject", "s3:GetObject",
            "s3:DeleteBucketTagging", "s3:PutBucketTagging",
            "s3:GetBucketNotificationConfiguration", "s3:GetBucketNotification",
            "s3:PutBucketNotificationConfiguration", "s3:PutBucketNotification");

    @TempDir
    Path dir;

    static Set<String> granted() throws IOException {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement :
                new ObjectMapper().readTree(Files.readString(POLICY)).path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            statement.path("Action").forEach(a -> actions.add(a.asText()));
        }
        return actions;
    }

    /** IAM action of an SDK call: lambda.invoke → lambda:InvokeFunction, iam.listRolesPaginator → iam:ListRoles. */
    static String action(String prefix, String operation) {
        String name = operation.replaceFirst("Paginator$", "");
        name = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String action = prefix + ":" + (prefix.equals("lambda") && name.equals("Invoke") ? "InvokeFunction" : name);
        return ACTION_OF.getOrDefault(action, action);
    }

    @Test
    void everyCallInTheAdapterSource_isGranted() throws IOException {
        Pattern call =
                Pattern.compile("\\b(lambda|iam|sts|tagging|dynamo|logs|s3|sqs|sns|events)\\.([a-z][A-Za-z]+)\\(");
        Set<String> called = new TreeSet<>();
        try (Stream<Path> files = Files.list(ADAPTER)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = call.matcher(Files.readString(file));
                while (m.find()) {
                    called.add(action(CLIENT_PREFIX.get(m.group(1)), m.group(2)));
                }
            }
        }
        assertThat(called)
                .contains(
                        "lambda:CreateFunction",
                        "iam:CreateRole",
                        "dynamodb:PutItem",
                        "tag:GetResources",
                        "logs:FilterLogEvents",
                        "s3:CreateBucket",
                        "s3:ListBucket",
                        "sqs:CreateQueue",
                        "sns:CreateTopic");
        assertThat(granted()).containsAll(called).contains("iam:PassRole");
    }

    @Test
    void everyCallOfARealLifecycle_isGranted() throws IOException {
        String endpoint = MotoServer.freshEndpoint().toString();
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build()) {
            dynamo.createTable(r -> r.tableName("lambdaform-locks")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("LockID").keyType("HASH")));
        }
        AwsTestSupport.init();
        String orders =
                Path.of("../manifests/orders").toAbsolutePath().normalize().toString();
        List<String> aws = List.of(
                "--target",
                "aws",
                "--endpoint-url",
                endpoint,
                "--region",
                "us-east-1",
                "--debug",
                "--state-dir",
                dir.toString());
        String lock = "--lock-table=lambdaform-locks";
        Set<String> called = new TreeSet<>();
        called.addAll(calls(cli("apply", orders, "--env", "dev", "--auto-approve", lock), aws));
        called.addAll(calls(cli("invoke", orders, "--env", "dev"), aws));
        called.addAll(calls(cli("logs", orders, "--env", "dev"), aws));
        called.addAll(calls(
                cli("apply", orders, "--env", "dev", "--auto-approve", lock, "--values", write("memory: 256\n")), aws));
        called.addAll(calls(cli("destroy", orders, "--env", "dev", "--auto-approve", lock), aws));
        // The triggers example: sources, permissions, a notification, a mapping, a subscription, a rule, a URL.
        String triggers =
                Path.of("../manifests/triggers").toAbsolutePath().normalize().toString();
        called.addAll(calls(cli("apply", triggers, "--auto-approve", lock), aws));
        called.addAll(calls(cli("plan", triggers), aws));
        called.addAll(calls(cli("destroy", triggers, "--auto-approve", lock), aws));

        assertThat(called)
                .contains(
                        "lambda:CreateFunction",
                        "lambda:UpdateFunctionConfiguration",
                        "lambda:DeleteFunction",
                        "iam:PutRolePolicy",
                        "iam:DeleteRole",
                        "lambda:InvokeFunction",
                        "logs:FilterLogEvents",
                        "dynamodb:PutItem",
                        "dynamodb:DeleteItem",
                        "lambda:AddPermission",
                        "lambda:CreateEventSourceMapping",
                        "s3:PutBucketNotification",
                        "sns:Subscribe",
                        "events:PutRule",
                        "lambda:CreateFunctionUrlConfig");
        assertThat(granted()).containsAll(called);
    }

    private String write(String content) throws IOException {
        Path file = dir.resolve("values.yaml");
        Files.writeString(file, content);
        return file.toString();
    }

    private static List<String> cli(String... args) {
        return List.of(args);
    }

    /** Runs the CLI with --debug and returns the IAM actions of the API calls it reports. */
    private static Set<String> calls(List<String> command, List<String> aws) {
        List<String> args = new ArrayList<>(command);
        args.addAll(aws);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.run(args.toArray(String[]::new), out, err);
        String log = err.toString(StandardCharsets.UTF_8);
        Matcher line = Pattern.compile("AWS API calls: \\d+ \\{([^}]*)}").matcher(log);
        assertThat(line.find()).as("API call summary in: %s%s", out, log).isTrue();
        Set<String> actions = new TreeSet<>();
        for (String entry : line.group(1).split(", ")) {
            String name = entry.substring(0, entry.indexOf('='));
            String service = name.substring(0, name.indexOf('.'));
            actions.add(action(SERVICE_PREFIX.get(service), name.substring(name.indexOf('.') + 1)));
        }
        return actions;
    }
}
