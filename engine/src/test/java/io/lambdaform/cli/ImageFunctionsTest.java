package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.function.FunctionState;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions that run a container image (no image is built): validate refuses what an image function cannot have; the
 * local cloud deploys one and says clearly that it cannot run it; moto (whose ECR is a stub) deploys one, plans it
 * empty after, and replaces its image when the URI changes.
 */
class ImageFunctionsTest {
    private static final String V1 = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:v1";
    private static final String V2 = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path set(String function) throws IOException {
        Path set = dir.resolve("repo/images");
        Files.createDirectories(set);
        Files.createDirectories(dir.resolve("repo/.git"));
        Files.writeString(set.resolve("stack.yaml"), """
                kind: Stack
                name: images
                spec:
                  region: us-east-1
                ---
                kind: Role
                name: images-fn
                ---
                kind: Payload
                name: ping
                spec:
                  function: orders
                  event: {}
                ---
                """ + function);
        return set;
    }

    private static String image(String uri) {
        return """
                kind: Function
                name: orders
                spec:
                  role: images-fn
                  image:
                    uri: %s
                    command: [app.handler]
                  memorySize: 512
                """.formatted(uri);
    }

    @Test
    void validate_refusesARuntimeAHandlerLayersOrPublishingWithAnImage_andCodeWithAnImage() throws IOException {
        Path set = set("""
                kind: Function
                name: orders
                spec:
                  role: images-fn
                  image: {uri: %s}
                  runtime: python3.12
                  handler: app.handler
                  layers: [arn:aws:lambda:us-east-1:123456789012:layer:x:1]
                  publish: true
                ---
                kind: Function
                name: both
                spec:
                  role: images-fn
                  image: {uri: %s}
                  code: app.py
                ---
                kind: Function
                name: bad-uri
                spec:
                  role: images-fn
                  image: {uri: docker.io/library/python:3.12}
                """.formatted(V1, V1));
        Files.writeString(set.resolve("app.py"), "def handler(e, c):\n    return 1\n");

        CliRunner.Result validate = new CliRunner(dir.resolve("state")).run("validate", set.toString());

        assertThat(validate.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(validate.err())
                .contains("a function with an image sets no 'runtime'")
                .contains("a function with an image sets no 'handler'")
                .contains("a function with an image sets no 'layers': Lambda adds no layer to a container image")
                .contains("a function with an image sets no 'publish'")
                .contains("'spec' sets fields that exclude each other: code and image; keep one")
                .contains("'spec.image.uri' has 'docker.io/library/python:3.12', which does not match");
    }

    @Test
    void onTheLocalCloud_anImageFunctionIsDeployed_andInvokingItSaysItCannotRunThere() throws IOException {
        Path set = set(image(V1));
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("+ imageUri", V1);
        assertThat(cli.run("plan", set.toString(), "--detailed-exitcode").exitCode())
                .isZero();

        CliRunner.Result invoke = cli.run("invoke", set.toString());
        assertThat(invoke.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(invoke.out() + invoke.err())
                .contains("function orders runs the container image " + V1)
                .contains("the local cloud cannot run")
                .contains("--target aws");
    }

    @Test
    void onMoto_anImageFunctionIsCreated_plannedEmpty_andItsImageReplacedWhenTheUriChanges() throws IOException {
        URI endpoint = MotoServer.freshEndpoint();
        Path set = set(image(V1));
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> aws = List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");

        CliRunner.Result apply = cli.run(with(List.of("apply", set.toString(), "--auto-approve"), aws));
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        FunctionState orders = AwsTestSupport.cloud(endpoint)
                .functions()
                .findFunction("orders")
                .orElseThrow();
        assertThat(orders.imageUri()).contains(V1);
        assertThat(orders.settings().memorySize()).isEqualTo(512);
        assertThat(orders.settings().imageConfig().orElseThrow().command()).containsExactly("app.handler");

        CliRunner.Result plan = cli.run(with(List.of("plan", set.toString(), "--detailed-exitcode"), aws));
        assertThat(plan.exitCode()).as(plan.toString()).isZero();

        Files.writeString(
                set.resolve("stack.yaml"),
                Files.readString(set.resolve("stack.yaml")).replace(V1, V2));
        CliRunner.Result update = cli.run(with(List.of("apply", set.toString(), "--auto-approve"), aws));
        assertThat(update.exitCode()).as(update.toString()).isZero();
        assertThat(update.out()).contains("update code", "~ imageUri").doesNotContain("update configuration");
        assertThat(AwsTestSupport.cloud(endpoint)
                        .functions()
                        .findFunction("orders")
                        .orElseThrow()
                        .imageUri())
                .contains(V2);
        assertThat(cli.run(with(List.of("plan", set.toString(), "--detailed-exitcode"), aws))
                        .exitCode())
                .isZero();
    }

    private static String[] with(List<String> args, List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return all.toArray(String[]::new);
    }
}
