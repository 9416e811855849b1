package io.lambdaform.cloud.local;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.StackLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * A stack's lock in the local cloud: an OS file lock on {@code locks/<stack>.lock}, which the OS releases if the
 * holder dies, with the holder's description written inside so a waiting process can name it.
 */
final class LocalStackLock implements StackLock {
    private final FileChannel channel;
    private final FileLock lock;

    private LocalStackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static LocalStackLock acquire(Path lockFile, String stackName, Duration timeout, ProgressListener progress) {
        try {
            Files.createDirectories(lockFile.getParent());
            Instant deadline = Instant.now().plus(timeout);
            boolean reported = false;
            while (true) {
                FileChannel channel = FileChannel.open(
                        lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = null;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Held by another thread of this process.
                }
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(holder().getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(false);
                    return new LocalStackLock(channel, lock);
                }
                channel.close();
                if (Instant.now().isAfter(deadline)) {
                    String holder =
                            Files.exists(lockFile) ? Files.readString(lockFile).strip() : "";
                    throw LambdaformException.user("stack '" + stackName + "' is locked by another run ("
                            + (holder.isEmpty() ? "unknown holder" : holder) + "). Wait for it to finish, or retry"
                            + " with a longer --lock-timeout");
                }
                if (!reported) {
                    String holder =
                            Files.exists(lockFile) ? Files.readString(lockFile).strip() : "";
                    progress.onProgress("waiting up to " + timeout.toSeconds() + " s for the lock of stack '"
                            + stackName + "', held by " + (holder.isEmpty() ? "another run" : holder));
                    reported = true;
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw LambdaformException.user(
                    "cannot lock stack '" + stackName + "' at " + lockFile + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaformException.user("interrupted while waiting for the lock of stack '" + stackName + "'");
        }
    }

    private static String holder() {
        return "pid " + ProcessHandle.current().pid() + " ("
                + ManagementFactory.getRuntimeMXBean().getName() + "), since " + Instant.now();
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS releases the lock when the channel closes or the process ends.
        }
    }
}
