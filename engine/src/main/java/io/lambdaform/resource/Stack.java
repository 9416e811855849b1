package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.model.Collections2;
import io.lambdaform.model.Payload;
import io.lambdaform.model.Sensitive;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The desired state read from one manifest set: the stack (ownership scope), its resources of every kind, its
 * payloads, and the values among them that must never be shown.
 *
 * @param resources every declared resource, of any kind, sorted by name
 * @param allowedAccounts the AWS accounts the stack may be deployed to ({@code spec.allowedAccounts}); empty means any
 * @param released resources the stack lets go of without deleting them ({@code spec.release}): its plans remove its
 *     owner tag from them instead of pruning them, so that another stack may adopt them
 * @param codeBucket the S3 bucket where packages over Lambda's direct-upload limit are staged ({@code
 *     spec.codeBucket}, {@link CodeStaging}); empty when the stack stages none
 */
public record Stack(
        String name,
        Optional<String> region,
        SortedMap<String, String> tags,
        List<Resource> resources,
        List<Payload> payloads,
        Sensitive sensitive,
        SortedSet<String> allowedAccounts,
        SortedSet<ResourceKey> released,
        Optional<String> codeBucket) {

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
        allowedAccounts = Collections2.sortedCopy(allowedAccounts);
        released = Collections.unmodifiableSortedSet(new TreeSet<>(released));
        requireNonNull(codeBucket, "codeBucket is null");
    }

    /** A stack that stages no package. */
    public Stack(
            String name,
            Optional<String> region,
            SortedMap<String, String> tags,
            List<Resource> resources,
            List<Payload> payloads,
            Sensitive sensitive,
            SortedSet<String> allowedAccounts,
            SortedSet<ResourceKey> released) {
        this(name, region, tags, resources, payloads, sensitive, allowedAccounts, released, Optional.empty());
    }

    /** A stack that may be deployed to any account and releases nothing. */
    public Stack(
            String name,
            Optional<String> region,
            SortedMap<String, String> tags,
            List<Resource> resources,
            List<Payload> payloads,
            Sensitive sensitive) {
        this(name, region, tags, resources, payloads, sensitive, new TreeSet<>(), new TreeSet<>());
    }

    /**
     * Refuses a target of an account the stack does not allow ({@code spec.allowedAccounts}), before anything is read
     * or changed there. Only AWS targets are checked: the local cloud is not an account.
     */
    public void requireAllowedAccount(TargetDescription target) {
        if (allowedAccounts.isEmpty() || !target.kind().equals("aws") || allowedAccounts.contains(target.accountId())) {
            return;
        }
        throw LambdaformException.user("stack '" + name + "' may be deployed only to account"
                + (allowedAccounts.size() == 1 ? " " : "s ") + String.join(", ", allowedAccounts)
                + " (spec.allowedAccounts), but the credentials in use are of account " + target.accountId()
                + "; nothing was changed. Use credentials of " + (allowedAccounts.size() == 1 ? "that" : "an allowed")
                + " account (--profile or AWS_PROFILE), or add " + target.accountId()
                + " to spec.allowedAccounts if the stack belongs there too");
    }

    /** A stack that declares nothing: what destroy plans towards. */
    public static Stack empty(String name) {
        return new Stack(name, Optional.empty(), new TreeMap<>(), List.of(), List.of(), Sensitive.NONE);
    }

    /**
     * What destroying this stack plans towards: no resource, but the same releases (a released resource is let go
     * of, never deleted) and the same sensitive values.
     */
    public Stack withoutResources() {
        return new Stack(name, region, tags, List.of(), List.of(), sensitive, allowedAccounts, released, codeBucket);
    }

    /** Whether the stack lets go of this resource ({@code spec.release}). */
    public boolean releases(ResourceKey key) {
        return released.contains(key);
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
