package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Uploads a package to where the plan stages it ({@link CodeStaging}), for the functions' and layers' adapters: its
 * key names its contents, so an object of that key and size already holds it (HeadObject), and nothing is uploaded
 * again; else PutObject, with the SHA-256 that S3 checks the bytes against (the package's CodeSha256 is exactly that).
 */
final class AwsCodeStaging {
    private final ServiceClients clients;
    private final AwsCloud cloud;

    @Inject
    AwsCodeStaging(ServiceClients clients, AwsCloud cloud) {
        this.clients = requireNonNull(clients, "clients is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** Makes sure the staged object holds the package. */
    void upload(CodeStaging staging, DeploymentPackage code) {
        S3Client s3 = clients.s3();
        String where = staging.toString();
        try {
            Long size = s3.headObject(r -> r.bucket(staging.bucket()).key(staging.key()))
                    .contentLength();
            if (size != null && size == code.size()) {
                cloud.progress().onProgress("the package is already staged in " + where);
                return;
            }
        } catch (NoSuchKeyException e) {
            // Not staged yet.
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw AwsCloud.wrap("S3 HeadObject " + where, e);
            }
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("S3 HeadObject " + where, e);
        }
        cloud.progress()
                .onProgress(String.format(Locale.ROOT, "staging %.1f MB in %s", code.size() / 1048576.0, where));
        AwsErrors.run(
                "S3 PutObject " + where,
                () -> s3.putObject(
                        r -> r.bucket(staging.bucket())
                                .key(staging.key())
                                .contentType("application/zip")
                                .checksumSHA256(code.codeSha256()),
                        RequestBody.fromBytes(code.zip())));
    }
}
