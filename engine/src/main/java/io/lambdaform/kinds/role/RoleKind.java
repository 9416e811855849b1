package io.lambdaform.kinds.role;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.LambdaformException;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.Tagging;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * IAM execution roles: read from {@code kind: Role} documents, diffed field by field (policy documents by meaning),
 * created with their tags, then their inline policies, then their attachments; pruned after the functions, each
 * attachment and inline policy first.
 */
public final class RoleKind extends AbstractResourceKind<Role, RoleState, Roles> {
    public static final RoleKind KIND = new RoleKind();

    private RoleKind() {
        super("Role", 0, Role.class, Roles.class, RoleOperations.RoleOperation.class);
    }

    /** The key of the role with that name. */
    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.HEXAGON;
    }

    /** {@code arn:aws:iam::123456789012:role/path/name}: the name, after the path. */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("iam", "role/").map(path -> path.substring(path.lastIndexOf('/') + 1));
    }

    // Reading

    @Override
    public Optional<Role> read(ReadContext document) {
        JsonNode spec = document.spec();
        if (spec.path("path").isTextual()
                && document.sensitive().appearsIn(spec.path("path").asText())) {
            document.problemAt(
                    "/spec/path",
                    "a role's path cannot hold a sensitive value: it is part of"
                            + " the role's ARN, which appears in logs and every plan");
        }
        String trust;
        if (spec.path("assumeRolePolicyDocument").isObject()) {
            trust = spec.get("assumeRolePolicyDocument").toString();
        } else {
            List<String> services = new ArrayList<>();
            spec.path("trustedServices").forEach(s -> services.add(s.asText()));
            trust = trustPolicy(services.isEmpty() ? List.of("lambda.amazonaws.com") : services);
        }
        Map<String, String> inline = new TreeMap<>();
        spec.path("inlinePolicies")
                .fields()
                .forEachRemaining(e -> inline.put(e.getKey(), e.getValue().toString()));
        Set<String> managed = new TreeSet<>(Specs.list(spec.path("managedPolicyArns")));
        Map<String, String> tags = new TreeMap<>();
        spec.path("tags")
                .fields()
                .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new Role(
                document.name(),
                Specs.text(spec, "path").orElse(Role.DEFAULT_PATH),
                Specs.text(spec, "description").orElse(""),
                trust,
                new TreeSet<>(managed),
                new TreeMap<>(inline),
                Specs.strings(spec.path("tags")),
                Specs.integer(document, "/spec/maxSessionDuration", 3600, 43200)
                        .orElse(Role.DEFAULT_MAX_SESSION_DURATION),
                Specs.text(spec, "permissionsBoundary")));
    }

    /** The trust policy that lets the given service principals assume a role. */
    public static String trustPolicy(List<String> services) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("Effect", "Allow");
        ObjectNode principal = statement.putObject("Principal");
        if (services.size() == 1) {
            principal.put("Service", services.get(0));
        } else {
            ArrayNode list = principal.putArray("Service");
            services.forEach(list::add);
        }
        statement.put("Action", "sts:AssumeRole");
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("Version", "2012-10-17");
        document.putArray("Statement").add(statement);
        return document.toString();
    }

    // Reading the target

    /** Pruning a role detaches and deletes its policies first, which only its live state lists. */
    @Override
    public boolean prunesFromLiveState() {
        return true;
    }

    // Planning

    @Override
    public void plan(Role role, Optional<RoleState> live, PlanBuilder plan) {
        ResourceKey key = key(role.name());
        Stack stack = plan.stack();
        SortedMap<String, String> tags = new TreeMap<>(stack.resourceTags(role.tags()));
        List<String> values = new ArrayList<>(List.of(role.path(), role.description(), role.assumeRolePolicy()));
        values.addAll(role.inlinePolicies().values());
        values.addAll(role.managedPolicyArns());
        role.permissionsBoundary().ifPresent(values::add);
        plan.markSensitive(key, tags, values);
        if (live.isEmpty()) {
            planCreate(role, tags, key, plan);
            return;
        }
        RoleState current = live.get();
        if (!current.path().equals(role.path())) {
            String livePath = current.tags().containsKey(Stack.SENSITIVE_TAG)
                    ? "(not shown: the role held sensitive values)"
                    : current.path();
            throw LambdaformException.user("role " + role.name() + ": path is " + livePath + " on the target but "
                    + plan.sensitive().mask(role.path()) + " in the manifests; IAM cannot change a role's path. Give"
                    + " the role a new name to replace it, or set path back to the live one");
        }
        if (!PolicyDocuments.equivalent(current.assumeRolePolicy(), role.assumeRolePolicy())) {
            plan.add(
                    key,
                    new RoleOperations.UpdateAssumeRolePolicy(
                            role.name(),
                            role.assumeRolePolicy(),
                            List.of(FieldChange.change(
                                    "assumeRolePolicyDocument",
                                    PolicyDocuments.canonical(current.assumeRolePolicy()),
                                    PolicyDocuments.canonical(role.assumeRolePolicy())))));
        }
        List<FieldChange> settings = new ArrayList<>();
        if (!current.description().equals(role.description())) {
            settings.add(FieldChange.change(
                    "description", FieldChange.quoted(current.description()), FieldChange.quoted(role.description())));
        }
        if (current.maxSessionDuration() != role.maxSessionDuration()) {
            settings.add(FieldChange.change(
                    "maxSessionDuration",
                    String.valueOf(current.maxSessionDuration()),
                    String.valueOf(role.maxSessionDuration())));
        }
        if (!settings.isEmpty()) {
            plan.add(
                    key,
                    new RoleOperations.UpdateRole(
                            role.name(), role.description(), role.maxSessionDuration(), settings));
        }
        if (!current.permissionsBoundary().equals(role.permissionsBoundary())) {
            if (role.permissionsBoundary().isPresent()) {
                String boundary = role.permissionsBoundary().get();
                plan.add(
                        key,
                        new RoleOperations.PutPermissionsBoundary(
                                role.name(),
                                boundary,
                                List.of(new FieldChange(
                                        "permissionsBoundary", current.permissionsBoundary(), Optional.of(boundary)))));
            } else {
                plan.add(
                        key,
                        new RoleOperations.DeletePermissionsBoundary(
                                role.name(),
                                List.of(FieldChange.remove(
                                        "permissionsBoundary",
                                        current.permissionsBoundary().get()))));
            }
        }
        Tagging.plan(key, current.tags(), tags, plan);
        role.inlinePolicies().forEach((name, document) -> {
            String existing = current.inlinePolicies().get(name);
            if (existing == null) {
                plan.add(key, putPolicy(role.name(), name, document, Optional.empty()));
            } else if (!PolicyDocuments.equivalent(existing, document)) {
                plan.add(key, putPolicy(role.name(), name, document, Optional.of(existing)));
            }
        });
        for (String arn : role.managedPolicyArns()) {
            if (!current.managedPolicyArns().contains(arn)) {
                plan.add(key, new RoleOperations.AttachRolePolicy(role.name(), arn));
            }
        }
        for (String arn : current.managedPolicyArns()) {
            if (!role.managedPolicyArns().contains(arn)) {
                plan.add(key, new RoleOperations.DetachRolePolicy(role.name(), arn));
            }
        }
        for (String name : current.inlinePolicies().keySet()) {
            if (!role.inlinePolicies().containsKey(name)) {
                plan.add(key, new RoleOperations.DeleteRolePolicy(role.name(), name));
            }
        }
    }

    private static void planCreate(Role role, SortedMap<String, String> tags, ResourceKey key, PlanBuilder plan) {
        List<FieldChange> changes = new ArrayList<>();
        changes.add(FieldChange.set("path", role.path()));
        if (!role.description().isEmpty()) {
            changes.add(FieldChange.set("description", FieldChange.quoted(role.description())));
        }
        changes.add(FieldChange.set("assumeRolePolicyDocument", PolicyDocuments.canonical(role.assumeRolePolicy())));
        changes.add(FieldChange.set("maxSessionDuration", String.valueOf(role.maxSessionDuration())));
        role.permissionsBoundary().ifPresent(b -> changes.add(FieldChange.set("permissionsBoundary", b)));
        tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
        plan.add(
                key,
                new RoleOperations.CreateRole(
                        new NewRole(
                                role.name(),
                                role.path(),
                                role.description(),
                                role.assumeRolePolicy(),
                                role.maxSessionDuration(),
                                role.permissionsBoundary(),
                                tags),
                        changes));
        role.inlinePolicies()
                .forEach((name, document) -> plan.add(key, putPolicy(role.name(), name, document, Optional.empty())));
        role.managedPolicyArns().forEach(arn -> plan.add(key, new RoleOperations.AttachRolePolicy(role.name(), arn)));
    }

    private static RoleOperations.PutRolePolicy putPolicy(
            String role, String name, String document, Optional<String> existing) {
        FieldChange change = existing.isEmpty()
                ? FieldChange.set("document", PolicyDocuments.canonical(document))
                : FieldChange.change(
                        "document", PolicyDocuments.canonical(existing.get()), PolicyDocuments.canonical(document));
        return new RoleOperations.PutRolePolicy(role, name, document, List.of(change));
    }

    /** Detaches and deletes the role's policies, then deletes it, once every function operation is done. */
    @Override
    public void prune(String name, Optional<RoleState> live, PlanBuilder plan) {
        if (live.isEmpty()) {
            return;
        }
        ResourceKey key = key(name);
        List<Integer> afterFunctions = plan.operationsAbove(KIND);
        boolean first = true;
        for (String arn : live.get().managedPolicyArns()) {
            plan.add(key, new RoleOperations.DetachRolePolicy(name, arn), first ? afterFunctions : List.of());
            first = false;
        }
        for (String policy : live.get().inlinePolicies().keySet()) {
            plan.add(key, new RoleOperations.DeleteRolePolicy(name, policy), first ? afterFunctions : List.of());
            first = false;
        }
        plan.add(key, new RoleOperations.DeleteRole(name), first ? afterFunctions : List.of());
    }
}
