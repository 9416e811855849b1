package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.cloud.TargetDescription;
import io.lambdaform.model.CodeSource;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a plan is computed from besides the desired stack, read before planning ({@link LiveReader}) so that
 * the {@link Planner} is a function of records.
 *
 * @param roles the live state of every declared role and of every role in the inventory; empty when absent
 * @param functions the live state of every declared function; empty when absent
 * @param roleArns the ARN each declared role has (or will have) on the target
 * @param packages the deployment package of every declared function's code
 */
public record LiveState(
        TargetDescription target,
        Map<String, Optional<RoleState>> roles,
        Map<String, Optional<FunctionState>> functions,
        StackInventory inventory,
        Map<String, String> roleArns,
        Map<CodeSource, DeploymentPackage> packages) {
    public LiveState {
        requireNonNull(target, "target is null");
        roles = Map.copyOf(roles);
        functions = Map.copyOf(functions);
        requireNonNull(inventory, "inventory is null");
        roleArns = Map.copyOf(roleArns);
        packages = Map.copyOf(packages);
    }

    Optional<RoleState> role(String name) {
        return require(roles, name, "role");
    }

    Optional<FunctionState> function(String name) {
        return require(functions, name, "function");
    }

    String roleArn(String name) {
        return require(roleArns, name, "role ARN");
    }

    DeploymentPackage code(CodeSource source) {
        return require(packages, source, "package");
    }

    private static <K, V> V require(Map<K, V> map, K key, String what) {
        V value = map.get(key);
        if (value == null) {
            throw new IllegalStateException("no " + what + " was read for " + key);
        }
        return value;
    }
}
