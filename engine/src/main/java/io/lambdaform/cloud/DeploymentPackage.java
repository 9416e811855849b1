package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

/**
 * The bytes of a zip deployment package and their CodeSha256 (base64 of the SHA-256 digest, as Lambda reports).
 *
 * @param sourceSha256 a digest of what the package holds (entry names, modes and contents), which, unlike the zip's
 *     bytes, does not depend on the machine's deflate implementation
 */
public record DeploymentPackage(byte[] zip, String codeSha256, String sourceSha256, long unzippedSize) {
    /** Lambda's limit for what a deployment package holds, unzipped (its layers included): 250 MB. */
    public static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;

    public DeploymentPackage {
        requireNonNull(zip, "zip is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        requireNonNull(sourceSha256, "sourceSha256 is null");
    }

    public long size() {
        return zip.length;
    }
}
