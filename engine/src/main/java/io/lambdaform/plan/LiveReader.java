package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Ports;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Reads everything a plan needs before planning, in one place, for every registered kind ({@link Kinds}): the live
 * state of every declared resource, the stack's inventory and the live state of the inventoried resources whose kind
 * prunes from it, while the code is walked and its digest looked up in the cache; then the packages of the resources
 * to create (their zip pass computes their digest too), the digests of the other code, and the deployment packages
 * the kinds need (a function that already runs its code needs none: nothing is compressed). Reads run {@value #PARALLELISM} at a time (each is a round trip to the
 * target); packaging runs beside them.
 */
public final class LiveReader {
    static final int PARALLELISM = 8;

    private final CloudProvider cloud;
    private final Ports ports;
    private final CodePackager packager;

    @Inject
    public LiveReader(CloudProvider cloud, Ports ports, CodePackager packager) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.packager = requireNonNull(packager, "packager is null");
    }

    /** What planning {@code desired} needs, adopting nothing. */
    public LiveState read(Stack desired) {
        return read(desired, Set.of());
    }

    /** What planning {@code desired} needs; {@code adopt} names the resources the plan may take over. */
    public LiveState read(Stack desired, Set<String> adopt) {
        ExecutorService pool = pool();
        try {
            // Linked maps: when several reads fail, the first in kind order is the one reported.
            Map<ResourceKey, CompletableFuture<? extends Optional<?>>> resources = new LinkedHashMap<>();
            Map<ResourceKind<?, ?, ?>, CompletableFuture<SortedSet<String>>> inventories = new LinkedHashMap<>();
            Set<CodeSource> prepared = new HashSet<>();
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                Set<String> declared = new TreeSet<>();
                for (Resource resource : desired.resources(kind)) {
                    declared.add(resource.name());
                    resources.put(
                            new ResourceKey(kind, resource.name()), findDeclared(kind, resource, desired.name(), pool));
                    // Walking the code and finding its digest in the cache does not wait for the target; code
                    // that many functions share is walked once.
                    for (CodeSource code : resource.codeSources()) {
                        if (prepared.add(code)) {
                            pool.execute(() -> packager.prepare(code));
                        }
                    }
                }
                boolean wanted = !declared.isEmpty()
                        || desired.resources().isEmpty()
                        || ports.get(kind.port()).inventoriesWhenNoneDeclared();
                inventories.put(
                        kind,
                        wanted
                                ? inventory(kind, desired.name(), declared, pool)
                                : CompletableFuture.completedFuture(new TreeSet<>()));
            }
            LiveState.Builder live = LiveState.builder(cloud.describe(), Kinds.ALL);
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                SortedSet<String> names = join(inventories.get(kind));
                live.inventory(kind, names);
                if (kind.prunesFromLiveState()) {
                    names.forEach(n -> resources.computeIfAbsent(new ResourceKey(kind, n), k -> find(kind, n, pool)));
                }
            }
            resources.forEach((key, future) -> put(live, key.kind(), key.name(), join(future)));
            // A resource to create needs its package whatever the digest, and zipping computes the digest too.
            Map<CodeSource, CompletableFuture<DeploymentPackage>> packages = new LinkedHashMap<>();
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                for (Resource resource : desired.resources(kind)) {
                    if (join(resources.get(new ResourceKey(kind, resource.name())))
                            .isEmpty()) {
                        for (CodeSource code : resource.codeSources()) {
                            packages.computeIfAbsent(code, c -> async(() -> packager.pack(c), pool));
                        }
                    }
                }
            }
            // The other code is hashed (or its digest found in the cache kept between runs), to tell whether the live
            // resource already runs it.
            Map<CodeSource, CompletableFuture<SourceDigest>> digests = new LinkedHashMap<>();
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                for (Resource resource : desired.resources(kind)) {
                    for (CodeSource code : resource.codeSources()) {
                        if (!packages.containsKey(code)) {
                            digests.computeIfAbsent(code, c -> async(() -> packager.digest(c), pool));
                        }
                    }
                }
            }
            packages.forEach((source, future) -> {
                DeploymentPackage code = join(future);
                live.code(source, code);
                live.source(source, new SourceDigest(code.sourceSha256(), code.unzippedSize()));
            });
            digests.forEach((source, future) -> live.source(source, join(future)));
            LiveState state = live.build();
            // Then the code whose live resource does not already run it.
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                for (CodeSource code : needingPackages(kind, desired, state)) {
                    packages.computeIfAbsent(code, c -> async(() -> packager.pack(c), pool));
                }
            }
            packages.forEach((source, future) -> live.code(source, join(future)));
            // The contents of the packages live resources run, where the kind cannot tell otherwise.
            LiveState packaged = live.build();
            Map<ResourceKey, CompletableFuture<Optional<SourceDigest>>> liveSources = new LinkedHashMap<>();
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                liveSources.putAll(readLiveSources(kind, desired, adopt, packaged, pool));
            }
            liveSources.forEach((key, future) -> join(future).ifPresent(digest -> live.liveSource(key, digest)));
            return live.build();
        } finally {
            pool.shutdown();
        }
    }

    private static <D extends Resource, L extends LiveResource> Set<CodeSource> needingPackages(
            ResourceKind<D, L, ?> kind, Stack desired, LiveState state) {
        Set<CodeSource> needed = new LinkedHashSet<>();
        for (D resource : desired.resources(kind)) {
            Optional<L> live = state.live(kind, resource.name());
            for (CodeSource code : resource.codeSources()) {
                if (kind.needsPackage(resource, live, state.source(code))) {
                    needed.add(code);
                }
            }
        }
        return needed;
    }

    /**
     * The digests of the packages that the live resources of {@code kind} run, where the kind asks for them, for the
     * resources this stack owns or adopts (a name declared by anyone's pull request costs no download while it is a
     * conflict). A package the target does not serve, or that is not a zip Lambdaform can read, has none: it is then
     * compared by its CodeSha256 alone.
     */
    private <D extends Resource, L extends LiveResource>
            Map<ResourceKey, CompletableFuture<Optional<SourceDigest>>> readLiveSources(
                    ResourceKind<D, L, ?> kind,
                    Stack desired,
                    Set<String> adopt,
                    LiveState state,
                    ExecutorService pool) {
        Map<ResourceKey, CompletableFuture<Optional<SourceDigest>>> reads = new LinkedHashMap<>();
        Port<L> port = ports.get(kind.port());
        for (D resource : desired.resources(kind)) {
            Optional<L> live = state.live(kind, resource.name());
            boolean ours =
                    live.isPresent() && kind.mayManage(live.get(), desired.name(), adopt.contains(resource.name()));
            if (ours && kind.needsLiveSource(resource, live.get(), state.packages())) {
                reads.put(
                        new ResourceKey(kind, resource.name()),
                        async(() -> port.livePackage(resource.name()).flatMap(LiveReader::digestOf), pool));
            }
        }
        return reads;
    }

    private static Optional<SourceDigest> digestOf(byte[] zip) {
        try {
            return Optional.of(CodePackager.digestZip(zip));
        } catch (LambdaformException e) {
            return Optional.empty();
        }
    }

    /** The live state of the named resources of one kind, and nothing else (what a rollback reads). */
    public <L extends LiveResource> LiveState readOnly(ResourceKind<?, L, ?> kind, List<String> names) {
        ExecutorService pool = pool();
        try {
            Map<String, CompletableFuture<Optional<L>>> reads = new LinkedHashMap<>();
            names.forEach(name -> reads.put(name, find(kind, name, pool)));
            LiveState.Builder live = LiveState.builder(cloud.describe(), Kinds.ALL);
            reads.forEach((name, read) -> live.live(kind, name, join(read)));
            return live.build();
        } finally {
            pool.shutdown();
        }
    }

    /** What planning the deletion of every resource of a stack needs. */
    public LiveState readForDestroy(String stackName) {
        return read(Stack.empty(stackName));
    }

    private <L extends LiveResource> CompletableFuture<Optional<L>> find(
            ResourceKind<?, L, ?> kind, String name, ExecutorService pool) {
        Port<L> port = ports.get(kind.port());
        return async(() -> port.find(name), pool);
    }

    private <L extends LiveResource> CompletableFuture<Optional<L>> findDeclared(
            ResourceKind<?, L, ?> kind, Resource declared, String stackName, ExecutorService pool) {
        Port<L> port = ports.get(kind.port());
        return async(() -> port.find(declared, stackName), pool);
    }

    private CompletableFuture<SortedSet<String>> inventory(
            ResourceKind<?, ?, ?> kind, String stack, Set<String> except, ExecutorService pool) {
        Port<?> port = ports.get(kind.port());
        return async(() -> port.inventory(stack, except), pool);
    }

    @SuppressWarnings("unchecked") // each future was made by find() for the same kind
    private static <L extends LiveResource> void put(
            LiveState.Builder live, ResourceKind<?, L, ?> kind, String name, Optional<?> value) {
        live.live(kind, name, (Optional<L>) value);
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
