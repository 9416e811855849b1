package io.lambdaform.cloud;

import java.util.Optional;

/** A held stack lock; closing releases it. */
public interface StackLock extends AutoCloseable {
    @Override
    void close();

    /** Something the user should know about this lock, such as that it does not protect against other runners. */
    default Optional<String> warning() {
        return Optional.empty();
    }
}
