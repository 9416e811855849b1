package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.DeploymentPackage;
import java.util.SortedMap;

/** What CreateFunction needs. */
public record NewFunction(
        String name, String roleArn, FunctionSettings settings, FunctionPackage code, SortedMap<String, String> tags) {
    public NewFunction {
        requireNonNull(name, "name is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(code, "code is null");
        tags = Collections2.sortedCopy(tags);
    }

    /** A function whose package goes in the request. */
    public NewFunction(
            String name,
            String roleArn,
            FunctionSettings settings,
            DeploymentPackage code,
            SortedMap<String, String> tags) {
        this(name, roleArn, settings, FunctionPackage.zip(code), tags);
    }
}
