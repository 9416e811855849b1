package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A Lambda function as the manifests declare it.
 *
 * @param code the code its zip package is built from; empty for a function that runs a container image
 * @param image the URI of the container image it runs (PackageType Image); empty for a zip package
 * @param publish whether it publishes versions, and how many it keeps; empty when it runs $LATEST only
 */
public record Function(
        String name,
        Optional<CodeSource> code,
        Optional<String> image,
        RoleRef role,
        FunctionSettings settings,
        SortedSet<String> secretEnvironmentKeys,
        SortedMap<String, String> tags,
        Optional<Publishing> publish)
        implements Resource {

    /**
     * Publishing versions ({@code spec.publish}): a version is published whenever the function's code and
     * configuration match none of its versions.
     *
     * @param keep how many of the newest versions that no alias routes to are kept; older ones are deleted
     */
    public record Publishing(int keep) {
        public static final int DEFAULT_KEEP = 3;

        public Publishing {
            if (keep < 0) {
                throw new IllegalArgumentException("keep must not be negative");
            }
        }
    }

    /** A function that does not publish versions. */
    public Function(
            String name,
            CodeSource code,
            RoleRef role,
            FunctionSettings settings,
            SortedSet<String> secretEnvironmentKeys,
            SortedMap<String, String> tags) {
        this(name, code, role, settings, secretEnvironmentKeys, tags, Optional.empty());
    }

    /** A function with a zip package built from {@code code}. */
    public Function(
            String name,
            CodeSource code,
            RoleRef role,
            FunctionSettings settings,
            SortedSet<String> secretEnvironmentKeys,
            SortedMap<String, String> tags,
            Optional<Publishing> publish) {
        this(name, Optional.of(code), Optional.empty(), role, settings, secretEnvironmentKeys, tags, publish);
    }

    public Function {
        requireNonNull(name, "name is null");
        requireNonNull(code, "code is null");
        requireNonNull(image, "image is null");
        if (code.isPresent() == image.isPresent()) {
            throw new IllegalArgumentException("a function has code or an image, not both nor neither");
        }
        requireNonNull(role, "role is null");
        requireNonNull(settings, "settings is null");
        secretEnvironmentKeys = Collections2.sortedCopy(secretEnvironmentKeys);
        tags = Collections2.sortedCopy(tags);
        requireNonNull(publish, "publish is null");
    }

    @Override
    public List<CodeSource> codeSources() {
        return code.map(List::of).orElse(List.of());
    }

    /** The stack that owns its role, when it uses another stack's. */
    @Override
    public Set<String> referencedStacks() {
        return role instanceof RoleRef.OtherStack other ? Set.of(other.stack()) : Set.of();
    }
}
