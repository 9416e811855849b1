package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a package over Lambda's direct-upload limit is staged: an object of the stack's code bucket ({@code
 * spec.codeBucket}) named by its contents, {@code lambdaform/<stack>/<sha256 hex of the zip>.zip}, which
 * CreateFunction, UpdateFunctionCode and PublishLayerVersion then name instead of carrying the zip. Lambda copies the
 * package when it is called: the object is kept only while a function or layer version of the stack runs it, so that
 * another apply of the same package uploads nothing.
 */
public record CodeStaging(String bucket, String key) {
    /** Lambda's limit for a zip uploaded directly in the request: 50 MB. */
    public static final long MAX_DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;

    public CodeStaging {
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
    }

    /** The folder of the stack's staged packages in its code bucket: {@code lambdaform/<stack>/}. */
    public static String prefix(String stack) {
        return "lambdaform/" + stack + "/";
    }

    /** The key of the package of that CodeSha256 (base64, as Lambda reports it) among the stack's staged packages. */
    public static String key(String stack, String codeSha256) {
        return prefix(stack) + HexFormat.of().formatHex(Base64.getDecoder().decode(codeSha256)) + ".zip";
    }

    /** Whether a package is over what Lambda takes in the request. */
    public static boolean needed(DeploymentPackage code) {
        return code.size() > MAX_DIRECT_UPLOAD_BYTES;
    }

    /**
     * Where the plan of {@code stack} stages {@code code} for {@code resource}: nowhere when Lambda takes it in the
     * request; a user error, before anything is changed, when it is larger and the stack names no code bucket.
     */
    public static Optional<CodeStaging> of(Stack stack, DeploymentPackage code, ResourceKey resource) {
        if (!needed(code)) {
            return Optional.empty();
        }
        String bucket = stack.codeBucket()
                .orElseThrow(() -> LambdaformException.user(String.format(
                        "the package of %s is %.1f MB zipped; Lambda takes at most %d MB in the request, and stack '%s'"
                                + " names no bucket to stage larger packages in. Set spec.codeBucket in the Stack (a"
                                + " bucket name: created for the stack when it does not exist), or make the package"
                                + " smaller (code.exclude, or dependencies moved to a layer)",
                        resource, code.size() / 1048576.0, MAX_DIRECT_UPLOAD_BYTES / 1048576, stack.name())));
        return Optional.of(new CodeStaging(bucket, key(stack.name(), code.codeSha256())));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
