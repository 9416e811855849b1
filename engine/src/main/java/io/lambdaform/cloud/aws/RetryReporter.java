package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Reports every retry the SDK makes to the progress listener, with the call, the resource, what went wrong and the
 * attempt: {@code Lambda CreateFunction f3: HTTP 503 ServiceUnavailable, retrying in 420 ms (attempt 3 of 10)}.
 * It names the call from the request (never from its headers, so credentials cannot leak into the line); the sync
 * clients retry on the calling thread, which is how the retry strategy finds the call the interceptor saw. A call
 * that cannot reach the target at all (connection refused, no route, unknown host, no connection within the connect
 * timeout) before the target has answered once in the run is tried {@value #UNREACHABLE_ATTEMPTS} times, without a
 * line, then fails as a {@link TargetUnreachableException}: nothing answered, so nothing was carried out, and ten
 * attempts only made the user wait for the one line that says so. Once the target has answered (any HTTP response,
 * an error's too), such a failure is a transient fault of a target that is there (a DNS lookup or a connection
 * that failed once), retried and reported as the others are, so that an apply is not cut off half-way.
 */
final class RetryReporter implements ExecutionInterceptor {
    private static final Map<String, String> SERVICES = Map.of(
            "Iam",
            "IAM",
            "Sts",
            "STS",
            "DynamoDb",
            "DynamoDB",
            "ResourceGroupsTaggingApi",
            "Tagging",
            "CloudWatchLogs",
            "CloudWatch Logs");
    private static final List<String> RESOURCE_FIELDS =
            List.of("FunctionName", "RoleName", "TableName", "Resource", "logGroupName");

    /** Attempts of a call that cannot connect to the target, the first included. */
    static final int UNREACHABLE_ATTEMPTS = 2;

    private final ThreadLocal<String> current = new ThreadLocal<>();
    private final ThreadLocal<Integer> attempts = ThreadLocal.withInitial(() -> 0);
    private final ThreadLocal<Boolean> throttled = ThreadLocal.withInitial(() -> false);
    /** Whether the target has sent a response in this run: from then on, it is reachable. */
    private volatile boolean answered;

    private final AwsConfig config;
    private final ProgressListener listener;

    @Inject
    RetryReporter(AwsConfig config, ProgressListener listener) {
        this.config = requireNonNull(config, "config is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /**
     * How many attempts the last SDK call of this thread made. More than one means an earlier attempt failed
     * without a definite answer or with a transient error, and may have been carried out all the same.
     */
    int attemptsOfLastCall() {
        return attempts.get();
    }

    /**
     * Whether an attempt of the last SDK call of this thread was refused as throttled, even if a retry then
     * succeeded: a caller that polls should poll less often for a while.
     */
    boolean lastCallThrottled() {
        return throttled.get();
    }

    /** The strategy, reporting each retry it grants. */
    RetryStrategy reporting(RetryStrategy strategy) {
        return new Reporting(strategy);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        StringBuilder call = new StringBuilder(SERVICES.getOrDefault(service, service))
                .append(' ')
                .append(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        for (String field : RESOURCE_FIELDS) {
            var value = context.request().getValueForField(field, String.class);
            if (value.isPresent()) {
                call.append(' ').append(value.get().substring(value.get().lastIndexOf(':') + 1));
                break;
            }
        }
        current.set(call.toString());
        attempts.set(1);
        throttled.set(false);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        answered = true;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        current.remove();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        current.remove();
    }

    /** A call that never reached the target fails as one, naming where it tried to go and why it could not. */
    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        if (!(failure instanceof SdkClientException) || failure instanceof TargetUnreachableException) {
            return failure;
        }
        Optional<String> unreachable = TargetUnreachableException.reason(failure);
        if (unreachable.isEmpty()) {
            return failure;
        }
        String origin = config.endpoint()
                .map(AwsConfig::shown)
                .or(() -> context.httpRequest().map(RetryReporter::origin))
                .orElse("AWS");
        return new TargetUnreachableException(
                origin, unreachable.get(), config.endpoint().isPresent(), failure);
    }

    /** Where a request goes, without its path or query: {@code https://sts.us-east-1.amazonaws.com}. */
    private static String origin(SdkHttpRequest request) {
        int defaultPort = SdkHttpUtils.standardPort(request.protocol());
        return request.protocol() + "://" + request.host()
                + (request.port() == defaultPort ? "" : ":" + request.port());
    }

    /** What went wrong in one attempt, in a few words: the HTTP status and AWS's code, or the connection failure. */
    static String reason(Throwable failure) {
        if (failure instanceof AwsServiceException e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            return "HTTP " + e.statusCode() + (code == null || code.isEmpty() ? "" : " " + code);
        }
        if (failure instanceof SdkServiceException e) {
            return "HTTP " + e.statusCode();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? ""
                : ": " + root.getMessage().lines().findFirst().orElse("");
        return "no response (" + root.getClass().getSimpleName() + message + ")";
    }

    /** A retry token that also counts the attempts. */
    private record Token(RetryToken inner, int attempt) implements RetryToken {}

    private final class Reporting implements RetryStrategy {
        private final RetryStrategy delegate;

        Reporting(RetryStrategy delegate) {
            this.delegate = requireNonNull(delegate, "delegate is null");
        }

        @Override
        public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
            AcquireInitialTokenResponse response = delegate.acquireInitialToken(request);
            return AcquireInitialTokenResponse.create(new Token(response.token(), 1), response.delay());
        }

        @Override
        public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
            Token token = (Token) request.token();
            // Fail fast only while nothing has answered: afterwards, the target is there and the fault transient.
            boolean unreachable = !answered
                    && TargetUnreachableException.reason(request.failure()).isPresent();
            if (unreachable && token.attempt() >= UNREACHABLE_ATTEMPTS) {
                throw new TokenAcquisitionFailedException(
                        "the target cannot be reached: not retried further", token, request.failure());
            }
            RefreshRetryTokenResponse response = delegate.refreshRetryToken(
                    request.toBuilder().token(token.inner()).build());
            int attempt = token.attempt() + 1;
            attempts.set(attempt);
            if (request.failure() instanceof SdkServiceException e && e.isThrottlingException()) {
                throttled.set(true);
            }
            if (!unreachable) {
                String call = current.get();
                listener.onProgress((call == null ? "AWS call" : call) + ": " + reason(request.failure())
                        + ", retrying in " + response.delay().toMillis() + " ms (attempt " + attempt + " of "
                        + delegate.maxAttempts() + ")");
            }
            return RefreshRetryTokenResponse.create(new Token(response.token(), attempt), response.delay());
        }

        @Override
        public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
            Token token = (Token) request.token();
            RecordSuccessResponse response = delegate.recordSuccess(RecordSuccessRequest.create(token.inner()));
            return RecordSuccessResponse.create(new Token(response.token(), token.attempt()));
        }

        @Override
        public int maxAttempts() {
            return delegate.maxAttempts();
        }

        @Override
        public boolean useClientDefaults() {
            return false;
        }

        @Override
        public Builder<?, ?> toBuilder() {
            return delegate.toBuilder();
        }

        @Override
        public String toString() {
            return "Reporting(" + delegate + ")";
        }
    }
}
