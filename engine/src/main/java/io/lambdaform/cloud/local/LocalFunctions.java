package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.resource.DeploymentPackage;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The {@link Functions} port in the local cloud: functions kept in the state's "functions" section, their packages
 * in the code folder, run for real by {@link LocalRuntime}. It refuses what Lambda refuses where the engine relies
 * on it: a duplicate name, a role Lambda cannot assume, a function that does not exist.
 */
public final class LocalFunctions implements Functions {
    static final LocalState.Section<FunctionState> SECTION =
            new LocalState.Section<>("functions", "function", FunctionState.class);
    private static final SortedMap<String, JsonNode> EMPTY = new TreeMap<>();

    private final LocalCloud cloud;
    /** Whether this process removed every package no function runs yet. */
    private final AtomicBoolean swept = new AtomicBoolean();

    @Inject
    public LocalFunctions(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    @Override
    public Optional<FunctionState> findFunction(String name) {
        return cloud.store().read().get(SECTION, name);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return cloud.store().read().ownedBy(SECTION, stackName, except, FunctionState::tags);
    }

    @Override
    public FunctionState createFunction(NewFunction function) {
        String hex = LocalCloud.hex(function.code().codeSha256());
        cloud.store().storeCode(hex, function.code().zip());
        FunctionState created = new FunctionState(
                function.name(),
                cloud.functionArn(function.name()),
                function.roleArn(),
                function.settings(),
                function.code().codeSha256(),
                function.code().size(),
                function.tags(),
                "Active",
                "Successful");
        cloud.store().update(state -> {
            if (state.get(SECTION, function.name()).isPresent()) {
                throw LocalCloud.refused("ResourceConflictException", "Function already exist: " + function.name());
            }
            requireAssumableRole(state, function.roleArn());
            // Stored again under the lock when a deletion in another process removed it meanwhile (it is only
            // checked for when it is there).
            cloud.store().storeCode(hex, function.code().zip());
            state.put(SECTION, function.name(), created);
            return state;
        });
        return created;
    }

    @Override
    public void updateFunctionCode(String name, DeploymentPackage code, List<String> architectures) {
        String hex = LocalCloud.hex(code.codeSha256());
        cloud.store().storeCode(hex, code.zip());
        String[] replaced = {""};
        updateFunctionState(name, f -> {
            cloud.store().storeCode(hex, code.zip());
            replaced[0] = f.codeSha256();
            return f.withCode(code.codeSha256(), code.size(), f.settings().withArchitectures(architectures));
        });
        removeUnusedCode(replaced[0]);
    }

    @Override
    public void updateFunctionConfiguration(String name, String roleArn, FunctionSettings settings) {
        cloud.store().update(state -> {
            FunctionState f = state.get(SECTION, name).orElse(null);
            if (f == null) {
                throw notFound(name);
            }
            requireAssumableRole(state, roleArn);
            state.put(SECTION, name, f.withConfiguration(roleArn, settings.appliedTo(f.settings())));
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
        String[] deleted = {""};
        cloud.store().update(state -> {
            deleted[0] = codeSha256(
                    state.sections().getOrDefault(SECTION.name(), EMPTY).get(name));
            if (!state.remove(SECTION, name)) {
                throw notFound(name);
            }
            return state;
        });
        removeUnusedCode(deleted[0]);
        cloud.logs().remove(name);
    }

    /**
     * Removes the stored package a function no longer runs ({@code released}: deleted, by destroy or a prune, or its
     * code replaced), and its extracted copy, when no other function runs it; the first time in a process, every
     * package no function runs (what earlier versions left). Under the state lock, once the change that released it
     * is durable; a package stored for a function that is not recorded yet is stored again under the lock when it is.
     */
    private void removeUnusedCode(String released) {
        cloud.store().update(state -> {
            Set<String> used = new HashSet<>();
            state.sections().getOrDefault(SECTION.name(), EMPTY).values().stream()
                    .map(LocalFunctions::codeSha256)
                    .filter(sha256 -> !sha256.isEmpty())
                    .forEach(sha256 -> used.add(LocalCloud.hex(sha256)));
            if (swept.compareAndSet(false, true)) {
                cloud.store().removeCodeExcept(used);
                cloud.runtime().removePackagesExcept(used);
            } else if (!released.isEmpty() && !used.contains(LocalCloud.hex(released))) {
                cloud.store().removeCode(LocalCloud.hex(released));
                cloud.runtime().removePackage(LocalCloud.hex(released));
            }
            return state;
        });
    }

    /** The CodeSha256 a stored function record names, read as it is (empty for a damaged record). */
    private static String codeSha256(JsonNode record) {
        return record == null ? "" : record.path("codeSha256").asText("");
    }

    /** The stored package the function runs. */
    @Override
    public Optional<byte[]> livePackage(String name) {
        return findFunction(name).flatMap(f -> cloud.store().readCode(LocalCloud.hex(f.codeSha256())));
    }

    /** The local cloud keeps $LATEST only, and runs every invocation while the command waits. */
    @Override
    public InvocationResult invoke(Invocation invocation) {
        String functionName = invocation.function();
        if (invocation.qualifier().filter(q -> !q.equals("$LATEST")).isPresent()) {
            throw LambdaformException.user("the local cloud keeps only $LATEST of " + functionName
                    + ", not versions or aliases: leave out --qualifier "
                    + invocation.qualifier().get()
                    + ", or invoke on --target aws");
        }
        if (invocation.async()) {
            throw LambdaformException.user("the local cloud runs invocations while the command waits, not queued:"
                    + " leave out --async, or invoke on --target aws");
        }
        FunctionState function = findFunction(functionName).orElseThrow(() -> notFound(functionName));
        InvocationResult result = cloud.runtime()
                .invoke(function, cloud.store().codePath(LocalCloud.hex(function.codeSha256())), invocation.event());
        cloud.logs().record(functionName, result);
        return result;
    }

    private void updateFunctionState(String name, UnaryOperator<FunctionState> change) {
        cloud.store().update(state -> {
            FunctionState function = state.get(SECTION, name).orElse(null);
            if (function == null) {
                throw notFound(name);
            }
            state.put(SECTION, name, change.apply(function));
            return state;
        });
    }

    /** Lambda refuses a role that does not exist or whose trust policy does not let lambda.amazonaws.com in. */
    private static void requireAssumableRole(LocalState state, String roleArn) {
        RoleState role = state.all(LocalRoles.SECTION).values().stream()
                .filter(r -> r.arn().equals(roleArn))
                .findFirst()
                .orElse(null);
        if (role == null || !TrustPolicies.allowsService(role.assumeRolePolicy(), "lambda.amazonaws.com")) {
            throw LocalCloud.refused(
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
        return LocalCloud.refused("ResourceNotFoundException", "Function not found: " + name);
    }
}
