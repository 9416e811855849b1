package io.lambdaform.cloud.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.InvocationResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Runs a function's handler for real, in a child process of the machine's python3 or node, the way Lambda's runtime
 * would: the package extracted as the task root, the function's environment and the standard {@code AWS_LAMBDA_*}
 * variables, a context object, the timeout enforced by killing the process tree, and an unhandled exception reported
 * as Lambda reports it (errorMessage, errorType, stackTrace).
 */
final class LocalRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "$LATEST";

    private final Path stateDir;
    private final String region;
    private final Map<Interpreter, String> commands;

    LocalRuntime(LocalCloudConfig config) {
        this.stateDir = config.stateDir();
        this.region = config.region();
        this.commands = Map.of(Interpreter.PYTHON, config.python(), Interpreter.NODE, config.node());
    }

    InvocationResult invoke(FunctionState function, Path codeZip, String event) {
        String runtime = function.settings().runtime();
        Interpreter interpreter = Interpreter.forRuntime(runtime);
        Path taskRoot = extract(codeZip, LocalCloud.hex(function.codeSha256()));
        Path runner = runner(interpreter);
        String requestId = UUID.randomUUID().toString();
        Path work;
        try {
            work = Files.createTempDirectory("lambdaform-invoke");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path eventFile = work.resolve("event.json");
            Path resultFile = work.resolve("result.json");
            Files.writeString(eventFile, event);
            int timeout = function.settings().timeout();
            long start = System.nanoTime();
            long deadline = System.currentTimeMillis() + timeout * 1000L;

            ProcessBuilder builder = new ProcessBuilder(commands.get(interpreter), runner.toString()).directory(taskRoot.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().retainAll(List.of("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "PYENV_ROOT",
                    "PYENV_VERSION", "NODE_PATH"));
            env.putAll(function.settings().environment());
            env.putAll(standardVariables(function, taskRoot));
            env.put("_LF_EVENT", eventFile.toString());
            env.put("_LF_RESULT", resultFile.toString());
            env.put("_LF_REQUEST_ID", requestId);
            env.put("_LF_DEADLINE_MS", String.valueOf(deadline));
            env.put("_LF_FUNCTION_ARN", function.arn());

            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw LambdaformException.user(interpreter.missingMessage(commands.get(interpreter), runtime));
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Thread pump = pump(process.getInputStream(), output);
            boolean finished = process.waitFor(timeout, TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            pump.join(2000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            String handlerLog = output.toString(StandardCharsets.UTF_8);

            String payload;
            Optional<String> functionError = Optional.of("Unhandled");
            if (!finished) {
                payload = error("Sandbox.Timedout", String.format(Locale.ROOT,
                        "RequestId: %s Error: Task timed out after %d.00 seconds", requestId, timeout));
                handlerLog += timestamp() + " " + requestId + " Task timed out after " + timeout + ".00 seconds\n";
            } else if (!Files.exists(resultFile)) {
                payload = error("Runtime.ExitError", "RequestId: " + requestId
                        + " Error: Runtime exited with error: exit status " + process.exitValue());
            } else {
                JsonNode outcome = JSON.readTree(Files.readString(resultFile));
                if (outcome.has("error")) {
                    payload = outcome.get("error").toString();
                } else {
                    payload = outcome.get("result").toString();
                    functionError = Optional.empty();
                }
            }
            String log = "START RequestId: " + requestId + " Version: " + VERSION + "\n"
                    + handlerLog + (handlerLog.isEmpty() || handlerLog.endsWith("\n") ? "" : "\n")
                    + "END RequestId: " + requestId + "\n"
                    + String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %d ms\tBilled Duration: %d ms\t"
                            + "Memory Size: %d MB%n", requestId, millis, Math.max(1, millis),
                            function.settings().memorySize());
            return new InvocationResult(payload, functionError, log, millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaformException.user("interrupted while invoking " + function.name());
        } finally {
            deleteRecursively(work);
        }
    }

    private Map<String, String> standardVariables(FunctionState function, Path taskRoot) {
        String name = function.name();
        String logStream = DateTimeFormatter.ofPattern("yyyy/MM/dd").format(Instant.now().atOffset(ZoneOffset.UTC))
                + "/[" + VERSION + "]" + UUID.randomUUID().toString().replace("-", "");
        return Map.ofEntries(
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", name),
                Map.entry("AWS_LAMBDA_FUNCTION_VERSION", VERSION),
                Map.entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.settings().memorySize())),
                Map.entry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name),
                Map.entry("AWS_LAMBDA_LOG_STREAM_NAME", logStream),
                Map.entry("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand"),
                Map.entry("AWS_REGION", region),
                Map.entry("AWS_DEFAULT_REGION", region),
                Map.entry("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.settings().runtime()),
                Map.entry("LAMBDA_TASK_ROOT", taskRoot.toString()),
                Map.entry("_HANDLER", function.settings().handler()),
                Map.entry("TZ", ":UTC"),
                Map.entry("PYTHONDONTWRITEBYTECODE", "1"));
    }

    /** Extracts the package once per CodeSha256, refusing entries that would land outside the task root. */
    private Path extract(Path zip, String hexDigest) {
        Path target = stateDir.resolve("runtime").resolve(hexDigest);
        if (Files.isDirectory(target)) {
            return target;
        }
        if (!Files.exists(zip)) {
            throw LambdaformException.user("the code of this function is missing from " + zip.getParent()
                    + "; run apply again to upload it");
        }
        try {
            Path temp = Files.createDirectories(target.getParent()).resolve(hexDigest + ".tmp-" + UUID.randomUUID());
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
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    if ((entry.getUnixMode() & 0100) != 0) {
                        out.toFile().setExecutable(true);
                    }
                }
            } catch (RuntimeException e) {
                deleteRecursively(temp);
                throw e;
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                deleteRecursively(temp);
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw LambdaformException.user("cannot extract the deployment package " + zip + ": " + e.getMessage());
        }
    }

    private Path runner(Interpreter interpreter) {
        Path runner = stateDir.resolve("runtime").resolve(interpreter.runnerName());
        try (InputStream in = LocalRuntime.class.getResourceAsStream(interpreter.runnerName())) {
            byte[] content = in.readAllBytes();
            if (!Files.exists(runner) || !java.util.Arrays.equals(Files.readAllBytes(runner), content)) {
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

    private static Thread pump(InputStream in, ByteArrayOutputStream out) {
        Thread thread = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // The process was killed; what was read so far is the log.
            }
        }, "lambdaform-log-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a temporary folder left behind is harmless.
        }
    }

    /** The local interpreter for a runtime family. */
    enum Interpreter {
        PYTHON("python_runner.py", "install Python 3 (for example 'apt-get install python3') and make sure it is on"
                + " PATH, or point LAMBDAFORM_PYTHON at it"),
        NODE("node_runner.mjs", "install Node.js 18 or newer (for example 'apt-get install nodejs') and make sure it"
                + " is on PATH, or point LAMBDAFORM_NODE at it");

        private final String runnerName;
        private final String install;

        Interpreter(String runnerName, String install) {
            this.runnerName = runnerName;
            this.install = install;
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
