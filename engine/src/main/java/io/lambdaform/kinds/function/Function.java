package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/** A Lambda function as the manifests declare it. */
public record Function(
        String name,
        CodeSource code,
        RoleRef role,
        FunctionSettings settings,
        SortedSet<String> secretEnvironmentKeys,
        SortedMap<String, String> tags)
        implements Resource {

    public Function {
        requireNonNull(name, "name is null");
        requireNonNull(code, "code is null");
        requireNonNull(role, "role is null");
        requireNonNull(settings, "settings is null");
        secretEnvironmentKeys = Collections2.sortedCopy(secretEnvironmentKeys);
        tags = Collections2.sortedCopy(tags);
    }

    @Override
    public List<CodeSource> codeSources() {
        return List.of(code);
    }
}
