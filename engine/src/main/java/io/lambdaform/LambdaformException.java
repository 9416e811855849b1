package io.lambdaform;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The one unchecked exception of Lambdaform. Its category decides how the CLI reports it: a user error is one clear
 * message, an external error keeps what the target said (status and request id), an internal error is a bug.
 */
public class LambdaformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Who is at fault, and so which exit code and how much detail. */
    public enum Category {
        /** The input is wrong: fix the manifest, the flags or the environment. */
        USER,
        /** The target refused or failed: its message, status and request id are kept. */
        EXTERNAL,
        /** A bug in Lambdaform. */
        INTERNAL
    }

    private final Category category;
    private final Optional<String> requestId;
    private Optional<String> brief = Optional.empty();

    public LambdaformException(Category category, String message) {
        this(category, message, null, null);
    }

    public LambdaformException(Category category, String message, Throwable cause) {
        this(category, message, null, cause);
    }

    public LambdaformException(Category category, String message, String requestId, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.category = requireNonNull(category, "category is null");
        this.requestId = Optional.ofNullable(requestId);
    }

    public static LambdaformException user(String message) {
        return new LambdaformException(Category.USER, message);
    }

    public static LambdaformException external(String message) {
        return new LambdaformException(Category.EXTERNAL, message);
    }

    public Category category() {
        return category;
    }

    public Optional<String> requestId() {
        return requestId;
    }

    /**
     * The message without the target's own words (which may quote the values sent, or a part of one): what failed
     * and the target's error code. Shown instead of the message for a resource that holds sensitive values.
     */
    public Optional<String> brief() {
        return brief;
    }

    /** Sets {@link #brief()}; returns this exception. */
    public LambdaformException withBrief(String text) {
        this.brief = Optional.of(requireNonNull(text, "text is null"));
        return this;
    }
}
