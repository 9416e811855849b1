package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.TargetDescription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Everything a plan is computed from besides the desired stack, read before planning ({@link LiveReader}) so that
 * the {@link Planner} is a function of records.
 *
 * @param kinds the kinds to plan, in creation order
 * @param resources the live state of every declared resource and of every inventoried resource whose kind prunes
 *     from live state; empty when absent
 * @param inventory per kind, the names of the resources that carry the stack's tag but are not declared
 * @param sources the digest of every declared resource's code
 * @param packages the deployment package of every declared resource's code that its kind needs packaged
 * @param liveSources the source digest of the package a live resource runs, for the resources whose kind asked
 *     for it ({@link ResourceKind#needsLiveSource}) and whose package the target served
 */
public record LiveState(
        TargetDescription target,
        List<ResourceKind<?, ?, ?>> kinds,
        Map<ResourceKey, Optional<?>> resources,
        Map<ResourceKind<?, ?, ?>, SortedSet<String>> inventory,
        Map<CodeSource, SourceDigest> sources,
        Map<CodeSource, DeploymentPackage> packages,
        Map<ResourceKey, SourceDigest> liveSources) {
    public LiveState {
        requireNonNull(target, "target is null");
        kinds = List.copyOf(kinds);
        resources = Map.copyOf(resources);
        inventory = Map.copyOf(inventory);
        sources = Map.copyOf(sources);
        packages = Map.copyOf(packages);
        liveSources = Map.copyOf(liveSources);
    }

    /** A builder for tests and the reader: the live state of single resources, added one by one. */
    public static Builder builder(TargetDescription target, List<ResourceKind<?, ?, ?>> kinds) {
        return new Builder(target, kinds);
    }

    /** The live resource of {@code kind} named {@code name}, which must have been read. */
    public <L extends LiveResource> Optional<L> live(ResourceKind<?, L, ?> kind, String name) {
        Optional<?> value = resources.get(new ResourceKey(kind, name));
        if (value == null) {
            throw new IllegalStateException("no " + kind.label() + " " + name + " was read");
        }
        @SuppressWarnings("unchecked") // put only by the builder, typed by kind
        Optional<L> typed = (Optional<L>) value;
        return typed;
    }

    public SortedSet<String> inventory(ResourceKind<?, ?, ?> kind) {
        SortedSet<String> names = inventory.get(kind);
        if (names == null) {
            throw new IllegalStateException("no " + kind.label() + " inventory was read");
        }
        return names;
    }

    SourceDigest source(CodeSource source) {
        SourceDigest digest = sources.get(source);
        if (digest == null) {
            throw new IllegalStateException("no source digest was read for " + source);
        }
        return digest;
    }

    Optional<SourceDigest> liveSource(ResourceKey key) {
        return Optional.ofNullable(liveSources.get(key));
    }

    DeploymentPackage code(CodeSource source) {
        DeploymentPackage code = packages.get(source);
        if (code == null) {
            throw new IllegalStateException("no package was read for " + source);
        }
        return code;
    }

    public static final class Builder {
        private final TargetDescription target;
        private final List<ResourceKind<?, ?, ?>> kinds;
        private final Map<ResourceKey, Optional<?>> resources = new HashMap<>();
        private final Map<ResourceKind<?, ?, ?>, SortedSet<String>> inventory = new HashMap<>();
        private final Map<CodeSource, SourceDigest> sources = new HashMap<>();
        private final Map<CodeSource, DeploymentPackage> packages = new HashMap<>();
        private final Map<ResourceKey, SourceDigest> liveSources = new HashMap<>();

        private Builder(TargetDescription target, List<ResourceKind<?, ?, ?>> kinds) {
            this.target = target;
            this.kinds = kinds;
        }

        public <L extends LiveResource> Builder live(
                ResourceKind<?, L, ?> kind, String name, Optional<? extends L> live) {
            resources.put(new ResourceKey(kind, name), live);
            return this;
        }

        public Builder inventory(ResourceKind<?, ?, ?> kind, SortedSet<String> names) {
            inventory.put(kind, names);
            return this;
        }

        public Builder source(CodeSource source, SourceDigest digest) {
            sources.put(source, digest);
            return this;
        }

        /** A package, and the digest of its source. */
        public Builder code(CodeSource source, DeploymentPackage code) {
            packages.put(source, code);
            sources.put(source, new SourceDigest(code.sourceSha256(), code.unzippedSize()));
            return this;
        }

        /** The source digest of the package the live resource of {@code key} runs. */
        public Builder liveSource(ResourceKey key, SourceDigest digest) {
            liveSources.put(key, digest);
            return this;
        }

        /** The live state; a kind whose inventory was not given has none. */
        public LiveState build() {
            kinds.forEach(k -> inventory.putIfAbsent(k, new TreeSet<>()));
            return new LiveState(target, kinds, resources, inventory, sources, packages, liveSources);
        }
    }
}
