package io.lambdaform.kinds.role;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * An IAM execution role as the manifests declare it. Policy documents are JSON text; they are compared semantically,
 * never as strings.
 */
public record Role(
        String name,
        String path,
        String description,
        String assumeRolePolicy,
        SortedSet<String> managedPolicyArns,
        SortedMap<String, String> inlinePolicies,
        SortedMap<String, String> tags,
        int maxSessionDuration,
        Optional<String> permissionsBoundary)
        implements Resource {

    public static final String DEFAULT_PATH = "/";
    public static final int DEFAULT_MAX_SESSION_DURATION = 3600;

    public Role {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(description, "description is null");
        requireNonNull(assumeRolePolicy, "assumeRolePolicy is null");
        managedPolicyArns = Collections2.sortedCopy(managedPolicyArns);
        inlinePolicies = Collections2.sortedCopy(inlinePolicies);
        tags = Collections2.sortedCopy(tags);
        requireNonNull(permissionsBoundary, "permissionsBoundary is null");
    }
}
