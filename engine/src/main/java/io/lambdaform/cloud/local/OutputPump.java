package io.lambdaform.cloud.local;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Reads what a runtime writes to stdout and stderr (one pipe) into the log of the invocation it belongs to. It reads
 * only the bytes the pipe holds, never waiting in a read, so that the log of an invocation can be taken as soon as
 * the runtime has answered it: the runtime clients flush their output before they post the answer, so everything
 * written before is in the pipe, and {@link #take} reads it. Between invocations a thread keeps the pipe from
 * filling, sleeping a little longer each time it finds nothing. Memory stays at the log's capacity.
 */
final class OutputPump {
    private static final long MAX_SLEEP_MILLIS = 20;

    private final InputStream in;
    private final int capacity;
    private final byte[] buffer = new byte[64 * 1024];
    private LogTail tail;
    private volatile boolean stopped;

    private OutputPump(InputStream in, int capacity) {
        this.in = in;
        this.capacity = capacity;
        this.tail = new LogTail(capacity);
    }

    static OutputPump start(InputStream in, int capacity) {
        OutputPump pump = new OutputPump(in, capacity);
        Thread thread = new Thread(pump::run, "lambdaform-output");
        thread.setDaemon(true);
        thread.start();
        return pump;
    }

    private void run() {
        long sleep = 1;
        while (!stopped) {
            if (readAvailable() > 0) {
                sleep = 1;
                continue;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
            sleep = Math.min(MAX_SLEEP_MILLIS, sleep * 2);
        }
    }

    /** Reads what the pipe holds now into the current log; returns how many bytes. */
    private synchronized long readAvailable() {
        long read = 0;
        try {
            for (int n = in.available(); n > 0; n = in.available()) {
                int got = in.read(buffer, 0, Math.min(n, buffer.length));
                if (got < 0) {
                    break;
                }
                tail.append(buffer, 0, got);
                read += got;
            }
        } catch (IOException e) {
            // The pipe was closed: what was read is the log.
        }
        return read;
    }

    /** Everything written since the last call: the log of the invocation that just ended. */
    synchronized String take() {
        readAvailable();
        String text = tail.text();
        tail = new LogTail(capacity);
        return text;
    }

    void stop() {
        stopped = true;
    }
}
