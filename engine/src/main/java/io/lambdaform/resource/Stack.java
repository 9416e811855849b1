package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.model.Payload;
import io.lambdaform.model.Sensitive;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired state read from one manifest set: the stack (ownership scope), its resources of every kind, its
 * payloads, and the values among them that must never be shown.
 *
 * @param resources every declared resource, of any kind, sorted by name
 */
public record Stack(
        String name,
        Optional<String> region,
        SortedMap<String, String> tags,
        List<Resource> resources,
        List<Payload> payloads,
        Sensitive sensitive) {

    /** The tag every resource of a stack carries; its value is the stack name. */
    public static final String OWNER_TAG = "lambdaform:stack";
    /**
     * On a resource that held a sensitive value when Lambdaform last applied it: plans never show its live values,
     * which may be secrets the manifests no longer mark as such.
     */
    public static final String SENSITIVE_TAG = "lambdaform:sensitive";

    public Stack {
        requireNonNull(name, "name is null");
        requireNonNull(region, "region is null");
        tags = Collections2.sortedCopy(tags);
        resources =
                resources.stream().sorted(Comparator.comparing(Resource::name)).toList();
        payloads = payloads.stream().sorted(Comparator.comparing(Payload::name)).toList();
        requireNonNull(sensitive, "sensitive is null");
    }

    /** A stack that declares nothing: what destroy plans towards. */
    public static Stack empty(String name) {
        return new Stack(name, Optional.empty(), new TreeMap<>(), List.of(), List.of(), Sensitive.NONE);
    }

    /** The declared resources of one kind, sorted by name. */
    public <D extends Resource> List<D> resources(ResourceKind<D, ?, ?> kind) {
        return resources.stream()
                .filter(kind.type()::isInstance)
                .map(kind.type()::cast)
                .toList();
    }

    /** The declared resource of one kind with that name. */
    public <D extends Resource> Optional<D> resource(ResourceKind<D, ?, ?> kind, String resourceName) {
        return resources(kind).stream()
                .filter(r -> r.name().equals(resourceName))
                .findFirst();
    }

    /** Tags every resource of this stack gets: the stack's default tags, the resource's own, and the owner tag. */
    public SortedMap<String, String> resourceTags(Map<String, String> resourceTags) {
        SortedMap<String, String> all = new TreeMap<>(tags);
        all.putAll(resourceTags);
        all.put(OWNER_TAG, name);
        return Collections2.sortedCopy(all);
    }
}
