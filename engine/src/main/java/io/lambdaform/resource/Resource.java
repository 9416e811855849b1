package io.lambdaform.resource;

import io.lambdaform.model.CodeSource;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/** A resource as the manifests declare it: the desired-state record of one {@link ResourceKind}. */
public interface Resource {
    String name();

    /** The resource's own tags, as the manifests write them (the stack's tags and the owner tag come on top). */
    SortedMap<String, String> tags();

    /** The code the resource deploys, which the live reader packages before planning; none by default. */
    default List<CodeSource> codeSources() {
        return List.of();
    }

    /** The other stacks whose resources this one uses (a role another stack owns, say): they are applied first. */
    default Set<String> referencedStacks() {
        return Set.of();
    }
}
