package io.lambdaform.cloud.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.resource.DeploymentPackage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Runs functions for real on this machine, the way Lambda's service does: each invocation goes to an execution
 * environment through the Lambda Runtime API ({@link RuntimeApi}); an environment (a read-only copy of the package as
 * the task root, a private tmp folder, only the documented environment, the runtime's process and everything it
 * starts) is reused by the next invocation of the same function, version and configuration while the command runs,
 * as Lambda reuses warm environments, and ended by a timeout, an exit, the end of the command or a minute unused.
 * The first invocation of an environment reports its init duration, as Lambda's REPORT line does.
 */
final class LocalRuntime implements AutoCloseable {
    private static final String LATEST = "$LATEST";
    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    private static final boolean LINUX = OS.startsWith("linux");
    private static final boolean WINDOWS = OS.startsWith("windows");
    /** Lambda's limit on a synchronous response, as its error message states it. */
    static final int MAX_PAYLOAD_BYTES = 6_291_556;
    /** How long an environment may sit unused before it is ended (Lambda keeps them some minutes). */
    static final Duration IDLE = Duration.ofSeconds(60);
    /**
     * How many environments may wait unused at once: each holds processes, threads and a copy of its package, so a
     * command that invokes many functions keeps the most recently used warm and ends the others.
     */
    static final int MAX_IDLE = 8;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lambdaform-idle-environments");
        thread.setDaemon(true);
        return thread;
    });

    private final Path stateDir;
    private final String region;
    private final RuntimeCommands commands;
    private final Interruption interruption;
    private final ProgressListener progress;
    /** The warm environments not running an invocation, by what they run; most recently used last. */
    private final Map<Key, Deque<Idle>> idle = new HashMap<>();

    private final Set<ExecutionEnvironment> busy = new HashSet<>();
    private final Set<String> noted = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> reaping;
    private boolean closed;

    LocalRuntime(LocalCloudConfig config, Interruption interruption, ProgressListener progress) {
        this.interruption = interruption;
        this.progress = progress;
        this.stateDir = config.stateDir().toAbsolutePath();
        this.region = config.region();
        this.commands = new RuntimeCommands(config);
    }

    /**
     * Runs one invocation of {@code function} (its package at {@code codeZip}, the packages of its layers in its
     * order), in a warm environment when one is free, else in a new one; {@code invokedArn} is the ARN as the caller
     * qualified it (an alias's, a version's, or none), which the runtime's context gives.
     */
    InvocationResult invoke(
            FunctionState function, String invokedArn, Path codeZip, List<Path> layerZips, String event) {
        FunctionSettings settings = function.settings();
        RuntimeCommands.Launch launch = commands.launch(settings.runtime(), this::script);
        launch.interpreter().note().ifPresent(note -> {
            if (noted.add(note)) {
                progress.onProgress(note);
            }
        });
        Key key = new Key(function.arn(), function.codeSha256(), settings);
        String requestId = UUID.randomUUID().toString();
        Optional<ExecutionEnvironment> warm = take(key);
        boolean cold = warm.isEmpty();
        LayerMount layers = LayerMount.of(stateDir, layerZips);
        if (cold && settings.runtime().startsWith("provided")) {
            Path bootstrap = bootstrap(extract(codeZip, LocalCloud.hex(function.codeSha256())), layers);
            if (!Files.isRegularFile(bootstrap) || !Files.isExecutable(bootstrap)) {
                // As Lambda answers a custom runtime without one; validate says so before anything is deployed.
                String message = "RequestId: " + requestId + " Error: Couldn't find valid bootstrap(s): ["
                        + (Files.exists(bootstrap)
                                ? "bootstrap is not executable"
                                : "/var/task/bootstrap /opt/bootstrap")
                        + "]";
                return new InvocationResult(
                        error("Runtime.InvalidEntrypoint", message),
                        Optional.of("Unhandled"),
                        "START RequestId: " + requestId + " Version: " + version(function) + "\nEND RequestId: "
                                + requestId + "\n",
                        0,
                        Optional.of(version(function)),
                        200);
            }
        }
        ExecutionEnvironment environment = warm.orElseGet(() -> start(function, codeZip, layers, launch));
        String trace = traceId();
        ExecutionEnvironment.Answer answer;
        try (Interruption.Registration stopping = interruption.onRequest(environment::stop)) {
            answer = environment.invoke(
                    deadline -> new RuntimeApi.Invocation(requestId, event, deadline, invokedArn, trace),
                    settings.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(environment);
            throw LambdaformException.user("interrupted while invoking " + function.name());
        } catch (RuntimeException e) {
            discard(environment);
            throw e;
        }
        if (interruption.requested().isPresent()) {
            discard(environment);
            throw LambdaformException.user("the invocation of " + function.name() + " was ended after "
                    + answer.durationMillis() + " ms: stopped by "
                    + interruption.requested().get()
                    + "; its handler and every process it started were stopped");
        }
        release(key, environment);
        return result(function, launch, requestId, answer, cold);
    }

    /** Lambda's result and log lines for what the environment answered. */
    private static InvocationResult result(
            FunctionState function,
            RuntimeCommands.Launch launch,
            String requestId,
            ExecutionEnvironment.Answer answer,
            boolean cold) {
        int timeout = function.settings().timeout();
        String handlerLog = answer.log();
        String payload;
        Optional<String> functionError = Optional.of("Unhandled");
        switch (answer.kind()) {
            case TIMEOUT -> {
                payload = error(
                        "Sandbox.Timedout",
                        String.format(
                                Locale.ROOT,
                                "RequestId: %s Error: Task timed out after %d.00 seconds",
                                requestId,
                                timeout));
                handlerLog = line(handlerLog) + timestamp() + " " + requestId + " Task timed out after " + timeout
                        + ".00 seconds\n";
            }
            case EXITED ->
                payload = error(
                        "Runtime.ExitError",
                        "RequestId: " + requestId + " Error: Runtime exited "
                                + answer.exitStatus()
                                        .map(status -> status == 0
                                                ? "without providing a reason"
                                                : "with error: exit status " + status)
                                        .orElse("without providing a reason"));
            case INIT_ERROR, ANSWERED -> {
                RuntimeApi.Outcome outcome = answer.outcome().orElseThrow();
                if (outcome.failed()) {
                    payload = errorPayload(outcome);
                } else {
                    payload = outcome.body();
                    functionError = Optional.empty();
                }
            }
            default -> throw new IllegalStateException(answer.kind().toString());
        }
        String version = version(function);
        StringBuilder log = new StringBuilder();
        if (cold) {
            log.append("INIT_START Runtime Version: ")
                    .append(function.settings().runtime())
                    .append(" on ")
                    .append(launch.interpreter().executable().getFileName())
                    .append(
                            launch.interpreter().version().isEmpty()
                                    ? ""
                                    : " " + launch.interpreter().version())
                    .append('\n');
            launch.interpreter()
                    .note()
                    .ifPresent(note -> log.append("[lambdaform] ").append(note).append('\n'));
        }
        log.append("START RequestId: ")
                .append(requestId)
                .append(" Version: ")
                .append(version)
                .append('\n');
        log.append(line(handlerLog));
        log.append("END RequestId: ").append(requestId).append('\n');
        log.append(String.format(
                Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %d ms\tBilled Duration: %d ms\tMemory Size: %d MB",
                requestId,
                answer.durationMillis(),
                Math.max(1, answer.durationMillis()),
                function.settings().memorySize()));
        answer.maxMemoryMegabytes()
                .ifPresent(mb -> log.append("\tMax Memory Used: ").append(mb).append(" MB"));
        answer.initMillis()
                .ifPresent(ms -> log.append("\tInit Duration: ").append(ms).append(" ms"));
        log.append('\n');
        return new InvocationResult(
                payload, functionError, log.toString(), answer.durationMillis(), Optional.of(version), 200);
    }

    /** The error object the runtime posted, as Lambda returns it; a body that is not one is wrapped in one. */
    private static String errorPayload(RuntimeApi.Outcome outcome) {
        try {
            JsonNode body = JSON.readTree(outcome.body());
            if (body != null && body.isObject()) {
                return outcome.body();
            }
        } catch (JsonProcessingException e) {
            // Not JSON: wrapped below.
        }
        return error(outcome.errorType().orElse("Unhandled"), outcome.body());
    }

    private static String line(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    /** A new environment for the function: its folder, then its runtime, which initializes on its own. */
    private ExecutionEnvironment start(
            FunctionState function, Path codeZip, LayerMount layers, RuntimeCommands.Launch launch) {
        Path pristine = extract(codeZip, LocalCloud.hex(function.codeSha256()));
        EnvironmentFolder folder = EnvironmentFolder.create(pristine);
        try {
            List<String> command = new ArrayList<>();
            if (LINUX) {
                command.addAll(List.of(
                        commands.launcherPython().toString(),
                        "-I",
                        "-S",
                        script("sandbox_launcher.py").toString(),
                        String.valueOf(ProcessHandle.current().pid())));
            }
            command.addAll(launch.command().of(bootstrap(folder.taskRoot(), layers), layers.opt(), folder.tmp()));
            ExecutionEnvironment environment = ExecutionEnvironment.start(
                    folder,
                    command,
                    environment(function, folder, launch.interpreter().executable(), layers),
                    "cannot start the runtime of " + function.name() + " ("
                            + function.settings().runtime() + ")");
            synchronized (this) {
                busy.add(environment);
            }
            return environment;
        } catch (RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    private synchronized Optional<ExecutionEnvironment> take(Key key) {
        Deque<Idle> warm = idle.getOrDefault(key, new ArrayDeque<>());
        while (!warm.isEmpty()) {
            ExecutionEnvironment environment = warm.pollLast().environment();
            if (environment.usable()) {
                busy.add(environment);
                return Optional.of(environment);
            }
            environment.close();
        }
        return Optional.empty();
    }

    private void release(Key key, ExecutionEnvironment environment) {
        Optional<ExecutionEnvironment> evicted = Optional.empty();
        synchronized (this) {
            busy.remove(environment);
            if (!closed && environment.usable()) {
                idle.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(new Idle(environment, System.nanoTime()));
                if (reaping == null) {
                    reaping = REAPER.scheduleWithFixedDelay(this::endIdle, 5, 5, TimeUnit.SECONDS);
                }
                evicted = leastRecentlyUsedOverTheLimit();
                environment = null;
            }
        }
        evicted.ifPresent(ExecutionEnvironment::close);
        if (environment != null) {
            environment.close();
        }
    }

    /** Takes out the idle environment used least recently when more than {@link #MAX_IDLE} wait. */
    private Optional<ExecutionEnvironment> leastRecentlyUsedOverTheLimit() {
        if (idle.values().stream().mapToInt(Deque::size).sum() <= MAX_IDLE) {
            return Optional.empty();
        }
        Deque<Idle> oldest = null;
        for (Deque<Idle> warm : idle.values()) {
            if (!warm.isEmpty()
                    && (oldest == null
                            || warm.peekFirst().since() < oldest.peekFirst().since())) {
                oldest = warm;
            }
        }
        Optional<ExecutionEnvironment> evicted = Optional.of(oldest.pollFirst().environment());
        idle.values().removeIf(Deque::isEmpty);
        return evicted;
    }

    private void discard(ExecutionEnvironment environment) {
        synchronized (this) {
            busy.remove(environment);
        }
        environment.close();
    }

    /** Ends the environments unused for {@link #IDLE}. */
    private void endIdle() {
        List<ExecutionEnvironment> ending = new ArrayList<>();
        long before = System.nanoTime() - IDLE.toNanos();
        synchronized (this) {
            for (Deque<Idle> warm : idle.values()) {
                warm.removeIf(e -> {
                    if (e.since() < before || !e.environment().usable()) {
                        ending.add(e.environment());
                        return true;
                    }
                    return false;
                });
            }
            idle.values().removeIf(Deque::isEmpty);
        }
        ending.forEach(ExecutionEnvironment::close);
    }

    /** How many environments are alive, running an invocation or waiting for one. */
    synchronized int environments() {
        return busy.size() + idle.values().stream().mapToInt(Deque::size).sum();
    }

    /** Ends every environment: the command is over. */
    @Override
    public void close() {
        List<ExecutionEnvironment> ending = new ArrayList<>();
        synchronized (this) {
            closed = true;
            idle.values().forEach(warm -> warm.forEach(e -> ending.add(e.environment())));
            idle.clear();
            ending.addAll(busy);
            busy.clear();
            if (reaping != null) {
                reaping.cancel(false);
            }
        }
        ending.forEach(ExecutionEnvironment::close);
    }

    /** A custom runtime's bootstrap: the package's, else a layer's ({@code /opt/bootstrap}), as Lambda looks. */
    private static Path bootstrap(Path taskRoot, LayerMount layers) {
        Path own = taskRoot.resolve("bootstrap");
        return Files.exists(own, LinkOption.NOFOLLOW_LINKS)
                ? own
                : layers.bootstrap().orElse(own);
    }

    private static String traceId() {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.substring(0, 24) + ";Parent="
                + hex.substring(16) + ";Sampled=0";
    }

    /**
     * Everything the runtime's process gets, and nothing else from the host (not its credentials, not its HOME):
     * a PATH that starts with the interpreter's folder, a UTF-8 locale, a private HOME and TMPDIR, the function's
     * environment, then Lambda's variables, which the function's environment cannot override.
     */
    private Map<String, String> environment(
            FunctionState function, EnvironmentFolder folder, Path executable, LayerMount layers) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> path = new ArrayList<>();
        if (executable.isAbsolute()) {
            path.add(executable.getParent().toString());
        }
        if (WINDOWS) {
            String systemRoot = System.getenv().getOrDefault("SYSTEMROOT", "C:\\Windows");
            env.put("SYSTEMROOT", systemRoot);
            path.addAll(List.of(systemRoot + "\\System32", systemRoot));
        } else {
            path.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin"));
        }
        env.put("PATH", String.join(File.pathSeparator, path));
        env.put("LANG", LINUX ? "C.UTF-8" : "en_US.UTF-8");
        String tmp = folder.tmp().toString();
        env.put("HOME", tmp);
        env.put("TMPDIR", tmp);
        env.put("TMP", tmp);
        env.put("TEMP", tmp);
        layers.addTo(env, function.settings().runtime());
        env.putAll(function.settings().environment());
        env.putAll(standardVariables(function, folder.taskRoot()));
        return env;
    }

    /** The version a function record runs: the qualifier of its ARN (a version's view), else $LATEST. */
    static String version(FunctionState function) {
        String[] parts = function.arn().split(":");
        return parts.length == 8 ? parts[7] : LATEST;
    }

    /**
     * The variables Lambda sets, from the function's configuration: its log group (as its logging configuration
     * names it) and, with the JSON log format, the format and application log level its runtime's logger reads.
     */
    private Map<String, String> standardVariables(FunctionState function, Path taskRoot) {
        FunctionSettings settings = function.settings();
        String name = function.name();
        String logStream =
                DateTimeFormatter.ofPattern("yyyy/MM/dd").format(Instant.now().atOffset(ZoneOffset.UTC)) + "/["
                        + version(function) + "]" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", version(function));
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(settings.memorySize()));
        env.put(
                "AWS_LAMBDA_LOG_GROUP_NAME",
                settings.loggingConfig()
                        .flatMap(FunctionSettings.LoggingConfig::logGroup)
                        .orElse("/aws/lambda/" + name));
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + settings.runtime());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("_HANDLER", settings.handler());
        env.put("TZ", ":UTC");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        settings.loggingConfig().filter(l -> l.logFormat().equals("JSON")).ifPresent(logging -> {
            env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
            env.put("AWS_LAMBDA_LOG_LEVEL", logging.applicationLogLevel().orElse("INFO"));
        });
        return env;
    }

    /**
     * Removes the extracted copies of packages whose digests are not among {@code kept} (no function runs them).
     * Each is renamed first, so that an extraction of the same package meanwhile starts afresh; extractions in
     * progress ({@code <digest>.tmp-…}) are left alone. Best effort.
     */
    void removePackagesExcept(Set<String> kept) {
        Path packages = stateDir.resolve("runtime").resolve("packages");
        if (!Files.isDirectory(packages, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> extracted = Files.newDirectoryStream(packages)) {
            for (Path folder : extracted) {
                String name = folder.getFileName().toString();
                if (name.contains(".removed-")) {
                    EnvironmentFolder.deleteRecursively(folder);
                } else if (!name.contains(".") && !kept.contains(name)) {
                    removePackage(name);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A leftover copy costs disk space only.
        }
    }

    /** Removes the extracted copy of the package of that digest (no function runs it); best effort. */
    void removePackage(String hexDigest) {
        Path folder = stateDir.resolve("runtime").resolve("packages").resolve(hexDigest);
        Path doomed = folder.resolveSibling(hexDigest + ".removed-" + UUID.randomUUID());
        try {
            Files.move(folder, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return;
        }
        EnvironmentFolder.deleteRecursively(doomed);
    }

    /**
     * Extracts the package once per CodeSha256, refusing entries that would land outside the task root. Handlers
     * never run in this folder: each invocation gets a copy of it.
     */
    private Path extract(Path zip, String hexDigest) {
        Path target = stateDir.resolve("runtime").resolve("packages").resolve(hexDigest);
        if (Files.isDirectory(target)) {
            return target;
        }
        if (!Files.exists(zip)) {
            throw LambdaformException.user(
                    "the code of this function is missing from " + zip.getParent() + "; run apply again to upload it");
        }
        try {
            Path temp = Files.createDirectories(target.getParent()).resolve(hexDigest + ".tmp-" + UUID.randomUUID());
            long extracted = 0;
            try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
                for (ZipArchiveEntry entry : Collections.list(file.getEntries())) {
                    Path out = temp.resolve(entry.getName()).normalize();
                    if (!out.startsWith(temp) || entry.getName().startsWith("/")) {
                        throw LambdaformException.user("the deployment package has an entry '" + entry.getName()
                                + "' that points outside the package (zip-slip); refusing to extract it");
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry);
                            OutputStream copy = Files.newOutputStream(out)) {
                        extracted = copyAtMost(in, copy, extracted, zip);
                    }
                    if ((entry.getUnixMode() & 0100) != 0) {
                        out.toFile().setExecutable(true);
                    }
                }
                EnvironmentFolder.makeFilesReadOnly(temp);
            } catch (RuntimeException e) {
                EnvironmentFolder.deleteRecursively(temp);
                throw e;
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                EnvironmentFolder.deleteRecursively(temp);
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw LambdaformException.user("cannot extract the deployment package " + zip + ": " + e.getMessage());
        }
    }

    /**
     * Copies an entry, counting what the package held so far: Lambda's unzipped limit stops it whatever the zip's
     * headers declare. Returns the new count.
     */
    private static long copyAtMost(InputStream in, OutputStream out, long before, Path zip) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long count = before;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            count += n;
            if (count > DeploymentPackage.MAX_UNZIPPED_BYTES) {
                throw LambdaformException.user("the deployment package " + zip.getFileName() + " holds more than "
                        + DeploymentPackage.MAX_UNZIPPED_BYTES / 1048576 + " MB unzipped, Lambda's limit; refusing to"
                        + " extract it");
            }
            out.write(buffer, 0, n);
        }
        return count;
    }

    /** Writes one of the local cloud's scripts to the state folder (again if it differs from ours) and returns it. */
    private Path script(String name) {
        Path runner = stateDir.resolve("runtime").resolve(name);
        try (InputStream in = LocalRuntime.class.getResourceAsStream(name)) {
            byte[] content = in.readAllBytes();
            if (!Files.exists(runner) || !Arrays.equals(Files.readAllBytes(runner), content)) {
                Files.createDirectories(runner.getParent());
                Path temp = Files.createTempFile(runner.getParent(), "runner", ".tmp");
                Files.write(temp, content);
                Files.move(temp, runner, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return runner;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String error(String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("errorMessage", message);
        error.put("errorType", type);
        return error.toString();
    }

    private static String timestamp() {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    }

    /** What an environment runs: a function's version, its code and its configuration. */
    private record Key(String arn, String codeSha256, FunctionSettings settings) {}

    private record Idle(ExecutionEnvironment environment, long since) {}
}
