package io.lambdaform.cloud.aws;

import io.lambdaform.LambdaformException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Turns SDK exceptions into Lambdaform's: what was attempted, AWS's code and message, and the request id. */
final class AwsErrors {
    private static final Set<String> CREDENTIAL_CODES = Set.of(
            "InvalidClientTokenId",
            "SignatureDoesNotMatch",
            "UnrecognizedClientException",
            "ExpiredToken",
            "ExpiredTokenException",
            "InvalidAccessKeyId",
            "AuthFailure",
            "IncompleteSignature");

    private AwsErrors() {}

    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(what, e);
        } catch (SdkClientException e) {
            throw client(what, e);
        }
    }

    static void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    static LambdaformException translate(String what, AwsServiceException e) {
        // An error without a code (an HTTP 500 with no body, S3's answer to a HEAD) has none:
        // Set.of(...).contains(null) throws.
        String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? ""
                : e.awsErrorDetails().errorCode();
        String message = message(e);
        if (CREDENTIAL_CODES.contains(code)) {
            return brief(
                    what,
                    code,
                    e,
                    new LambdaformException(
                            LambdaformException.Category.USER,
                            what + ": AWS rejected the credentials (" + code
                                    + "). Check AWS_PROFILE / --profile or the AWS_ACCESS_KEY_ID in use",
                            e.requestId(),
                            e));
        }
        if (e.statusCode() == 403 || "AccessDenied".equals(code) || "AccessDeniedException".equals(code)) {
            return brief(
                    what,
                    code,
                    e,
                    new LambdaformException(
                            LambdaformException.Category.EXTERNAL,
                            what + ": access denied (" + code + "): " + message
                                    + ". The deploying identity needs this permission",
                            e.requestId(),
                            e));
        }
        return brief(
                what,
                code,
                e,
                new LambdaformException(
                        LambdaformException.Category.EXTERNAL,
                        what + ": " + (code.isEmpty() ? "HTTP " + e.statusCode() : code) + ": " + message,
                        e.requestId(),
                        e));
    }

    private static LambdaformException brief(
            String what, String code, AwsServiceException e, LambdaformException translated) {
        return translated.withBrief(what + ": " + (code == null || code.isEmpty() ? "HTTP " + e.statusCode() : code)
                + " (the target's message is not shown: this resource holds sensitive values"
                + (e.requestId() == null ? "" : "; request id " + e.requestId()) + ")");
    }

    static LambdaformException client(String what, SdkClientException e) {
        if (e instanceof TargetUnreachableException unreachable) {
            return new LambdaformException(LambdaformException.Category.USER, unreachable.userMessage(), e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Unable to load credentials")) {
            return new LambdaformException(
                    LambdaformException.Category.USER,
                    what + ": no AWS credentials found."
                            + " Set AWS_PROFILE (or pass --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
                    e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException) {
            return new LambdaformException(
                    LambdaformException.Category.USER,
                    what + ": cannot reach AWS: the host " + root.getMessage()
                            + " does not resolve. Check the network, the region and --endpoint-url",
                    e);
        }
        String first = message.lines().findFirst().orElse(message).replaceAll("\\.+$", "");
        return new LambdaformException(
                LambdaformException.Category.USER,
                what + ": cannot reach AWS: " + first + ". Check the network and --endpoint-url",
                e);
    }

    /** AWS's message without the SDK's decorations (service, status, request id). */
    static String message(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage()
                : e.awsErrorDetails().errorMessage();
    }

    /**
     * Whether Lambda refused a call because the function is busy ("The operation cannot be performed at this time.
     * An update is in progress for resource: …", or "… The function is currently in the following state: Pending"),
     * which passes, as opposed to a conflict that does not ("Function already exist: …").
     */
    static boolean updateInProgress(AwsServiceException e) {
        String message = String.valueOf(message(e)).toLowerCase(Locale.ROOT);
        return !alreadyExists(e)
                && (message.contains("in progress")
                        || message.contains("cannot be performed at this" + " time")
                        || message.contains("currently in the following state"));
    }

    /** Whether a create met a resource of the same name ("Function already exist: name"). */
    static boolean alreadyExists(AwsServiceException e) {
        return String.valueOf(message(e)).toLowerCase(Locale.ROOT).contains("already exist");
    }

    static boolean hasCode(AwsServiceException e, String code) {
        return e.awsErrorDetails() != null && code.equals(e.awsErrorDetails().errorCode());
    }
}
