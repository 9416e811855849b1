package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real AWS CLI against an endpoint (moto), as a user makes drift by hand: only test credentials and the region in
 * its environment. Skips the test where the CLI is not installed (fails under CI=true).
 */
final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;

    AwsCli(URI endpoint) {
        this.endpoint = endpoint;
    }

    String run(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString(), "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(builder.environment());
        builder.environment().clear();
        builder.environment().put("PATH", env.getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", env.getOrDefault("HOME", "/tmp"));
        builder.environment().put("AWS_ACCESS_KEY_ID", "testing");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
            if (ci) {
                throw e;
            }
            Assumptions.abort("the AWS CLI is not installed: " + e.getMessage());
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as("aws " + String.join(" ", args) + ":\n" + output)
                .isZero();
        return output;
    }

    JsonNode json(String... args) throws IOException, InterruptedException {
        String output = run(args);
        return output.isBlank() ? JSON.createObjectNode() : JSON.readTree(output);
    }
}
