package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the local cloud keeps its state, the region its ARNs name, and the interpreters that run handlers.
 *
 * @param python the command that runs Python handlers ({@code python3} unless LAMBDAFORM_PYTHON says otherwise)
 * @param node the command that runs Node.js handlers ({@code node} unless LAMBDAFORM_NODE says otherwise)
 */
public record LocalCloudConfig(Path stateDir, String region, String python, String node) {
    public LocalCloudConfig {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(region, "region is null");
        requireNonNull(python, "python is null");
        requireNonNull(node, "node is null");
    }

    public LocalCloudConfig(Path stateDir, String region) {
        this(stateDir, region, "python3", "node");
    }
}
