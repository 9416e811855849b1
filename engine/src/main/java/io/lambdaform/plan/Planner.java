package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.NewRole;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.diff.FunctionFields;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.model.Function;
import io.lambdaform.model.ResourceKey;
import io.lambdaform.model.ResourceType;
import io.lambdaform.model.Role;
import io.lambdaform.model.RoleRef;
import io.lambdaform.model.Sensitive;
import io.lambdaform.model.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Diffs the desired stack against the live target and orders the operations: each role's create and updates, then
 * its policies; then the functions that use it; deletions in reverse (functions before roles, a role's policies
 * before the role). Operations of one resource run one after another; different resources may run in parallel.
 */
public final class Planner {
    /**
     * The plan that makes the target match {@code desired}, computed from {@code live} alone (no I/O);
     * {@code adopt} names resources to take over.
     */
    public Plan plan(Stack desired, LiveState live, Set<String> adopt) {
        requireNonNull(desired, "desired is null");
        requireNonNull(live, "live is null");
        Builder plan = new Builder();
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, Integer> lastRoleOp = new TreeMap<>();
        LiveFingerprint fingerprint = new LiveFingerprint(desired.sensitive());
        Set<ResourceKey> hidden = new TreeSet<>();
        Set<ResourceKey> marked = new TreeSet<>();

        for (Role role : desired.roles()) {
            Optional<RoleState> current = live.role(role.name());
            fingerprint.role(role.name(), current);
            current.filter(r -> r.tags().containsKey(Stack.SENSITIVE_TAG))
                    .ifPresent(r -> hidden.add(ResourceKey.role(role.name())));
            if (current.isPresent()
                    && !owned(
                            desired.name(),
                            current.get().tags(),
                            role.name(),
                            adopt,
                            conflicts,
                            ResourceKey.role(role.name()))) {
                continue;
            }
            int before = plan.size();
            planRole(desired, role, current, plan, marked);
            if (plan.size() > before) {
                lastRoleOp.put(role.name(), plan.size() - 1);
            }
        }

        for (Function function : desired.functions()) {
            Optional<FunctionState> current = live.function(function.name());
            fingerprint.function(function, current);
            current.filter(f -> f.tags().containsKey(Stack.SENSITIVE_TAG))
                    .ifPresent(f -> hidden.add(ResourceKey.function(function.name())));
            ResourceKey key = ResourceKey.function(function.name());
            if (current.isPresent()
                    && !owned(desired.name(), current.get().tags(), function.name(), adopt, conflicts, key)) {
                continue;
            }
            List<Integer> roleDependency = new ArrayList<>();
            if (function.role() instanceof RoleRef.StackRole stackRole && lastRoleOp.containsKey(stackRole.name())) {
                roleDependency.add(lastRoleOp.get(stackRole.name()));
            }
            planFunction(desired, function, current, live, plan, roleDependency, marked);
        }

        planPrune(desired, live, plan, fingerprint, hidden);
        return new Plan(
                desired.name(),
                live.target(),
                plan.operations,
                conflicts,
                fingerprint.digests(),
                desired.sensitive(),
                hidden,
                marked);
    }

    /** The plan that deletes every resource of the stack, computed from {@code live} alone. */
    public Plan planDestroy(String stackName, LiveState live) {
        Stack empty = Stack.empty(stackName);
        Builder plan = new Builder();
        LiveFingerprint fingerprint = new LiveFingerprint(Sensitive.NONE);
        Set<ResourceKey> hidden = new TreeSet<>();
        planPrune(empty, live, plan, fingerprint, hidden);
        return new Plan(
                stackName,
                live.target(),
                plan.operations,
                List.of(),
                fingerprint.digests(),
                Sensitive.NONE,
                hidden,
                Set.of());
    }

    private static boolean owned(
            String stack,
            Map<String, String> tags,
            String name,
            Set<String> adopt,
            List<Conflict> conflicts,
            ResourceKey key) {
        String owner = tags.get(Stack.OWNER_TAG);
        if (stack.equals(owner) || adopt.contains(name)) {
            return true;
        }
        conflicts.add(new Conflict(key, Optional.ofNullable(owner)));
        return false;
    }

    private static void planRole(
            Stack stack, Role role, Optional<RoleState> live, Builder plan, Set<ResourceKey> marked) {
        ResourceKey key = ResourceKey.role(role.name());
        SortedMap<String, String> tags = new TreeMap<>(stack.resourceTags(role.tags()));
        List<String> values = new ArrayList<>(List.of(role.path(), role.description(), role.assumeRolePolicy()));
        values.addAll(role.inlinePolicies().values());
        values.addAll(role.managedPolicyArns());
        role.permissionsBoundary().ifPresent(values::add);
        markSensitive(stack.sensitive(), tags, values, key, marked);
        if (live.isEmpty()) {
            List<FieldChange> changes = new ArrayList<>();
            changes.add(FieldChange.set("path", role.path()));
            if (!role.description().isEmpty()) {
                changes.add(FieldChange.set("description", FunctionFields.quoted(role.description())));
            }
            changes.add(
                    FieldChange.set("assumeRolePolicyDocument", PolicyDocuments.canonical(role.assumeRolePolicy())));
            changes.add(FieldChange.set("maxSessionDuration", String.valueOf(role.maxSessionDuration())));
            role.permissionsBoundary().ifPresent(b -> changes.add(FieldChange.set("permissionsBoundary", b)));
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            plan.chain(
                    key,
                    new Operation.CreateRole(
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
                    .forEach((name, document) -> plan.chain(
                            key,
                            new Operation.PutRolePolicy(
                                    role.name(),
                                    name,
                                    document,
                                    List.of(FieldChange.set("document", PolicyDocuments.canonical(document))))));
            role.managedPolicyArns().forEach(arn -> plan.chain(key, new Operation.AttachRolePolicy(role.name(), arn)));
            return;
        }
        RoleState current = live.get();
        if (!current.path().equals(role.path())) {
            String livePath = current.tags().containsKey(Stack.SENSITIVE_TAG)
                    ? "(not shown: the role held sensitive" + " values)"
                    : current.path();
            throw LambdaformException.user("role " + role.name() + ": path is " + livePath + " on the target but "
                    + stack.sensitive().mask(role.path()) + " in the manifests; IAM cannot change a role's path. Give"
                    + " the role a new name to replace it, or set path back to the live one");
        }
        if (!PolicyDocuments.equivalent(current.assumeRolePolicy(), role.assumeRolePolicy())) {
            plan.chain(
                    key,
                    new Operation.UpdateAssumeRolePolicy(
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
                    "description",
                    FunctionFields.quoted(current.description()),
                    FunctionFields.quoted(role.description())));
        }
        if (current.maxSessionDuration() != role.maxSessionDuration()) {
            settings.add(FieldChange.change(
                    "maxSessionDuration",
                    String.valueOf(current.maxSessionDuration()),
                    String.valueOf(role.maxSessionDuration())));
        }
        if (!settings.isEmpty()) {
            plan.chain(
                    key,
                    new Operation.UpdateRole(role.name(), role.description(), role.maxSessionDuration(), settings));
        }
        if (!current.permissionsBoundary().equals(role.permissionsBoundary())) {
            if (role.permissionsBoundary().isPresent()) {
                String boundary = role.permissionsBoundary().get();
                plan.chain(
                        key,
                        new Operation.PutPermissionsBoundary(
                                role.name(),
                                boundary,
                                List.of(new FieldChange(
                                        "permissionsBoundary", current.permissionsBoundary(), Optional.of(boundary)))));
            } else {
                plan.chain(
                        key,
                        new Operation.DeletePermissionsBoundary(
                                role.name(),
                                List.of(FieldChange.remove(
                                        "permissionsBoundary",
                                        current.permissionsBoundary().get()))));
            }
        }
        planTags(key, current.tags(), tags, plan);
        role.inlinePolicies().forEach((name, document) -> {
            String existing = current.inlinePolicies().get(name);
            if (existing == null) {
                plan.chain(
                        key,
                        new Operation.PutRolePolicy(
                                role.name(),
                                name,
                                document,
                                List.of(FieldChange.set("document", PolicyDocuments.canonical(document)))));
            } else if (!PolicyDocuments.equivalent(existing, document)) {
                plan.chain(
                        key,
                        new Operation.PutRolePolicy(
                                role.name(),
                                name,
                                document,
                                List.of(FieldChange.change(
                                        "document",
                                        PolicyDocuments.canonical(existing),
                                        PolicyDocuments.canonical(document)))));
            }
        });
        for (String arn : role.managedPolicyArns()) {
            if (!current.managedPolicyArns().contains(arn)) {
                plan.chain(key, new Operation.AttachRolePolicy(role.name(), arn));
            }
        }
        for (String arn : current.managedPolicyArns()) {
            if (!role.managedPolicyArns().contains(arn)) {
                plan.chain(key, new Operation.DetachRolePolicy(role.name(), arn));
            }
        }
        for (String name : current.inlinePolicies().keySet()) {
            if (!role.inlinePolicies().containsKey(name)) {
                plan.chain(key, new Operation.DeleteRolePolicy(role.name(), name));
            }
        }
    }

    private static void planFunction(
            Stack stack,
            Function function,
            Optional<FunctionState> live,
            LiveState state,
            Builder plan,
            List<Integer> roleDependency,
            Set<ResourceKey> marked) {
        ResourceKey key = ResourceKey.function(function.name());
        String roleArn = function.role() instanceof RoleRef.External external
                ? external.arn()
                : state.roleArn(((RoleRef.StackRole) function.role()).name());
        SortedMap<String, String> tags = new TreeMap<>(stack.resourceTags(function.tags()));
        DeploymentPackage code = state.code(function.code());
        String codeSha256 = code.codeSha256();
        SortedMap<String, String> desiredFields = FunctionFields.of(roleArn, function.settings());
        markSensitive(
                stack.sensitive(),
                tags,
                function.secretEnvironmentKeys().isEmpty() ? desiredFields.values() : List.of(Sensitive.MASK),
                key,
                marked);
        if (live.isEmpty()) {
            List<FieldChange> changes =
                    new ArrayList<>(FunctionFields.diff(Map.of(), desiredFields, function.secretEnvironmentKeys()));
            changes.add(FieldChange.set("codeSha256", codeSha256));
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            SortedMap<String, String> withCodeTags = new TreeMap<>(tags);
            withCodeTags.putAll(codeTags(code));
            plan.chain(
                    key,
                    new Operation.CreateFunction(
                            function.name(),
                            roleArn,
                            function.settings(),
                            function.code(),
                            codeSha256,
                            withCodeTags,
                            changes),
                    roleDependency);
            return;
        }
        FunctionState current = live.get();
        List<FieldChange> changes = new ArrayList<>(FunctionFields.diff(
                FunctionFields.of(current.roleArn(), current.settings()),
                desiredFields,
                function.secretEnvironmentKeys()));
        // Lambda changes the architectures only together with the code.
        List<FieldChange> codeChanges = new ArrayList<>();
        changes.removeIf(c -> c.field().equals(FunctionFields.ARCHITECTURES) && codeChanges.add(c));
        if (!sameCode(current, code)) {
            codeChanges.add(0, FieldChange.change("codeSha256", current.codeSha256(), codeSha256));
        }
        if (!changes.isEmpty()) {
            plan.chain(
                    key,
                    new Operation.UpdateFunctionConfiguration(function.name(), roleArn, function.settings(), changes),
                    roleDependency);
        }
        if (!codeChanges.isEmpty()) {
            plan.chain(
                    key,
                    new Operation.UpdateFunctionCode(
                            function.name(),
                            function.code(),
                            codeSha256,
                            code.sourceSha256(),
                            function.settings().architectures(),
                            codeChanges),
                    roleDependency);
        }
        planTags(key, current.tags(), tags, plan);
    }

    /**
     * Adds {@link Stack#SENSITIVE_TAG} to a resource's tags when any of its values (or its tags) holds a sensitive
     * value, so that later plans never show its live values, even once the manifests stop marking them.
     */
    private static void markSensitive(
            Sensitive sensitive,
            SortedMap<String, String> tags,
            Collection<String> values,
            ResourceKey key,
            Set<ResourceKey> marked) {
        boolean holds = values.contains(Sensitive.MASK)
                || values.stream().anyMatch(sensitive::appearsIn)
                || tags.values().stream().anyMatch(sensitive::appearsIn);
        if (holds) {
            tags.put(Stack.SENSITIVE_TAG, "true");
            marked.add(key);
        }
    }

    /** The tags that record which package Lambdaform uploaded. */
    public static SortedMap<String, String> codeTags(DeploymentPackage code) {
        return new TreeMap<>(Map.of(Stack.SOURCE_TAG, code.sourceSha256(), Stack.CODE_TAG, code.codeSha256()));
    }

    /**
     * Whether the live code is the local package. The zip's bytes can differ between machines (deflate
     * implementations differ), so the code is also the same when the live function still runs the package
     * Lambdaform uploaded (its CodeSha256 matches the recorded one) and that package held the same contents.
     * Code replaced out of band no longer matches the recorded CodeSha256, and is planned back.
     */
    static boolean sameCode(FunctionState live, DeploymentPackage local) {
        if (live.codeSha256().equals(local.codeSha256())) {
            return true;
        }
        return live.codeSha256().equals(live.tags().get(Stack.CODE_TAG))
                && local.sourceSha256().equals(live.tags().get(Stack.SOURCE_TAG));
    }

    private static void planTags(ResourceKey key, Map<String, String> live, Map<String, String> desired, Builder plan) {
        SortedMap<String, String> set = new TreeMap<>();
        List<FieldChange> setChanges = new ArrayList<>();
        desired.forEach((k, v) -> {
            String current = live.get(k);
            if (!v.equals(current)) {
                set.put(k, v);
                setChanges.add(new FieldChange("tags." + k, Optional.ofNullable(current), Optional.of(v)));
            }
        });
        TreeSet<String> remove = new TreeSet<>();
        List<FieldChange> removeChanges = new ArrayList<>();
        live.forEach((k, v) -> {
            boolean system = k.startsWith("aws:") || k.equals(Stack.SOURCE_TAG) || k.equals(Stack.CODE_TAG);
            if (!desired.containsKey(k) && !system) {
                remove.add(k);
                removeChanges.add(FieldChange.remove("tags." + k, v));
            }
        });
        if (!set.isEmpty()) {
            plan.chain(key, new Operation.TagResource(key, set, setChanges));
        }
        if (!remove.isEmpty()) {
            plan.chain(key, new Operation.UntagResource(key, remove, removeChanges));
        }
    }

    /** Deletes what carries this stack's tag but is no longer declared: functions first, then roles. */
    private static void planPrune(
            Stack desired, LiveState state, Builder plan, LiveFingerprint fingerprint, Set<ResourceKey> hidden) {
        StackInventory inventory = state.inventory();
        fingerprint.inventory(inventory);
        List<Integer> functionDeletes = new ArrayList<>();
        for (String name : inventory.functionNames()) {
            functionDeletes.add(plan.chain(ResourceKey.function(name), new Operation.DeleteFunction(name)));
        }
        List<Integer> allFunctionOps = new ArrayList<>();
        for (PlannedOperation op : plan.operations) {
            if (op.operation().key().type() == ResourceType.FUNCTION) {
                allFunctionOps.add(op.id());
            }
        }
        for (String name : inventory.roleNames()) {
            Optional<RoleState> live = state.role(name);
            fingerprint.role(name, live);
            if (live.isEmpty() || !desired.name().equals(live.get().tags().get(Stack.OWNER_TAG))) {
                continue;
            }
            ResourceKey key = ResourceKey.role(name);
            if (live.get().tags().containsKey(Stack.SENSITIVE_TAG)) {
                hidden.add(key);
            }
            boolean first = true;
            for (String arn : live.get().managedPolicyArns()) {
                plan.chain(key, new Operation.DetachRolePolicy(name, arn), first ? allFunctionOps : List.of());
                first = false;
            }
            for (String policy : live.get().inlinePolicies().keySet()) {
                plan.chain(key, new Operation.DeleteRolePolicy(name, policy), first ? allFunctionOps : List.of());
                first = false;
            }
            plan.chain(key, new Operation.DeleteRole(name), first ? allFunctionOps : List.of());
        }
    }

    /** Appends operations, making each depend on the previous operation of the same resource. */
    private static final class Builder {
        private final List<PlannedOperation> operations = new ArrayList<>();
        private final Map<ResourceKey, Integer> last = new TreeMap<>();

        int size() {
            return operations.size();
        }

        int chain(ResourceKey key, Operation operation) {
            return chain(key, operation, List.of());
        }

        int chain(ResourceKey key, Operation operation, List<Integer> extraDependencies) {
            int id = operations.size();
            List<Integer> dependsOn = new ArrayList<>(extraDependencies);
            Integer previous = last.get(key);
            if (previous != null) {
                dependsOn.add(previous);
            }
            operations.add(new PlannedOperation(id, operation, dependsOn));
            last.put(key, id);
            return id;
        }
    }
}
