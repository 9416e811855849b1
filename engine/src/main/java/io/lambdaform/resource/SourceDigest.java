package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

/**
 * What a deployment package will hold, known without building it: the digest of its entry names, modes and contents
 * (the {@code sourceSha256} of the {@link DeploymentPackage} built from the same files) and its unzipped size.
 * Hashing reads the files at disk speed; compressing them is what costs, and a plan skips it when the live function
 * already runs a package of this digest.
 */
public record SourceDigest(String sourceSha256, long unzippedSize) {
    public SourceDigest {
        requireNonNull(sourceSha256, "sourceSha256 is null");
    }
}
