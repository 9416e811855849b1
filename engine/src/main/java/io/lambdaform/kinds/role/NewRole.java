package io.lambdaform.kinds.role;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import java.util.Optional;
import java.util.SortedMap;

/** What CreateRole needs; policies are attached by separate calls. */
public record NewRole(
        String name,
        String path,
        String description,
        String assumeRolePolicy,
        int maxSessionDuration,
        Optional<String> permissionsBoundary,
        SortedMap<String, String> tags) {
    public NewRole {
        requireNonNull(name, "name is null");
        requireNonNull(path, "path is null");
        requireNonNull(description, "description is null");
        requireNonNull(assumeRolePolicy, "assumeRolePolicy is null");
        requireNonNull(permissionsBoundary, "permissionsBoundary is null");
        tags = Collections2.sortedCopy(tags);
    }
}
