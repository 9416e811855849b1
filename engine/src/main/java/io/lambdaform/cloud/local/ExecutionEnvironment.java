package io.lambdaform.cloud.local;

import io.lambdaform.LambdaformException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * One execution environment, as Lambda keeps one between invocations: a private folder with the task root and a
 * {@code tmp}, the runtime's process (started through the sandbox launcher on Linux, so that everything it starts
 * ends with it) and its {@link RuntimeApi}. It runs one invocation at a time and stays warm between them; a timeout,
 * an exit or an initialization error ends it, and the next invocation gets a new one (a cold start).
 */
final class ExecutionEnvironment implements AutoCloseable {
    private static final boolean LINUX =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    private static final long STOP_GRACE_MILLIS = 2_000;
    /** How long Lambda lets a runtime initialize before the first invocation's time starts. */
    static final int INIT_SECONDS = 10;

    private final EnvironmentFolder folder;
    private final RuntimeApi api;
    private final Process process;
    private final long startNanos;
    private final OutputPump output;
    private boolean initReported;
    private volatile boolean broken;

    private ExecutionEnvironment(
            EnvironmentFolder folder, RuntimeApi api, Process process, long startNanos, OutputPump output) {
        this.output = output;
        this.folder = folder;
        this.api = api;
        this.process = process;
        this.startNanos = startNanos;
    }

    /**
     * Starts the runtime: {@code command} (its program first) with exactly {@code environment} plus
     * {@code AWS_LAMBDA_RUNTIME_API}, in the task root. {@code whenMissing} is the message when the program cannot
     * be started at all.
     */
    static ExecutionEnvironment start(
            EnvironmentFolder folder, List<String> command, Map<String, String> environment, String whenMissing) {
        RuntimeApi api = RuntimeApi.start();
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(folder.taskRoot().toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(environment);
            env.put("AWS_LAMBDA_RUNTIME_API", api.address());
            long start = System.nanoTime();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw LambdaformException.user(whenMissing);
            }
            process.getOutputStream().close();
            return new ExecutionEnvironment(
                    folder, api, process, start, OutputPump.start(process.getInputStream(), LogTail.DEFAULT_CAPACITY));
        } catch (IOException | RuntimeException e) {
            api.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    Path taskRoot() {
        return folder.taskRoot();
    }

    Path tmp() {
        return folder.tmp();
    }

    /** Whether another invocation may run here. */
    boolean usable() {
        return !broken && process.isAlive();
    }

    /**
     * Runs one invocation and returns what came of it, with the output written meanwhile. Ends the environment when
     * the invocation timed out or the runtime failed to start or exited.
     */
    Answer invoke(LongFunction<RuntimeApi.Invocation> invocationWithDeadline, int timeoutSeconds)
            throws InterruptedException {
        // A runtime that has not polled yet is initializing: Lambda gives init 10 s of its own, and the invocation's
        // time starts once it is over.
        long initDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(INIT_SECONDS);
        while (!api.firstPoll().isDone()
                && !api.initError().isDone()
                && process.isAlive()
                && System.nanoTime() < initDeadline) {
            try {
                CompletableFuture.anyOf(api.firstPoll(), api.initError(), process.onExit())
                        .get(Math.max(1, initDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Checked again above.
            }
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        RuntimeApi.Invocation invocation =
                invocationWithDeadline.apply(System.currentTimeMillis() + timeoutSeconds * 1000L);
        Answer.Kind kind;
        RuntimeApi.Outcome outcome = null;
        Optional<CompletableFuture<RuntimeApi.Outcome>> taken =
                api.firstPoll().isDone() ? api.offer(invocation, deadline, process::isAlive) : Optional.empty();
        if (taken.isEmpty()) {
            kind = api.initError().isDone()
                    ? Answer.Kind.INIT_ERROR
                    : process.isAlive() ? Answer.Kind.TIMEOUT : Answer.Kind.EXITED;
        } else {
            CompletableFuture<RuntimeApi.Outcome> answer = taken.get();
            kind = null;
            while (kind == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    kind = answer.isDone() ? Answer.Kind.ANSWERED : Answer.Kind.TIMEOUT;
                    break;
                }
                try {
                    outcome = answer.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
                    kind = Answer.Kind.ANSWERED;
                } catch (TimeoutException e) {
                    if (!process.isAlive()) {
                        // An answer posted just before the runtime exited still counts.
                        kind = answer.isDone() ? Answer.Kind.ANSWERED : Answer.Kind.EXITED;
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            if (kind == Answer.Kind.ANSWERED && outcome == null) {
                outcome = answer.getNow(null);
            }
        }
        // As Lambda counts it: the invocation's duration leaves out the runtime's init, reported apart.
        Long initialized = api.firstPoll().getNow(null);
        long millis = (System.nanoTime() - (initialized == null ? start : Math.max(start, initialized))) / 1_000_000;
        if (kind == Answer.Kind.INIT_ERROR) {
            outcome = api.initError().getNow(null);
        }
        if (kind != Answer.Kind.ANSWERED) {
            broken = true;
            stop();
        }
        OptionalLong memory = maxMemoryMegabytes();
        OptionalLong init = OptionalLong.empty();
        if (!initReported) {
            initReported = true;
            Long polled = api.firstPoll().getNow(null);
            init = OptionalLong.of(((polled == null ? System.nanoTime() : polled) - startNanos) / 1_000_000);
        }
        Integer status = process.isAlive() ? null : exitStatus();
        return new Answer(
                kind, Optional.ofNullable(outcome), millis, init, memory, output.take(), Optional.ofNullable(status));
    }

    /** The most memory the runtime's processes held at once, as Linux counts it (VmHWM), in MB. */
    private OptionalLong maxMemoryMegabytes() {
        if (!LINUX || !process.isAlive()) {
            return OptionalLong.empty();
        }
        long kilobytes = 0;
        for (ProcessHandle handle : process.descendants().collect(Collectors.toList())) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + handle.pid() + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        kilobytes += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The process ended meanwhile.
            }
        }
        return kilobytes == 0 ? OptionalLong.empty() : OptionalLong.of((kilobytes + 1023) / 1024);
    }

    private int exitStatus() {
        try {
            process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Ends the runtime with everything it started. On Linux the process is the sandbox launcher: SIGTERM makes it kill
     * the runtime's whole tree (daemons included) and exit; SIGKILL follows if it has not within a grace period.
     * Elsewhere the process and the descendants Java can see are killed.
     */
    void stop() {
        broken = true;
        List<ProcessHandle> tree = process.descendants().collect(Collectors.toList());
        try {
            if (LINUX) {
                process.destroy();
                if (!process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } else {
                process.destroyForcibly();
            }
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        output.stop();
        api.close();
        folder.close();
    }

    /** What one invocation came to. */
    record Answer(
            Kind kind,
            Optional<RuntimeApi.Outcome> outcome,
            long durationMillis,
            OptionalLong initMillis,
            OptionalLong maxMemoryMegabytes,
            String log,
            Optional<Integer> exitStatus) {
        enum Kind {
            /** The runtime posted a response or an error. */
            ANSWERED,
            /** The runtime reported that it could not initialize. */
            INIT_ERROR,
            /** The deadline passed first. */
            TIMEOUT,
            /** The runtime exited before answering. */
            EXITED
        }
    }
}
