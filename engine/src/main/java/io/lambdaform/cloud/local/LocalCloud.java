package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.InvocationResult;
import io.lambdaform.cloud.NewFunction;
import io.lambdaform.cloud.NewRole;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.cloud.TargetDescription;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.model.FunctionSettings;
import io.lambdaform.model.Stack;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The embedded local cloud: a persistent stand-in for IAM and Lambda in a folder, with no account and no Docker. It
 * refuses what AWS refuses where the engine relies on it (duplicate names, a role Lambda cannot assume, deleting a
 * role that still has policies) and runs handlers for real with the machine's python3 or node.
 */
public final class LocalCloud implements CloudProvider {
    /** The account id of every local ARN. */
    public static final String ACCOUNT_ID = "000000000000";

    private final LocalStateStore store;
    private final ProgressListener progress;
    private final LocalRuntime runtime;
    private final String region;

    public LocalCloud(LocalCloudConfig config) {
        this(config, ProgressListener.NONE);
    }

    /** @param progress where this run's waits (for the stack's lock) are reported */
    public LocalCloud(LocalCloudConfig config, ProgressListener progress) {
        this.progress = requireNonNull(progress, "progress is null");
        requireNonNull(config, "config is null");
        this.store = new LocalStateStore(config.stateDir());
        this.region = config.region();
        this.runtime = new LocalRuntime(config);
    }

    @Override
    public TargetDescription describe() {
        return new TargetDescription("local", "state in " + store.root(), ACCOUNT_ID, region);
    }

    @Override
    public String roleArn(String path, String name) {
        return "arn:aws:iam::" + ACCOUNT_ID + ":role" + path + name;
    }

    private String functionArn(String name) {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + name;
    }

    @Override
    public Optional<RoleState> findRole(String name) {
        return Optional.ofNullable(store.read().roles().get(name));
    }

    @Override
    public Optional<FunctionState> findFunction(String name) {
        return Optional.ofNullable(store.read().functions().get(name));
    }

    @Override
    public StackInventory inventory(String stackName, Set<String> exceptRoles, Set<String> exceptFunctions) {
        LocalState state = store.read();
        TreeSet<String> roles = new TreeSet<>();
        state.roles().forEach((name, role) -> {
            if (!exceptRoles.contains(name) && stackName.equals(role.tags().get(Stack.OWNER_TAG))) {
                roles.add(name);
            }
        });
        TreeSet<String> functions = new TreeSet<>();
        state.functions().forEach((name, function) -> {
            if (!exceptFunctions.contains(name)
                    && stackName.equals(function.tags().get(Stack.OWNER_TAG))) {
                functions.add(name);
            }
        });
        return new StackInventory(roles, functions);
    }

    @Override
    public StackLock lock(String stackName, Duration timeout) {
        store.ensureRoot();
        return LocalStackLock.acquire(
                store.root().resolve("locks").resolve(stackName + ".lock"), stackName, timeout, progress);
    }

    /** OS file locks die with their holder, so there is never a stale local lock to break. */
    @Override
    public Optional<String> forceUnlock(String stackName) {
        try (StackLock probe = lock(stackName, Duration.ZERO)) {
            return Optional.empty();
        }
    }

    @Override
    public RoleState createRole(NewRole role) {
        RoleState created = RoleState.created(
                role, roleArn(role.path(), role.name()), PolicyDocuments.decode(role.assumeRolePolicy()));
        store.update(state -> {
            if (state.roles().containsKey(role.name())) {
                throw refused("EntityAlreadyExists", "Role with name " + role.name() + " already exists.");
            }
            state.roles().put(role.name(), created);
            return state;
        });
        return created;
    }

    @Override
    public void updateRole(String name, String description, int maxSessionDuration) {
        updateRoleState(name, r -> r.withDescription(description, maxSessionDuration));
    }

    @Override
    public void updateAssumeRolePolicy(String name, String policyDocument) {
        updateRoleState(name, r -> r.withAssumeRolePolicy(PolicyDocuments.decode(policyDocument)));
    }

    @Override
    public void putPermissionsBoundary(String name, String policyArn) {
        updateRoleState(name, r -> r.withPermissionsBoundary(Optional.of(policyArn)));
    }

    @Override
    public void deletePermissionsBoundary(String name) {
        updateRoleState(name, r -> r.withPermissionsBoundary(Optional.empty()));
    }

    @Override
    public void attachRolePolicy(String roleName, String policyArn) {
        updateRoleState(roleName, r -> {
            TreeSet<String> arns = new TreeSet<>(r.managedPolicyArns());
            arns.add(policyArn);
            return r.withPolicies(arns, new TreeMap<>(r.inlinePolicies()));
        });
    }

    @Override
    public void detachRolePolicy(String roleName, String policyArn) {
        updateRoleState(roleName, r -> {
            if (!r.managedPolicyArns().contains(policyArn)) {
                throw refused("NoSuchEntity", "Policy " + policyArn + " was not found.");
            }
            TreeSet<String> arns = new TreeSet<>(r.managedPolicyArns());
            arns.remove(policyArn);
            return r.withPolicies(arns, new TreeMap<>(r.inlinePolicies()));
        });
    }

    @Override
    public void putRolePolicy(String roleName, String policyName, String policyDocument) {
        updateRoleState(roleName, r -> {
            TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
            inline.put(policyName, PolicyDocuments.decode(policyDocument));
            return r.withPolicies(new TreeSet<>(r.managedPolicyArns()), inline);
        });
    }

    @Override
    public void deleteRolePolicy(String roleName, String policyName) {
        updateRoleState(roleName, r -> {
            if (!r.inlinePolicies().containsKey(policyName)) {
                throw refused("NoSuchEntity", "The role policy with name " + policyName + " cannot be found.");
            }
            TreeMap<String, String> inline = new TreeMap<>(r.inlinePolicies());
            inline.remove(policyName);
            return r.withPolicies(new TreeSet<>(r.managedPolicyArns()), inline);
        });
    }

    @Override
    public void tagRole(String name, Map<String, String> tags) {
        updateRoleState(name, r -> r.withTags(Tags.merge(r.tags(), tags)));
    }

    @Override
    public void untagRole(String name, Collection<String> tagKeys) {
        updateRoleState(name, r -> r.withTags(Tags.without(r.tags(), tagKeys)));
    }

    @Override
    public void deleteRole(String name) {
        store.update(state -> {
            RoleState role = state.roles().get(name);
            if (role == null) {
                throw refused("NoSuchEntity", "The role with name " + name + " cannot be found.");
            }
            if (!role.managedPolicyArns().isEmpty() || !role.inlinePolicies().isEmpty()) {
                throw refused("DeleteConflict", "Cannot delete entity, must detach all policies first.");
            }
            state.roles().remove(name);
            return state;
        });
    }

    private void updateRoleState(String name, UnaryOperator<RoleState> change) {
        store.update(state -> {
            RoleState role = state.roles().get(name);
            if (role == null) {
                throw refused("NoSuchEntity", "The role with name " + name + " cannot be found.");
            }
            state.roles().put(name, change.apply(role));
            return state;
        });
    }

    @Override
    public FunctionState createFunction(NewFunction function) {
        String hex = hex(function.code().codeSha256());
        store.storeCode(hex, function.code().zip());
        FunctionState created = new FunctionState(
                function.name(),
                functionArn(function.name()),
                function.roleArn(),
                function.settings(),
                function.code().codeSha256(),
                function.code().size(),
                function.tags(),
                "Active",
                "Successful");
        store.update(state -> {
            if (state.functions().containsKey(function.name())) {
                throw refused("ResourceConflictException", "Function already exist: " + function.name());
            }
            requireAssumableRole(state, function.roleArn());
            state.functions().put(function.name(), created);
            return state;
        });
        return created;
    }

    @Override
    public void updateFunctionCode(String name, DeploymentPackage code, List<String> architectures) {
        store.storeCode(hex(code.codeSha256()), code.zip());
        updateFunctionState(
                name,
                f -> f.withCode(code.codeSha256(), code.size(), f.settings().withArchitectures(architectures)));
    }

    @Override
    public void updateFunctionConfiguration(String name, String roleArn, FunctionSettings settings) {
        store.update(state -> {
            FunctionState f = state.functions().get(name);
            if (f == null) {
                throw notFound(name);
            }
            requireAssumableRole(state, roleArn);
            state.functions().put(name, f.withConfiguration(roleArn, settings.appliedTo(f.settings())));
            return state;
        });
    }

    @Override
    public void tagFunction(String name, Map<String, String> tags) {
        updateFunctionState(name, f -> f.withTags(Tags.merge(f.tags(), tags)));
    }

    @Override
    public void untagFunction(String name, Collection<String> tagKeys) {
        updateFunctionState(name, f -> f.withTags(Tags.without(f.tags(), tagKeys)));
    }

    @Override
    public void deleteFunction(String name) {
        store.update(state -> {
            if (state.functions().remove(name) == null) {
                throw notFound(name);
            }
            return state;
        });
    }

    @Override
    public InvocationResult invoke(String functionName, String event) {
        FunctionState function = findFunction(functionName).orElseThrow(() -> notFound(functionName));
        return runtime.invoke(function, store.codePath(hex(function.codeSha256())), event);
    }

    private void updateFunctionState(String name, UnaryOperator<FunctionState> change) {
        store.update(state -> {
            FunctionState function = state.functions().get(name);
            if (function == null) {
                throw notFound(name);
            }
            state.functions().put(name, change.apply(function));
            return state;
        });
    }

    /** Lambda refuses a role that does not exist or whose trust policy does not let lambda.amazonaws.com in. */
    private static void requireAssumableRole(LocalState state, String roleArn) {
        RoleState role = state.roles().values().stream()
                .filter(r -> r.arn().equals(roleArn))
                .findFirst()
                .orElse(null);
        if (role == null || !TrustPolicies.allowsService(role.assumeRolePolicy(), "lambda.amazonaws.com")) {
            throw refused(
                    "InvalidParameterValueException",
                    "The role defined for the function cannot be assumed by"
                            + " Lambda. (" + roleArn
                            + (role == null
                                    ? " does not exist in the local cloud"
                                    : " does not trust lambda.amazonaws.com")
                            + ")");
        }
    }

    private static LambdaformException notFound(String name) {
        return refused("ResourceNotFoundException", "Function not found: " + name);
    }

    private static LambdaformException refused(String code, String message) {
        return LambdaformException.external("local cloud refused: " + code + ": " + message);
    }

    static String hex(String base64Sha256) {
        return HexFormat.of().formatHex(Base64.getDecoder().decode(base64Sha256));
    }
}
