package io.lambdaform.resource;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * What every kind's port offers besides its own mutations: reading one resource, the stack's inventory, and tags.
 * The live reader and the tag operations use these for every kind alike.
 *
 * @param <L> the kind's live-state record
 */
public interface Port<L> {
    /** The live resource, or empty when the target has none of that name. */
    Optional<L> find(String name);

    /**
     * The live resource the manifests declare as {@code declared}: what the live reader asks of each declared
     * resource. A kind whose resources cannot be found by name alone (a trigger is found on its function and its
     * source) reads the declaration; the others find it by name.
     */
    default Optional<L> find(Resource declared) {
        return find(declared.name());
    }

    /**
     * {@link #find(Resource)} in the plan of {@code stackName}: a kind whose resource may have left pieces elsewhere
     * when its declaration moved (a trigger moved to another function) reports them from the stack's own resources.
     */
    default Optional<L> find(Resource declared, String stackName) {
        return find(declared);
    }

    /** Names of this kind's resources that carry {@code lambdaform:stack=<stackName>}, other than {@code except}. */
    SortedSet<String> inventory(String stackName, Set<String> except);

    /**
     * Whether the live reader asks for this kind's {@link #inventory} in the plan of a stack that declares none of its
     * resources but declares others. Yes by default; an adapter whose inventory would cost a call of its own in every
     * plan of every stack (log groups against an emulator's endpoint) says no: it then finds the stack's resources
     * while the stack declares one of them, and on destroy (a stack that declares nothing).
     */
    default boolean inventoriesWhenNoneDeclared() {
        return true;
    }

    /** Adds or changes tags on the resource. */
    void tag(String name, Map<String, String> tags);

    /** Removes tags from the resource. */
    void untag(String name, Collection<String> tagKeys);

    /**
     * The deployment package (zip bytes) the live resource runs, for kinds that deploy code; empty when the kind
     * deploys none, the resource does not exist, or the target does not serve its package. A read: it changes
     * nothing.
     */
    default Optional<byte[]> livePackage(String name) {
        return Optional.empty();
    }
}
