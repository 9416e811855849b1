package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * An SDK call that never reached the target: the connection was refused, timed out while connecting, had no route,
 * or the host did not resolve. Until the target has answered once in the run, such a call is tried twice, not ten
 * times ({@link RetryReporter}): nothing answered, so no request can have been carried out, and waiting longer rarely
 * helps. Afterwards it is retried as any transient fault, and fails as this only when every attempt failed so.
 */
final class TargetUnreachableException extends SdkClientException {
    private static final long serialVersionUID = 1L;

    private final String origin;
    private final String reason;
    private final boolean customEndpoint;

    TargetUnreachableException(String origin, String reason, boolean customEndpoint, Throwable cause) {
        super(SdkClientException.builder()
                .message("cannot reach " + origin + " (" + reason + ")")
                .cause(cause));
        this.origin = requireNonNull(origin, "origin is null");
        this.reason = requireNonNull(reason, "reason is null");
        this.customEndpoint = customEndpoint;
    }

    /**
     * Why a failed attempt never reached the target, in a few words ("connection refused"); empty when it may have
     * reached it (a connection dropped or a response lost after the request was sent, a read timeout).
     */
    static Optional<String> reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException) {
                return Optional.of("the host does not resolve");
            }
            if (t instanceof NoRouteToHostException) {
                return Optional.of("no route to host");
            }
            if (t instanceof ConnectException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return Optional.of(message.contains("unreachable") ? "network unreachable" : "connection refused");
            }
            if (t instanceof SocketTimeoutException
                    && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connect timed out")) {
                return Optional.of("no connection within the connect timeout");
            }
        }
        return Optional.empty();
    }

    /** The one line a user reads: where, why, and what to check. */
    String userMessage() {
        if (customEndpoint) {
            return "cannot reach " + origin + " (" + reason + "): is the endpoint running? Check --endpoint-url";
        }
        return "cannot reach AWS at " + origin + " (" + reason + "): check the network (a proxy, a firewall) and the"
                + " region";
    }
}
