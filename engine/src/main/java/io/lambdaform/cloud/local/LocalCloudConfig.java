package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Where the local cloud keeps its state, and the region its ARNs name. */
public record LocalCloudConfig(Path stateDir, String region) {
    public LocalCloudConfig {
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(region, "region is null");
    }
}
