package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

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
        Optional<String> permissionsBoundary) {

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

    public RoleState withDescription(String newDescription, int newMaxSessionDuration) {
        return new RoleState(
                name,
                arn,
                path,
                newDescription,
                assumeRolePolicy,
                managedPolicyArns,
                inlinePolicies,
                tags,
                newMaxSessionDuration,
                permissionsBoundary);
    }

    public RoleState withAssumeRolePolicy(String document) {
        return new RoleState(
                name,
                arn,
                path,
                description,
                document,
                managedPolicyArns,
                inlinePolicies,
                tags,
                maxSessionDuration,
                permissionsBoundary);
    }

    public RoleState withPolicies(SortedSet<String> managed, SortedMap<String, String> inline) {
        return new RoleState(
                name,
                arn,
                path,
                description,
                assumeRolePolicy,
                managed,
                inline,
                tags,
                maxSessionDuration,
                permissionsBoundary);
    }

    public RoleState withTags(SortedMap<String, String> newTags) {
        return new RoleState(
                name,
                arn,
                path,
                description,
                assumeRolePolicy,
                managedPolicyArns,
                inlinePolicies,
                newTags,
                maxSessionDuration,
                permissionsBoundary);
    }

    public RoleState withPermissionsBoundary(Optional<String> boundary) {
        return new RoleState(
                name,
                arn,
                path,
                description,
                assumeRolePolicy,
                managedPolicyArns,
                inlinePolicies,
                tags,
                maxSessionDuration,
                boundary);
    }
}
