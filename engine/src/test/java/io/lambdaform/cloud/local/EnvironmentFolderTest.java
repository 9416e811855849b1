package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What invocations of killed processes leave in the temporary folder is removed; another live run's never is. */
class EnvironmentFolderTest {
    @TempDir
    Path temp;

    /** The id of a process that has ended. */
    private static long endedProcess() throws Exception {
        Process process = new ProcessBuilder("true").start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.pid();
    }

    /** An invocation folder as a run leaves it when it is killed: its lock file, a read-only task root. */
    private Path leftOver(String name, boolean withLock) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(name));
        Files.createDirectories(folder.resolve("task/lib"));
        Files.writeString(folder.resolve("task/lib/app.py"), "print('hi')\n");
        EnvironmentFolder.makeFilesReadOnly(folder.resolve("task"));
        folder.resolve("task/lib").toFile().setWritable(false);
        if (withLock) {
            Files.createFile(folder.resolve(EnvironmentFolder.OWNER_LOCK));
        }
        return folder;
    }

    @Test
    void sweep_removesTheFoldersOfEndedProcesses_only() throws Exception {
        long ended = endedProcess();
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path killed = leftOver("lambdaform-invoke-" + ended + "-1", true);
            Path ofALiveProcess = leftOver("lambdaform-invoke-" + alive.pid() + "-2", true);
            Path ofThisProcess =
                    leftOver("lambdaform-invoke-" + ProcessHandle.current().pid() + "-3", true);
            // A live process of another PID namespace sharing the folder: its id means nothing here, its lock does.
            Path locked = leftOver("lambdaform-invoke-" + ended + "-4", true);
            Path notLockedYet = leftOver("lambdaform-invoke-" + ended + "-5", false);
            Path earlierVersionRecent = leftOver("lambdaform-invoke-8123456789", false);
            Path earlierVersionOld = leftOver("lambdaform-invoke-9123456789", false);
            Files.setLastModifiedTime(
                    earlierVersionOld, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            Path unrelated = Files.createDirectories(temp.resolve("lambdaform-other-" + ended));

            try (FileChannel channel =
                            FileChannel.open(locked.resolve(EnvironmentFolder.OWNER_LOCK), StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                EnvironmentFolder.sweep(temp);
            }

            assertThat(killed).doesNotExist();
            assertThat(earlierVersionOld).doesNotExist();
            assertThat(ofALiveProcess).exists();
            assertThat(ofThisProcess).exists();
            assertThat(locked).exists();
            assertThat(notLockedYet)
                    .as("made a moment ago, its lock not yet taken")
                    .exists();
            assertThat(earlierVersionRecent).exists();
            assertThat(unrelated).exists();
        } finally {
            alive.destroyForcibly();
        }
    }
}
