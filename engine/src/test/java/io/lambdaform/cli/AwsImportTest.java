package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS Lambda tutorial's function, made with the AWS CLI's exact commands against moto, then taken over: import
 * writes its manifests, a plan that adopts it only tags it, and after apply the plan is empty.
 */
class AwsImportTest {
    private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String endpoint;
    private Path work;
    private Map<String, String> env;
    private CliRunner cli;

    @BeforeEach
    void setUp() throws IOException {
        endpoint = MotoServer.freshEndpoint().toString();
        work = Files.createDirectories(dir.resolve("tutorial"));
        env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        Assumptions.assumeTrue(run(List.of("aws", "--version")).exitCode() == 0, "the AWS CLI (aws) is not on PATH");
        cli = new CliRunner(dir.resolve("state"));
    }

    private record Command(int exitCode, String output) {}

    /** Runs a command in the tutorial's folder with the tutorial's environment. */
    private Command run(List<String> command) {
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Command(-1, output + " (timed out)");
            }
            return new Command(process.exitValue(), output);
        } catch (IOException e) {
            return new Command(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Command(-1, e.toString());
        }
    }

    private String aws(String... arguments) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint));
        command.addAll(List.of(arguments));
        Command result = run(command);
        assertThat(result.exitCode())
                .as(String.join(" ", command) + "\n" + result.output())
                .isZero();
        return result.output();
    }

    /** The tutorial: a handler, a trust policy, the zip, the role with logging, the function. */
    private void createTheTutorialFunction() throws IOException {
        Files.writeString(
                work.resolve("hello_handler.py"),
                "def hello_handler(event, context):\n    return {'message': 'Hello from Lambda!'}\n");
        Files.writeString(
                work.resolve("trust_policy.json"),
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
                        + " \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}\n");
        Command zip = run(List.of("zip", "hello_code.zip", "hello_handler.py"));
        if (zip.exitCode() != 0) {
            Command python = run(List.of(
                    "python3",
                    "-c",
                    "import zipfile; z = zipfile.ZipFile('hello_code.zip', 'w'); z.write('hello_handler.py');"
                            + " z.close()"));
            assertThat(python.exitCode()).as(python.output()).isZero();
        }
        String roleArn = JSON.readTree(aws(
                        "iam",
                        "create-role",
                        "--role-name",
                        "lambda-ex",
                        "--assume-role-policy-document",
                        "file://trust_policy.json"))
                .path("Role")
                .path("Arn")
                .asText();
        assertThat(roleArn).isEqualTo("arn:aws:iam::123456789012:role/lambda-ex");
        aws("iam", "attach-role-policy", "--role-name", "lambda-ex", "--policy-arn", BASIC);
        aws(
                "lambda",
                "create-function",
                "--function-name",
                "hello",
                "--zip-file",
                "fileb://hello_code.zip",
                "--handler",
                "hello_handler.hello_handler",
                "--runtime",
                "python3.12",
                "--role",
                roleArn);
    }

    private CliRunner.Result lambdaform(String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--target", "aws", "--endpoint-url", endpoint));
        return cli.run(env, all.toArray(String[]::new));
    }

    @Test
    void tutorialFunction_importedWithItsZip_adoptionOnlyTagsIt_andAfterApplyThePlanIsEmpty() throws IOException {
        createTheTutorialFunction();
        Path out = dir.resolve("hello");

        CliRunner.Result imported = lambdaform(
                "import",
                "--function",
                "hello",
                "--out",
                out.toString(),
                "--code",
                "hello=" + work.resolve("hello_code.zip"));

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(out.resolve("hello.zip")).hasSameBinaryContentAs(work.resolve("hello_code.zip"));
        assertThat(Files.readString(out.resolve("hello.function.yaml")))
                .contains("code: hello.zip", "role: lambda-ex", "handler: hello_handler.hello_handler");
        assertThat(Files.readString(out.resolve("lambda-ex.role.yaml"))).contains(BASIC, "lambda.amazonaws.com");
        assertThat(Files.readString(out.resolve("stack.yaml"))).contains("name: hello", "region: us-east-1");

        CliRunner.Result plan =
                lambdaform("plan", out.toString(), "--adopt", "hello", "--adopt", "lambda-ex", "--format", "json");

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        Map<String, List<String>> changes = new TreeMap<>();
        for (JsonNode operation : JSON.readTree(plan.out()).path("operations")) {
            assertThat(operation.path("operation").asText())
                    .as(operation.toString())
                    .isEqualTo("TagResource");
            List<String> fields = new ArrayList<>();
            operation.path("changes").forEach(c -> {
                assertThat(c.path("before").isNull()).as(c.toString()).isTrue();
                fields.add(c.path("field").asText());
            });
            changes.put(
                    operation.path("type").asText() + " "
                            + operation.path("name").asText(),
                    fields);
        }
        assertThat(changes)
                .containsOnly(
                        Map.entry("role lambda-ex", List.of("tags." + Stack.OWNER_TAG)),
                        Map.entry(
                                "function hello",
                                List.of(
                                        "tags." + FunctionKind.CODE_TAG,
                                        "tags." + FunctionKind.SOURCE_TAG,
                                        "tags." + Stack.OWNER_TAG)));

        CliRunner.Result apply =
                lambdaform("apply", out.toString(), "--adopt", "hello", "--adopt", "lambda-ex", "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        CliRunner.Result after = lambdaform("plan", out.toString(), "--detailed-exitcode");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).contains("No changes.");
    }

    @Test
    void withoutTheZip_onAnEmulatorThatDoesNotServeTheCode_theErrorSaysToGiveItWithCode() throws IOException {
        createTheTutorialFunction();
        Path out = dir.resolve("hello");

        CliRunner.Result imported = lambdaform("import", "--function", "hello", "--out", out.toString());

        assertThat(imported.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(imported.err())
                .contains("did not serve the code of function hello", "--code hello=FILE.zip")
                .doesNotContain("X-Amz-Signature", "Exception:");
        assertThat(out).doesNotExist();
    }
}
