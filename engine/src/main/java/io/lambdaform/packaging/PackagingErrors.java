package io.lambdaform.packaging;

import io.lambdaform.LambdaformException;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.DeploymentPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What packaging refuses, worded once: Lambda's size limits and what to do about code over them, files that are not
 * regular files, and code that cannot be read.
 */
final class PackagingErrors {
    /** Lambda's limit for a zip uploaded directly in the request. */
    static final long MAX_DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;
    /** Lambda's limit for the unzipped deployment package. */
    static final long MAX_UNZIPPED_BYTES = DeploymentPackage.MAX_UNZIPPED_BYTES;

    /** What a package over Lambda's limits can do (container images, which Lambdaform does not deploy yet, aside). */
    static final String SMALLER =
            "Exclude what the function does not need (code.exclude), or move dependencies to a layer.";

    static final String SMALLER_FILE = "Make it smaller, or move dependencies to a layer.";

    private PackagingErrors() {}

    /** Refuses anything but a regular file of at most {@code limit} bytes, before reading a byte of it. */
    static void requireRegularFile(Path file, long limit, String what, String shown) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw LambdaformException.user("code " + shown + " is not a regular file (a FIFO, device or socket);"
                    + " Lambdaform packages only regular files and folders");
        }
        if (attributes.size() > limit) {
            throw tooLarge(shown, what, attributes.size(), limit, SMALLER_FILE);
        }
    }

    /** What to do about code that is too large: excludes apply to folders only. */
    static String advice(Path code) {
        return Files.isDirectory(code) ? SMALLER : SMALLER_FILE;
    }

    static LambdaformException tooLarge(String source, String what, long size, long limit, String advice) {
        return LambdaformException.user(String.format(
                "the deployment package for %s is %.1f MB %s; Lambda accepts at most %d MB %s. " + advice,
                source,
                size / 1048576.0,
                what,
                limit / 1048576,
                what));
    }

    static LambdaformException unreadable(CodeSource source, IOException e) {
        if (e instanceof SourceFile.Changed) {
            return new LambdaformException(LambdaformException.Category.USER, "code file " + e.getMessage(), e);
        }
        return new LambdaformException(
                LambdaformException.Category.USER, "cannot read code at " + source.path() + ": " + describe(e), e);
    }

    /** An I/O error's class and message. */
    static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
