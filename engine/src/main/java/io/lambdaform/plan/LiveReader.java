package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Function;
import io.lambdaform.model.Role;
import io.lambdaform.model.Stack;
import io.lambdaform.packaging.CodePackager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Reads everything a plan needs before planning, in one place: the live state of every declared role and function,
 * the stack's inventory and the live state of the roles in it, the role ARNs, and the deployment packages. Reads run
 * {@value #PARALLELISM} at a time (each is a round trip to the target); packaging runs beside them.
 */
public final class LiveReader {
    static final int PARALLELISM = 4;

    private final CloudProvider cloud;
    private final CodePackager packager;

    @Inject
    public LiveReader(CloudProvider cloud, CodePackager packager) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.packager = requireNonNull(packager, "packager is null");
    }

    /** What planning {@code desired} needs. */
    public LiveState read(Stack desired) {
        ExecutorService pool = pool();
        try {
            Map<String, CompletableFuture<Optional<RoleState>>> roles = new HashMap<>();
            Map<String, CompletableFuture<Optional<FunctionState>>> functions = new HashMap<>();
            Map<CodeSource, CompletableFuture<DeploymentPackage>> packages = new HashMap<>();
            Set<String> roleNames = new TreeSet<>();
            Set<String> functionNames = new TreeSet<>();
            for (Role role : desired.roles()) {
                roleNames.add(role.name());
                roles.put(role.name(), async(() -> cloud.findRole(role.name()), pool));
            }
            for (Function function : desired.functions()) {
                functionNames.add(function.name());
                functions.put(function.name(), async(() -> cloud.findFunction(function.name()), pool));
                packages.computeIfAbsent(
                        function.code(), code -> CompletableFuture.supplyAsync(() -> packager.pack(code)));
            }
            CompletableFuture<StackInventory> inventory =
                    async(() -> cloud.inventory(desired.name(), roleNames, functionNames), pool);
            Map<String, String> roleArns = new HashMap<>();
            desired.roles().forEach(r -> roleArns.put(r.name(), cloud.roleArn(r.path(), r.name())));
            StackInventory stackInventory = join(inventory);
            for (String name : stackInventory.roleNames()) {
                roles.computeIfAbsent(name, n -> async(() -> cloud.findRole(n), pool));
            }
            return new LiveState(
                    cloud.describe(), joinAll(roles), joinAll(functions), stackInventory, roleArns, joinAll(packages));
        } finally {
            pool.shutdown();
        }
    }

    /** What planning the deletion of every resource of a stack needs. */
    public LiveState readForDestroy(String stackName) {
        return read(Stack.empty(stackName));
    }

    private static ExecutorService pool() {
        return Executors.newFixedThreadPool(PARALLELISM, r -> {
            Thread thread = new Thread(r, "lambdaform-read");
            thread.setDaemon(true);
            return thread;
        });
    }

    private static <T> CompletableFuture<T> async(Supplier<T> read, ExecutorService pool) {
        return CompletableFuture.supplyAsync(read, pool);
    }

    private static <K, V> Map<K, V> joinAll(Map<K, CompletableFuture<V>> futures) {
        Map<K, V> values = new HashMap<>();
        futures.forEach((key, future) -> values.put(key, join(future)));
        return values;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof LambdaformException cause) {
                throw cause;
            }
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
