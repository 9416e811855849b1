package io.lambdaform.plan;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.model.Function;
import io.lambdaform.model.Role;
import io.lambdaform.model.Stack;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Reads the live state of every declared role and function a few at a time, since each read is a round trip to the
 * target; the planner then consumes the results in its own (deterministic) order.
 */
final class LiveReads {
    static final int PARALLELISM = 4;

    private final Map<String, CompletableFuture<Optional<RoleState>>> roles = new HashMap<>();
    private final Map<String, CompletableFuture<Optional<FunctionState>>> functions = new HashMap<>();

    private LiveReads() {}

    static LiveReads start(CloudProvider cloud, Stack desired) {
        LiveReads reads = new LiveReads();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM, r -> {
            Thread thread = new Thread(r, "lambdaform-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (Role role : desired.roles()) {
                reads.roles.put(role.name(), CompletableFuture.supplyAsync(() -> cloud.findRole(role.name()), pool));
            }
            for (Function function : desired.functions()) {
                reads.functions.put(function.name(),
                        CompletableFuture.supplyAsync(() -> cloud.findFunction(function.name()), pool));
            }
        } finally {
            pool.shutdown();
        }
        return reads;
    }

    Optional<RoleState> role(String name) {
        return join(roles.get(name));
    }

    Optional<FunctionState> function(String name) {
        return join(functions.get(name));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof LambdaformException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
