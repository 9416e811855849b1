package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

/**
 * The bytes of a zip deployment package and their CodeSha256 (base64 of the SHA-256 digest, as Lambda reports).
 *
 * @param sourceSha256 a digest of what the package holds (entry names, modes and contents), which, unlike the zip's
 *     bytes, does not depend on the machine's deflate implementation
 * @param deflater what deflated the bytes ({@code libdeflate} or {@code zlib}; {@code none} for an archive uploaded as
 *     it is), so that a saved plan can tell why another machine zips the same files to other bytes
 */
public record DeploymentPackage(
        byte[] zip, String codeSha256, String sourceSha256, long unzippedSize, String deflater) {
    /** Lambda's limit for what a deployment package holds, unzipped (its layers included): 250 MB. */
    public static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;

    /** What deflated a package whose bytes are not known to come from a deflate of this machine's. */
    public static final String UNKNOWN_DEFLATER = "unknown";

    public DeploymentPackage {
        requireNonNull(zip, "zip is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        requireNonNull(sourceSha256, "sourceSha256 is null");
        requireNonNull(deflater, "deflater is null");
    }

    public DeploymentPackage(byte[] zip, String codeSha256, String sourceSha256, long unzippedSize) {
        this(zip, codeSha256, sourceSha256, unzippedSize, UNKNOWN_DEFLATER);
    }

    public long size() {
        return zip.length;
    }
}
