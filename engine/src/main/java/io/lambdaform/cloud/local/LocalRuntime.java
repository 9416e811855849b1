package io.lambdaform.cloud.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.resource.DeploymentPackage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Runs a function's handler for real, in a child process of the machine's python3 or node, the way Lambda's runtime
 * would: a fresh read-only copy of the package as the task root, a private tmp folder, only the documented
 * environment, a context object, the timeout enforced, every process the handler started ended with the invocation
 * (on Linux by the sandbox launcher), a bounded log, and errors reported as Lambda reports them.
 */
final class LocalRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST = "$LATEST";
    private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    private static final boolean LINUX = OS.startsWith("linux");
    private static final boolean WINDOWS = OS.startsWith("windows");
    /** Lambda's limit on a synchronous response, as its error message states it. */
    static final int MAX_PAYLOAD_BYTES = 6_291_556;

    private static final long STOP_GRACE_MILLIS = 2_000;
    private static final long PUMP_WAIT_MILLIS = 5_000;
    private static final Map<String, Path> EXECUTABLES = new ConcurrentHashMap<>();

    private final Path stateDir;
    private final String region;
    private final Map<Interpreter, String> commands;

    private final Interruption interruption;

    LocalRuntime(LocalCloudConfig config, Interruption interruption) {
        this.interruption = interruption;
        this.stateDir = config.stateDir().toAbsolutePath();
        this.region = config.region();
        this.commands = Map.of(Interpreter.PYTHON, config.python(), Interpreter.NODE, config.node());
    }

    InvocationResult invoke(FunctionState function, Path codeZip, List<Path> layerZips, String event) {
        String runtime = function.settings().runtime();
        Interpreter interpreter = Interpreter.forRuntime(runtime);
        Path pristine = extract(codeZip, LocalCloud.hex(function.codeSha256()));
        Path executable = executable(interpreter, runtime);
        List<String> command = new ArrayList<>();
        if (LINUX) {
            command.addAll(List.of(
                    executable(Interpreter.PYTHON, runtime).toString(),
                    "-I",
                    "-S",
                    script("sandbox_launcher.py").toString(),
                    String.valueOf(ProcessHandle.current().pid())));
        }
        command.add(executable.toString());
        command.add(script(interpreter.runnerName()).toString());
        String requestId = UUID.randomUUID().toString();
        try (InvocationFolder folder = InvocationFolder.create(pristine)) {
            Files.writeString(folder.event(), event);
            int timeout = function.settings().timeout();
            long start = System.nanoTime();
            long deadline = System.currentTimeMillis() + timeout * 1000L;

            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(folder.taskRoot().toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(environment(function, folder, executable, layerZips));
            env.put("_LF_EVENT", folder.event().toString());
            env.put("_LF_RESULT", folder.result().toString());
            env.put("_LF_REQUEST_ID", requestId);
            env.put("_LF_DEADLINE_MS", String.valueOf(deadline));
            env.put("_LF_FUNCTION_ARN", function.arn());

            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw LambdaformException.user(interpreter.missingMessage(commands.get(interpreter), runtime));
            }
            process.getOutputStream().close();
            LogTail output = new LogTail(LogTail.DEFAULT_CAPACITY);
            Thread pump = output.pump(process.getInputStream());
            boolean finished;
            // A signal to the engine ends the handler with everything it started, here and now.
            try (Interruption.Registration stopping = interruption.onRequest(() -> stopQuietly(process))) {
                finished = process.waitFor(timeout, TimeUnit.SECONDS);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (!finished) {
                stop(process);
            }
            pump.join(PUMP_WAIT_MILLIS);
            if (interruption.requested().isPresent()) {
                throw LambdaformException.user("the invocation of " + function.name() + " was ended after " + millis
                        + " ms: stopped by " + interruption.requested().get() + "; its handler and every process"
                        + " it started were stopped");
            }
            String handlerLog = output.text();

            String payload;
            Optional<String> functionError = Optional.of("Unhandled");
            if (!finished) {
                payload = error(
                        "Sandbox.Timedout",
                        String.format(
                                Locale.ROOT,
                                "RequestId: %s Error: Task timed out after %d.00 seconds",
                                requestId,
                                timeout));
                handlerLog += (handlerLog.isEmpty() || handlerLog.endsWith("\n") ? "" : "\n") + timestamp() + " "
                        + requestId + " Task timed out after " + timeout + ".00 seconds\n";
            } else if (!Files.exists(folder.result())) {
                payload = error(
                        "Runtime.ExitError",
                        "RequestId: " + requestId + " Error: Runtime exited with error: exit status "
                                + process.exitValue());
            } else {
                JsonNode outcome = readOutcome(folder.result());
                if (outcome == null) {
                    payload = error(
                            "Function.ResponseSizeTooLarge",
                            "Response payload size exceeded maximum allowed" + " payload size (" + MAX_PAYLOAD_BYTES
                                    + " bytes).");
                } else if (outcome.has("error")) {
                    payload = outcome.get("error").toString();
                } else {
                    payload = outcome.get("result").toString();
                    functionError = Optional.empty();
                }
                if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
                    payload = error(
                            "Function.ResponseSizeTooLarge",
                            "Response payload size exceeded maximum allowed" + " payload size (" + MAX_PAYLOAD_BYTES
                                    + " bytes).");
                    functionError = Optional.of("Unhandled");
                }
            }
            String log = "START RequestId: " + requestId + " Version: " + version(function) + "\n"
                    + handlerLog + (handlerLog.isEmpty() || handlerLog.endsWith("\n") ? "" : "\n")
                    + "END RequestId: " + requestId + "\n"
                    + String.format(
                            Locale.ROOT,
                            "REPORT RequestId: %s\tDuration: %d ms\tBilled Duration: %d ms\t" + "Memory Size: %d MB%n",
                            requestId,
                            millis,
                            Math.max(1, millis),
                            function.settings().memorySize());
            return new InvocationResult(payload, functionError, log, millis, Optional.of(version(function)), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaformException.user("interrupted while invoking " + function.name());
        }
    }

    /**
     * Ends a process that ran out of time with everything it started. On Linux the process is the sandbox launcher:
     * SIGTERM makes it kill the handler's whole tree (daemons included) and exit; SIGKILL follows if it has not
     * within a grace period. Elsewhere the process and the descendants Java can see are killed.
     */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().collect(Collectors.toList());
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
    }

    private static void stopQuietly(Process process) {
        try {
            stop(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The runner's outcome, or null when the result is over Lambda's synchronous response limit. */
    private static JsonNode readOutcome(Path resultFile) throws IOException {
        if (Files.size(resultFile) > MAX_PAYLOAD_BYTES + 64) {
            return null;
        }
        try {
            return JSON.readTree(Files.readString(resultFile));
        } catch (JsonProcessingException e) {
            ObjectNode outcome = JSON.createObjectNode();
            outcome.set("error", JSON.readTree(error("Runtime.ExitError", "the runtime wrote an unreadable result")));
            return outcome;
        }
    }

    /**
     * Everything the handler's process gets, and nothing else from the host (not its credentials, not its HOME):
     * a PATH that starts with the interpreter's folder, a UTF-8 locale, a private HOME and TMPDIR, the function's
     * environment, then Lambda's variables, which the function's environment cannot override.
     */
    private Map<String, String> environment(
            FunctionState function, InvocationFolder folder, Path executable, List<Path> layerZips) {
        Map<String, String> env = new LinkedHashMap<>();
        String bin = executable.getParent().toString();
        if (WINDOWS) {
            String systemRoot = System.getenv().getOrDefault("SYSTEMROOT", "C:\\Windows");
            env.put("SYSTEMROOT", systemRoot);
            env.put("PATH", String.join(File.pathSeparator, bin, systemRoot + "\\System32", systemRoot));
        } else {
            env.put("PATH", String.join(File.pathSeparator, bin, "/usr/local/bin", "/usr/bin", "/bin"));
        }
        env.put("LANG", LINUX ? "C.UTF-8" : "en_US.UTF-8");
        String tmp = folder.tmp().toString();
        env.put("HOME", tmp);
        env.put("TMPDIR", tmp);
        env.put("TMP", tmp);
        env.put("TEMP", tmp);
        LayerMount.of(stateDir, layerZips).addTo(env, function.settings().runtime());
        env.putAll(function.settings().environment());
        env.putAll(standardVariables(function, folder.taskRoot()));
        return env;
    }

    /**
     * The interpreter's own executable, asked of the interpreter once per command: a PATH shim such as pyenv's
     * {@code python3} is a script that needs the host's environment, which the handler does not get.
     */
    private Path executable(Interpreter interpreter, String runtime) {
        String command = commands.get(interpreter);
        Path executable = EXECUTABLES.computeIfAbsent(interpreter + "\0" + command, key -> interpreter.locate(command));
        if (executable == null) {
            throw LambdaformException.user(interpreter.missingMessage(command, runtime));
        }
        return executable;
    }

    /** The version a function record runs: the qualifier of its ARN (a version's view), else $LATEST. */
    static String version(FunctionState function) {
        String[] parts = function.arn().split(":");
        return parts.length == 8 ? parts[7] : LATEST;
    }

    private Map<String, String> standardVariables(FunctionState function, Path taskRoot) {
        String name = function.name();
        String logStream =
                DateTimeFormatter.ofPattern("yyyy/MM/dd").format(Instant.now().atOffset(ZoneOffset.UTC)) + "/["
                        + version(function) + "]" + UUID.randomUUID().toString().replace("-", "");
        return Map.ofEntries(
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", name),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", version(function)),
                Map.entry(
                        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                        String.valueOf(function.settings().memorySize())),
                Map.entry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name),
                Map.entry("AWS_LAMBDA_LOG_STREAM_NAME", logStream),
                Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
                Map.entry("AWS_REGION", region),
                Map.entry("AWS_DEFAULT_REGION", region),
                Map.entry(
                        "AWS_EXECUTION_ENV", "AWS_Lambda_" + function.settings().runtime()),
                Map.entry("LAMBDA_TASK_ROOT", taskRoot.toString()),
                Map.entry("_HANDLER", function.settings().handler()),
                Map.entry("TZ", ":UTC"),
                Map.entry("PYTHONDONTWRITEBYTECODE", "1"));
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
                    InvocationFolder.deleteRecursively(folder);
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
        InvocationFolder.deleteRecursively(doomed);
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
                InvocationFolder.makeFilesReadOnly(temp);
            } catch (RuntimeException e) {
                InvocationFolder.deleteRecursively(temp);
                throw e;
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                InvocationFolder.deleteRecursively(temp);
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

    /** The local interpreter for a runtime family. */
    enum Interpreter {
        PYTHON(
                "python_runner.py",
                "install Python 3 (for example 'apt-get install python3') and make sure it is on"
                        + " PATH, or point LAMBDAFORM_PYTHON at it",
                "-c",
                "import sys; sys.stdout.write(sys.executable)"),
        NODE(
                "node_runner.mjs",
                "install Node.js 18 or newer (for example 'apt-get install nodejs') and make sure it"
                        + " is on PATH, or point LAMBDAFORM_NODE at it",
                "-e",
                "process.stdout.write(process.execPath)");

        private final String runnerName;
        private final String install;
        private final List<String> printExecutable;

        Interpreter(String runnerName, String install, String... printExecutable) {
            this.runnerName = runnerName;
            this.install = install;
            this.printExecutable = List.of(printExecutable);
        }

        /** Asks the interpreter for its executable's path; null if it cannot be run or does not answer. */
        Path locate(String command) {
            List<String> ask = new ArrayList<>(List.of(command));
            ask.addAll(printExecutable);
            try {
                Process process = new ProcessBuilder(ask)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                process.getOutputStream().close();
                byte[] answer = process.getInputStream().readNBytes(16 * 1024);
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    return null;
                }
                Path executable = Path.of(new String(answer, StandardCharsets.UTF_8).strip());
                return executable.isAbsolute() && Files.isExecutable(executable) ? executable : null;
            } catch (IOException | RuntimeException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        static Interpreter forRuntime(String runtime) {
            if (runtime.startsWith("python")) {
                return PYTHON;
            }
            if (runtime.startsWith("nodejs")) {
                return NODE;
            }
            throw LambdaformException.user("the local cloud runs python and nodejs handlers; runtime " + runtime
                    + " can be deployed to it but not invoked. Invoke it on --target aws");
        }

        String runnerName() {
            return runnerName;
        }

        String missingMessage(String command, String runtime) {
            return "cannot run '" + command + "' to invoke a " + runtime + " function locally; " + install;
        }
    }
}
