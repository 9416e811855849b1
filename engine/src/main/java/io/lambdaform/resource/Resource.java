package io.lambdaform.resource;

import io.lambdaform.model.CodeSource;
import java.util.List;
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
}
