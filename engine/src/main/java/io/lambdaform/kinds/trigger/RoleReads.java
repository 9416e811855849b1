package io.lambdaform.kinds.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.trigger.Trigger.Type;
import io.lambdaform.resource.PlanBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the execution role declared in the manifests may read the source Lambda polls for a function: the most
 * common failure of a first deploy of a mapping (CreateEventSourceMapping refuses, naming the missing action). Only
 * what the manifests prove is judged: a role by ARN, or one with a managed policy other than AWS's known ones, is
 * given the benefit of the doubt.
 */
final class RoleReads {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The actions Lambda needs on each polled source, as AWS's managed execution policies grant them. */
    static final Map<Type, List<String>> NEEDED = Map.of(
            Type.SQS, List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            Type.KINESIS,
                    List.of(
                            "kinesis:GetRecords",
                            "kinesis:GetShardIterator",
                            "kinesis:DescribeStream",
                            "kinesis:ListShards"),
            Type.DYNAMODB,
                    List.of(
                            "dynamodb:GetRecords",
                            "dynamodb:GetShardIterator",
                            "dynamodb:DescribeStream",
                            "dynamodb:ListStreams"));

    /** AWS managed policies that grant the reads, by source. */
    private static final Map<Type, String> MANAGED = Map.of(
            Type.SQS, "AWSLambdaSQSQueueExecutionRole",
            Type.KINESIS, "AWSLambdaKinesisExecutionRole",
            Type.DYNAMODB, "AWSLambdaDynamoDBExecutionRole");

    /** AWS managed policies that grant everything, or that grant nothing a mapping needs. */
    private static final Set<String> BROAD = Set.of("AdministratorAccess", "PowerUserAccess");

    private static final Set<String> UNRELATED =
            Set.of("AWSLambdaBasicExecutionRole", "AWSXRayDaemonWriteAccess", "AWSLambdaVPCAccessExecutionRole");

    private RoleReads() {}

    /** A warning naming the actions the role lacks, when the manifests prove it lacks some. */
    static Optional<String> check(Trigger trigger, PlanBuilder plan) {
        Optional<Function> function = plan.declared(FunctionKind.KIND, trigger.function());
        if (function.isEmpty() || !(function.get().role() instanceof RoleRef.StackRole stackRole)) {
            return Optional.empty();
        }
        Optional<Role> role = plan.declared(RoleKind.KIND, stackRole.name());
        if (role.isEmpty()) {
            return Optional.empty();
        }
        for (String arn : role.get().managedPolicyArns()) {
            String name = arn.substring(arn.lastIndexOf('/') + 1);
            boolean awsManaged = arn.contains(":iam::aws:policy/");
            if (!awsManaged || BROAD.contains(name) || name.equals(MANAGED.get(trigger.type()))) {
                return Optional.empty();
            }
            if (!UNRELATED.contains(name)) {
                return Optional.empty();
            }
        }
        // What a role lacks for a type is judged once per plan, whatever the number of mappings.
        List<String> missing = plan.index(MISSING).computeIfAbsent(stackRole.name() + "/" + trigger.type(), k -> {
            List<String> patterns = plan.index(ALLOWED).getOrDefault(stackRole.name(), List.of());
            List<String> lacking = new ArrayList<>();
            for (String action : NEEDED.get(trigger.type())) {
                if (patterns.stream().noneMatch(p -> p == null || matches(p, action))) {
                    lacking.add(action);
                }
            }
            return lacking;
        });
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("role " + stackRole.name() + " of function " + trigger.function() + " does not allow "
                + String.join(", ", missing) + ", which Lambda needs to read "
                + trigger.type().sourceNoun() + " "
                + trigger.source() + ": CreateEventSourceMapping will be refused. Attach"
                + " arn:aws:iam::aws:policy/service-role/" + MANAGED.get(trigger.type())
                + " or allow them in an inline policy");
    }

    /**
     * Each declared role's allowed action patterns, from its inline policies, read once per plan whatever the number
     * of mappings (a null pattern: a statement not judged, which allows anything).
     */
    static final PlanBuilder.Index<Map<String, List<String>>> ALLOWED =
            new PlanBuilder.Index<>("allowed actions by role", stack -> {
                Map<String, List<String>> allowed = new HashMap<>();
                for (Role role : stack.resources(RoleKind.KIND)) {
                    List<String> patterns = new ArrayList<>();
                    role.inlinePolicies().values().forEach(p -> patterns.addAll(allowed(p)));
                    allowed.put(role.name(), patterns);
                }
                return allowed;
            });

    /** The actions each role lacks for each type of source, judged when first asked (by role and type). */
    static final PlanBuilder.Index<Map<String, List<String>>> MISSING =
            new PlanBuilder.Index<>("actions missing by role and source", stack -> new ConcurrentHashMap<>());

    /** Whether the policy document has an Allow statement whose actions match {@code action}. */
    static boolean allows(String document, String action) {
        return allowed(document).stream().anyMatch(p -> p == null || matches(p, action));
    }

    /** The action patterns of a policy document's Allow statements; null for one that is not judged. */
    static List<String> allowed(String document) {
        List<String> patterns = new ArrayList<>();
        JsonNode policy;
        try {
            policy = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            patterns.add(null);
            return patterns;
        }
        JsonNode statements = policy.path("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(list::add);
        } else if (statements.isObject()) {
            list.add(statements);
        }
        for (JsonNode statement : list) {
            if (!"Allow".equals(statement.path("Effect").asText())) {
                continue;
            }
            if (statement.has("NotAction")) {
                patterns.add(null); // not judged
                continue;
            }
            JsonNode actions = statement.path("Action");
            if (actions.isArray()) {
                actions.forEach(a -> patterns.add(a.asText()));
            } else {
                patterns.add(actions.asText());
            }
        }
        return patterns;
    }

    /**
     * IAM's action match: case-insensitive, {@code *} and {@code ?} as wildcards; in time proportional to the product
     * of the two lengths, whatever the pattern (policies are untrusted input).
     */
    static boolean matches(String pattern, String action) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String a = action.toLowerCase(Locale.ROOT);
        boolean[] row = new boolean[a.length() + 1];
        row[0] = true;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            boolean[] next = new boolean[a.length() + 1];
            next[0] = c == '*' && row[0];
            for (int j = 1; j <= a.length(); j++) {
                next[j] = c == '*' ? row[j] || next[j - 1] : row[j - 1] && (c == '?' || c == a.charAt(j - 1));
            }
            row = next;
        }
        return row[a.length()];
    }
}
