package io.lambdaform.kinds.role;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/** A role as the target reports it. Policy documents are decoded JSON text. */
public record RoleState(
        String name,
        String arn,
        String path,
        String description,
        String assumeRolePolicy,
        SortedSet<String> managedPolicyArns,
        SortedMap<String, String> inlinePolicies,
        SortedMap<String, String> tags,
        int maxSessionDuration,
        Optional<String> permissionsBoundary)
        implements LiveResource {

    public RoleState {
        requireNonNull(name, "name is null");
        requireNonNull(arn, "arn is null");
        requireNonNull(path, "path is null");
        requireNonNull(description, "description is null");
        requireNonNull(assumeRolePolicy, "assumeRolePolicy is null");
        managedPolicyArns = Collections2.sortedCopy(managedPolicyArns);
        inlinePolicies = Collections2.sortedCopy(inlinePolicies);
        tags = Collections2.sortedCopy(tags);
        requireNonNull(permissionsBoundary, "permissionsBoundary is null");
    }

    /** A role just created from {@code role}, at {@code arn}: no policies attached or inline yet. */
    public static RoleState created(NewRole role, String arn, String decodedTrustPolicy) {
        return new RoleState(
                role.name(),
                arn,
                role.path(),
                role.description(),
                decodedTrustPolicy,
                new TreeSet<>(),
                new TreeMap<>(),
                role.tags(),
                role.maxSessionDuration(),
                role.permissionsBoundary());
    }

    public RoleState withDescription(String newDescription, int newMaxSessionDuration) {
        return with(b -> {
            b.description = newDescription;
            b.maxSessionDuration = newMaxSessionDuration;
        });
    }

    public RoleState withAssumeRolePolicy(String document) {
        return with(b -> b.assumeRolePolicy = document);
    }

    public RoleState withPolicies(SortedSet<String> managed, SortedMap<String, String> inline) {
        return with(b -> {
            b.managedPolicyArns = managed;
            b.inlinePolicies = inline;
        });
    }

    public RoleState withTags(SortedMap<String, String> newTags) {
        return with(b -> b.tags = newTags);
    }

    public RoleState withPermissionsBoundary(Optional<String> boundary) {
        return with(b -> b.permissionsBoundary = boundary);
    }

    /** A copy with what {@code change} sets on a builder that starts from this state. */
    private RoleState with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return new RoleState(
                b.name,
                b.arn,
                b.path,
                b.description,
                b.assumeRolePolicy,
                b.managedPolicyArns,
                b.inlinePolicies,
                b.tags,
                b.maxSessionDuration,
                b.permissionsBoundary);
    }

    /** The one place that lists every field, so that copies name only what they change. */
    private static final class Builder {
        private final String name;
        private final String arn;
        private final String path;
        private String description;
        private String assumeRolePolicy;
        private SortedSet<String> managedPolicyArns;
        private SortedMap<String, String> inlinePolicies;
        private SortedMap<String, String> tags;
        private int maxSessionDuration;
        private Optional<String> permissionsBoundary;

        private Builder(RoleState r) {
            name = r.name;
            arn = r.arn;
            path = r.path;
            description = r.description;
            assumeRolePolicy = r.assumeRolePolicy;
            managedPolicyArns = r.managedPolicyArns;
            inlinePolicies = r.inlinePolicies;
            tags = r.tags;
            maxSessionDuration = r.maxSessionDuration;
            permissionsBoundary = r.permissionsBoundary;
        }
    }
}
