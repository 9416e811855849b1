package io.lambdaform.cloud.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Lambda APIs moto 5.2 does not implement, answered in its place in front of it (a {@link FaultProxy} forwards the
 * rest): provisioned concurrency (Put/Get/DeleteProvisionedConcurrencyConfig), recursion control
 * (Put/GetFunctionRecursionConfig) and runtime management (Put/GetRuntimeManagementConfig), over HTTP in Lambda's
 * REST-JSON protocol, so that the SDK's and the AWS CLI's own marshalling is what is tested. A fake and not AWS: it
 * keeps what was put, and a provisioned concurrency goes IN_PROGRESS, then READY at its second read (or FAILED with a
 * reason, when a test asks), as Lambda's does over minutes; it does not check that the function or alias exists.
 */
public final class LambdaControlsFake implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultProxy proxy;
    private final Map<String, ObjectNode> provisioned = new HashMap<>();
    private final Map<String, Integer> readsSincePut = new HashMap<>();
    private final Deque<String> failures = new ArrayDeque<>();
    private final Map<String, String> recursion = new HashMap<>();
    private final Map<String, ObjectNode> runtimeManagement = new HashMap<>();

    private LambdaControlsFake(URI moto) {
        this.proxy = FaultProxy.to(moto).start();
        proxy.answerWith(this::answer);
    }

    /** A fake in front of {@code moto}; its {@link #endpoint} is what the SDK and the AWS CLI are pointed at. */
    public static LambdaControlsFake inFrontOf(URI moto) {
        return new LambdaControlsFake(moto);
    }

    public URI endpoint() {
        return proxy.endpoint();
    }

    /** The proxy, for its request counts and scripted faults. */
    public FaultProxy proxy() {
        return proxy;
    }

    /** The next provisioned concurrency put fails with {@code reason} at its first read, as Lambda reports it. */
    public synchronized void failNextProvisioning(String reason) {
        failures.add(reason);
    }

    /** What a Get of the alias's provisioned concurrency answers, as JSON; empty when it has none. */
    public synchronized Optional<JsonNode> provisioned(String function, String qualifier) {
        return Optional.ofNullable(provisioned.get(function + ":" + qualifier)).map(JsonNode::deepCopy);
    }

    private synchronized Optional<byte[]> answer(String operation, FaultProxy.Request request) {
        String[] parts = request.path().split("/");
        if (parts.length < 5 || !parts[2].equals("functions")) {
            return Optional.empty();
        }
        String function = parts[3].replaceFirst("^arn:[^:]*:lambda:[^:]*:[^:]*:function:", "");
        String qualified = function + ":" + request.query().getOrDefault("Qualifier", "$LATEST");
        return switch (operation) {
            case "lambda:PutProvisionedConcurrencyConfig" -> {
                ObjectNode config = JSON.createObjectNode();
                int requested =
                        body(request).path("ProvisionedConcurrentExecutions").asInt();
                config.put("RequestedProvisionedConcurrentExecutions", requested);
                config.put("AllocatedProvisionedConcurrentExecutions", 0);
                config.put("AvailableProvisionedConcurrentExecutions", 0);
                config.put("Status", "IN_PROGRESS");
                config.put("LastModified", "2026-12-05T00:00:00.000+0000");
                String failure = failures.poll();
                if (failure != null) {
                    config.put("failure", failure);
                }
                provisioned.put(qualified, config);
                readsSincePut.put(qualified, 0);
                yield Optional.of(ok(202, publicView(config)));
            }
            case "lambda:GetProvisionedConcurrencyConfig" -> {
                ObjectNode config = provisioned.get(qualified);
                if (config == null) {
                    yield Optional.of(error(
                            404,
                            "ProvisionedConcurrencyConfigNotFoundException",
                            "No Provisioned Concurrency Config found for this function"));
                }
                int reads = readsSincePut.merge(qualified, 1, Integer::sum);
                int requested =
                        config.path("RequestedProvisionedConcurrentExecutions").asInt();
                if (config.has("failure")) {
                    config.put("Status", "FAILED");
                    config.put("StatusReason", config.path("failure").asText());
                } else if (reads >= 2) {
                    config.put("Status", "READY");
                    config.put("AllocatedProvisionedConcurrentExecutions", requested);
                    config.put("AvailableProvisionedConcurrentExecutions", requested);
                } else {
                    config.put("AllocatedProvisionedConcurrentExecutions", requested / 2);
                }
                yield Optional.of(ok(200, publicView(config)));
            }
            case "lambda:DeleteProvisionedConcurrencyConfig" -> {
                if (provisioned.remove(qualified) == null) {
                    yield Optional.of(error(
                            404,
                            "ProvisionedConcurrencyConfigNotFoundException",
                            "No Provisioned Concurrency Config found for this function"));
                }
                yield Optional.of(FaultProxy.response(204, "", Map.of()));
            }
            case "lambda:PutFunctionRecursionConfig" -> {
                String loop = body(request).path("RecursiveLoop").asText();
                recursion.put(function, loop);
                yield Optional.of(ok(200, "{\"RecursiveLoop\":\"" + loop + "\"}"));
            }
            case "lambda:GetFunctionRecursionConfig" ->
                Optional.of(ok(200, "{\"RecursiveLoop\":\"" + recursion.getOrDefault(function, "Terminate") + "\"}"));
            case "lambda:PutRuntimeManagementConfig" -> {
                ObjectNode config = JSON.createObjectNode();
                JsonNode body = body(request);
                config.put("UpdateRuntimeOn", body.path("UpdateRuntimeOn").asText());
                if (body.hasNonNull("RuntimeVersionArn")) {
                    config.put(
                            "RuntimeVersionArn", body.path("RuntimeVersionArn").asText());
                }
                runtimeManagement.put(function, config);
                yield Optional.of(ok(200, config.toString()));
            }
            case "lambda:GetRuntimeManagementConfig" -> {
                ObjectNode config = runtimeManagement.get(function);
                yield Optional.of(ok(200, config == null ? "{\"UpdateRuntimeOn\":\"Auto\"}" : config.toString()));
            }
            default -> Optional.empty();
        };
    }

    /** The configuration as Lambda answers it, without what the fake keeps for itself. */
    private static String publicView(ObjectNode config) {
        ObjectNode copy = config.deepCopy();
        copy.remove("failure");
        return copy.toString();
    }

    private static JsonNode body(FaultProxy.Request request) {
        try {
            return request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ok(int status, String json) {
        return FaultProxy.response(status, json, Map.of());
    }

    private static byte[] error(int status, String type, String message) {
        return FaultProxy.response(
                status, "{\"Type\":\"User\",\"message\":\"" + message + "\"}", Map.of("x-amzn-ErrorType", type));
    }

    @Override
    public void close() {
        proxy.close();
    }
}
