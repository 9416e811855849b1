package io.lambdaform.cloud;

/** A held stack lock; closing releases it. */
public interface StackLock extends AutoCloseable {
    @Override
    void close();
}
