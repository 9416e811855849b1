package io.lambdaform.cloud.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AddPermissionRequest;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * What Lambda refuses and moto 5.2 accepts, refused before each attempt reaches moto, as AWS would answer it: an
 * AddPermission whose statement id the policy already holds (moto appends a second statement of that id), and a
 * CreateEventSourceMapping of a source already mapped to the function (moto's check never matches, and it makes a
 * second mapping). Adapters rely on these refusals to carry on after a lost response; without them moto would leave
 * duplicates that AWS never makes. The state is read from moto directly, not through a proxy.
 */
public final class LambdaRefusals implements ExecutionInterceptor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaClient moto;
    private final List<String> refused = new CopyOnWriteArrayList<>();

    public LambdaRefusals(URI moto) {
        AwsTestSupport.init();
        this.moto = LambdaClient.builder()
                .endpointOverride(moto)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build();
    }

    /** Once per attempt, so that the retry of a request whose response was lost meets what the first one made. */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof AddPermissionRequest add
                && sids(add.functionName(), Optional.ofNullable(add.qualifier()))
                        .contains(add.statementId())) {
            refused.add("AddPermission " + add.statementId());
            throw conflict("The statement id (" + add.statementId() + ") provided already exists. Please provide a"
                    + " new statement id, or remove the existing statement.");
        }
        if (context.request() instanceof CreateEventSourceMappingRequest create) {
            for (EventSourceMappingConfiguration m : moto.listEventSourceMappings(
                            r -> r.eventSourceArn(create.eventSourceArn()))
                    .eventSourceMappings()) {
                if (sameFunction(m.functionArn(), create.functionName())) {
                    refused.add("CreateEventSourceMapping " + create.eventSourceArn());
                    throw conflict("An event source mapping with SQS arn (\" " + create.eventSourceArn()
                            + " \") and function (\" " + create.functionName() + " \") already exists. Please update"
                            + " or delete the existing mapping with UUID " + m.uuid());
                }
            }
        }
    }

    /** What was refused, in order: {@code AddPermission <sid>}, {@code CreateEventSourceMapping <source ARN>}. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** The statement ids of the function's policy, as moto holds them (repeats included). */
    public List<String> sids(String function, Optional<String> qualifier) {
        List<String> sids = new ArrayList<>();
        try {
            String policy = moto.getPolicy(r -> r.functionName(function).qualifier(qualifier.orElse(null)))
                    .policy();
            for (JsonNode statement : JSON.readTree(policy).path("Statement")) {
                sids.add(statement.path("Sid").asText());
            }
        } catch (ResourceNotFoundException e) {
            // no policy
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sids;
    }

    /** Whether a mapping's function ARN names the function the request names (by name or ARN, any qualifier). */
    private static boolean sameFunction(String functionArn, String requested) {
        return baseName(functionArn).equals(baseName(requested));
    }

    private static String baseName(String function) {
        int at = function.indexOf(":function:");
        String name = at < 0 ? function : function.substring(at + ":function:".length());
        return name.split(":")[0];
    }

    private static ResourceConflictException conflict(String message) {
        return (ResourceConflictException) ResourceConflictException.builder()
                .message(message)
                .statusCode(409)
                .requestId(UUID.randomUUID().toString())
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ResourceConflictException")
                        .errorMessage(message)
                        .serviceName("Lambda")
                        .build())
                .build();
    }
}
