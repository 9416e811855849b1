package io.lambdaform.kinds.role;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.Specs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a role declared in the manifests allows, as far as the manifests prove it: the actions of its inline policies'
 * Allow statements, and AWS's managed policies known to grant nothing beyond logs and tracing. A role with any other
 * managed policy is given the benefit of the doubt (not judged). The kinds that need a role to allow something (a
 * trigger's mapping reading its source, a function's destinations) ask here.
 */
public final class RolePermissions {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** AWS managed policies that grant everything. */
    private static final Set<String> BROAD = Set.of("AdministratorAccess", "PowerUserAccess");

    /** AWS managed policies that grant nothing but logs, tracing and networking. */
    private static final Set<String> UNRELATED =
            Set.of("AWSLambdaBasicExecutionRole", "AWSXRayDaemonWriteAccess", "AWSLambdaVPCAccessExecutionRole");

    private RolePermissions() {}

    /**
     * The actions of {@code needed} that the declared role lacks; empty when it allows them all or cannot be judged
     * (it is not declared, or has a managed policy that may grant them: one of {@code granting}, a broad one, or one
     * not known here).
     */
    public static List<String> missing(PlanBuilder plan, String roleName, List<String> needed, Set<String> granting) {
        Optional<Role> role = plan.declared(RoleKind.KIND, roleName);
        if (role.isEmpty() || mayGrant(role.get().managedPolicyArns(), granting)) {
            return List.of();
        }
        // What a role lacks is judged once per plan and question, whatever the number of resources asking.
        return plan.index(MISSING)
                .computeIfAbsent(
                        roleName + "/" + String.join(",", needed),
                        k -> lacking(plan.index(ALLOWED).getOrDefault(roleName, List.of()), needed));
    }

    /**
     * The same judgment while the manifests are read ({@code validate}), from the role document's spec, once per
     * reading and question whatever the number of documents asking.
     */
    public static List<String> missing(
            ReadContext document, String roleName, List<String> needed, Set<String> granting) {
        Optional<JsonNode> spec = document.declaredSpec(RoleKind.KIND.manifestName(), roleName);
        if (spec.isEmpty() || mayGrant(Specs.list(spec.get().path("managedPolicyArns")), granting)) {
            return List.of();
        }
        return document.shared("role lacks/" + roleName + "/" + String.join(",", needed), () -> {
            List<String> patterns = new ArrayList<>();
            spec.get().path("inlinePolicies").forEach(policy -> patterns.addAll(allowed(policy.toString())));
            return lacking(patterns, needed);
        });
    }

    /** Whether one of the managed policies may grant more than the manifests can tell. */
    private static boolean mayGrant(Collection<String> managedPolicyArns, Set<String> granting) {
        for (String arn : managedPolicyArns) {
            String name = arn.substring(arn.lastIndexOf('/') + 1);
            boolean awsManaged = arn.contains(":iam::aws:policy/");
            if (!awsManaged || BROAD.contains(name) || granting.contains(name) || !UNRELATED.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> lacking(List<String> patterns, List<String> needed) {
        List<String> lacking = new ArrayList<>();
        for (String action : needed) {
            if (patterns.stream().noneMatch(p -> p == null || matches(p, action))) {
                lacking.add(action);
            }
        }
        return lacking;
    }

    /**
     * Each declared role's allowed action patterns, from its inline policies, read once per plan whatever the number
     * of mappings (a null pattern: a statement not judged, which allows anything).
     */
    private static final PlanBuilder.Index<Map<String, List<String>>> ALLOWED =
            new PlanBuilder.Index<>("allowed actions by role", stack -> {
                Map<String, List<String>> allowed = new HashMap<>();
                for (Role role : stack.resources(RoleKind.KIND)) {
                    List<String> patterns = new ArrayList<>();
                    role.inlinePolicies().values().forEach(p -> patterns.addAll(allowed(p)));
                    allowed.put(role.name(), patterns);
                }
                return allowed;
            });

    /** The actions each role lacks for each question, judged when first asked. */
    private static final PlanBuilder.Index<Map<String, List<String>>> MISSING =
            new PlanBuilder.Index<>("actions missing by role and source", stack -> new ConcurrentHashMap<>());

    /** Whether the policy document has an Allow statement whose actions match {@code action}. */
    public static boolean allows(String document, String action) {
        return allowed(document).stream().anyMatch(p -> p == null || matches(p, action));
    }

    /** The action patterns of a policy document's Allow statements; null for one that is not judged. */
    public static List<String> allowed(String document) {
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
    public static boolean matches(String pattern, String action) {
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
