package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cloud's sandbox: what a handler can leave behind, how much of it is kept, and what it sees. */
class LocalSandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final boolean LINUX =
            System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux");

    /** A daemon as a Unix service makes one: fork, setsid, fork again; it ignores SIGTERM and keeps stdout open. */
    private static final String DAEMON = String.join(
            "\n",
            "import os, signal, sys, time",
            "def start_daemon(pid_file):",
            "    if os.fork() == 0:",
            "        os.setsid()",
            "        if os.fork() == 0:",
            "            signal.signal(signal.SIGTERM, signal.SIG_IGN)",
            "            with open(pid_file + '.tmp', 'w') as f:",
            "                f.write(str(os.getpid()))",
            "            os.rename(pid_file + '.tmp', pid_file)",
            "            while True:",
            "                print('daemon still here', flush=True)",
            "                time.sleep(0.2)",
            "        os._exit(0)",
            "    while not os.path.exists(pid_file):",
            "        time.sleep(0.01)",
            "    with open(pid_file) as f:",
            "        return int(f.read())",
            "");

    @TempDir
    Path work;

    private TestTarget<LocalCloud> cloud;
    private RoleState role;

    @BeforeEach
    void start() {
        cloud = TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        role = cloud.roles().createRole(new NewRole("r", "/", "", TRUST, 3600, Optional.empty(), new TreeMap<>()));
    }

    @Test
    void invoke_handlerThatStartsABackgroundProcess_leavesNothingRunning() throws Exception {
        deploy(
                "bg",
                10,
                Map.of(),
                "import subprocess\n"
                        + "def handler(event, context):\n"
                        + "    return {'pid': subprocess.Popen(['sleep', '300']).pid}\n");

        InvocationResult result = cloud.functions().invoke("bg", "{}");
        long pid = JSON.readTree(result.payload()).path("pid").asLong();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("a warm environment keeps what its handler started, as Lambda's does")
                .isPresent();
        cloud.cloud().close();

        assertThat(result.failed()).as(result.log()).isFalse();
        assertGone(pid);
    }

    @Test
    void invoke_handlerThatStartsASetsidDaemon_leavesNothingRunning() throws Exception {
        assumeTrue(LINUX, "only the Linux sandbox reaches processes that left the handler's tree");
        deploy(
                "daemon",
                10,
                Map.of(),
                DAEMON + "def handler(event, context):\n" + "    return {'pid': start_daemon(event['pidFile'])}\n");

        long start = System.nanoTime();
        InvocationResult result = cloud.functions().invoke("daemon", "{\"pidFile\":\"" + work.resolve("d.pid") + "\"}");

        cloud.cloud().close();
        assertThat(result.failed()).as(result.log()).isFalse();
        assertThat(JSON.readTree(result.payload()).path("pid").asLong()).isEqualTo(pid(work.resolve("d.pid")));
        assertGone(pid(work.resolve("d.pid")));
        assertThat(elapsedMillis(start))
                .as("the daemon's open stdout does not hold the invocation")
                .isLessThan(8000);
    }

    @Test
    void invoke_pastTheTimeout_killsTheHandlerAndItsDaemons() throws Exception {
        assumeTrue(LINUX, "only the Linux sandbox reaches processes that left the handler's tree");
        deploy(
                "slow",
                1,
                Map.of(),
                DAEMON
                        + "import subprocess\n"
                        + "def handler(event, context):\n"
                        + "    start_daemon(event['pidFile'])\n"
                        + "    with open(event['childFile'], 'w') as f:\n"
                        + "        f.write(str(subprocess.Popen(['sleep', '300']).pid))\n"
                        + "    time.sleep(60)\n");

        long start = System.nanoTime();
        InvocationResult result = cloud.functions()
                .invoke(
                        "slow",
                        "{\"pidFile\":\"" + work.resolve("d.pid") + "\",\"childFile\":\"" + work.resolve("c.pid")
                                + "\"}");

        assertThat(result.payload()).contains("Sandbox.Timedout", "Task timed out after 1.00 seconds");
        assertThat(result.functionError()).contains("Unhandled");
        assertGone(pid(work.resolve("d.pid")));
        assertGone(pid(work.resolve("c.pid")));
        assertThat(elapsedMillis(start)).isLessThan(8000);
    }

    @Test
    void invoke_handlerThatWritesAGigabyte_keepsABoundedTailAndItsRealResult() throws Exception {
        deploy(
                "flood",
                60,
                Map.of(),
                "import sys\n"
                        + "def handler(event, context):\n"
                        + "    chunk = b'x' * 1023 + b'\\n'\n"
                        + "    block = chunk * 1024\n"
                        + "    for _ in range(1024):\n"
                        + "        sys.stdout.buffer.write(block)\n"
                        + "    sys.stdout.flush()\n"
                        + "    print('the last line')\n"
                        + "    return {'wrote': 1024 * len(block)}\n");

        // A child JVM with a small heap runs the invocation: the flood used to cost seven times its size in memory.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                InvokeMain.class.getName(),
                work.resolve("state").toString(),
                "flood"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);

        assertThat(child.exitValue()).as(text).isZero();
        JsonNode answer = JSON.readTree(text.substring(text.indexOf('{')));
        assertThat(answer.path("payload").asText()).isEqualTo("{\"wrote\": 1073741824}");
        assertThat(answer.path("functionError").asText()).isEmpty();
        String log = answer.path("log").asText();
        assertThat(log.length()).isBetween(LogTail.DEFAULT_CAPACITY, LogTail.DEFAULT_CAPACITY + 4096);
        assertThat(log)
                .contains("[lambdaform] " + (1073741824L + "the last line\n".length() - LogTail.DEFAULT_CAPACITY)
                        + " bytes of handler output were dropped")
                .contains("xxx\nthe last line\nEND RequestId:")
                .doesNotContain("timed out");
    }

    @Test
    void invoke_afterARunWasKilledMidInvocation_removesTheFolderItLeft() throws Exception {
        deploy("sleepy", 60, Map.of(), "import time\ndef handler(event, context):\n    time.sleep(60)\n");
        deploy("quick", 10, Map.of(), "def handler(event, context):\n    return 'done'\n");
        Path temp = Files.createDirectories(work.resolve("tmp"));

        Process killed = invokeInChildJvm(temp, "sleepy");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (invocationFolders(temp).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<Path> leftOver = invocationFolders(temp);
        assertThat(leftOver).hasSize(1);
        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(leftOver.get(0)).as("a killed run cannot delete its folder").exists();

        Process next = invokeInChildJvm(temp, "quick");
        String output = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(next.exitValue()).as(output).isZero();
        assertThat(output).contains("\\\"done\\\"");
        assertThat(leftOver.get(0)).as("the next run removed it").doesNotExist();
        assertThat(invocationFolders(temp)).isEmpty();
    }

    private Process invokeInChildJvm(Path temp, String function) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.io.tmpdir=" + temp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        InvokeMain.class.getName(),
                        work.resolve("state").toString(),
                        function)
                .redirectErrorStream(true)
                .start();
    }

    private static List<Path> invocationFolders(Path temp) throws Exception {
        try (var folders = Files.list(temp)) {
            return folders.filter(f -> f.getFileName().toString().startsWith(EnvironmentFolder.PREFIX))
                    .toList();
        }
    }

    @Test
    void invoke_resultOverLambdasLimit_isAResponseSizeErrorNotTheResult() throws Exception {
        deploy("big", 10, Map.of(), "def handler(event, context):\n    return 'A' * 7000000\n");

        InvocationResult result = cloud.functions().invoke("big", "{}");

        assertThat(result.functionError()).contains("Unhandled");
        assertThat(JSON.readTree(result.payload()).path("errorType").asText())
                .isEqualTo("Function.ResponseSizeTooLarge");
        assertThat(result.payload()).contains("(6291556 bytes)").hasSizeLessThan(200);
    }

    @Test
    void invoke_pythonResultThatIsNotJson_isAMarshalError() throws Exception {
        deploy("nan", 10, Map.of(), "def handler(event, context):\n    return {'ratio': float(event['value'])}\n");

        InvocationResult nan = cloud.functions().invoke("nan", "{\"value\":\"nan\"}");
        InvocationResult infinite = cloud.functions().invoke("nan", "{\"value\":\"inf\"}");
        InvocationResult fine = cloud.functions().invoke("nan", "{\"value\":\"0.5\"}");

        assertThat(nan.functionError()).as(nan.log()).contains("Unhandled");
        assertThat(JSON.readTree(nan.payload()).path("errorType").asText()).isEqualTo("Runtime.MarshalError");
        assertThat(JSON.readTree(nan.payload()).path("errorMessage").asText())
                .startsWith("Unable to marshal response: Out of range float values are not JSON compliant");
        assertThat(JSON.readTree(infinite.payload()).path("errorType").asText()).isEqualTo("Runtime.MarshalError");
        assertThat(fine.failed()).as(fine.log()).isFalse();
        assertThat(fine.payload()).isEqualTo("{\"ratio\": 0.5}");
    }

    @Test
    void invoke_nodeResultThatIsNotJson_isAMarshalError_andNaNIsNull() throws Exception {
        Path folder = TestFiles.write(
                        work,
                        "node-marshal/index.js",
                        "exports.handler = async (event) => {\n"
                                + "  if (event.kind === 'bigint') return { count: 10n };\n"
                                + "  if (event.kind === 'cycle') { const a = {}; a.self = a; return a; }\n"
                                + "  return { ratio: NaN };\n"
                                + "};\n")
                .getParent();
        cloud.functions()
                .createFunction(new NewFunction(
                        "node-marshal",
                        role.arn(),
                        settings("nodejs20.x", "index.handler", 10, Map.of()),
                        pack(folder),
                        new TreeMap<>()));

        InvocationResult bigint = cloud.functions().invoke("node-marshal", "{\"kind\":\"bigint\"}");
        InvocationResult cycle = cloud.functions().invoke("node-marshal", "{\"kind\":\"cycle\"}");
        InvocationResult nan = cloud.functions().invoke("node-marshal", "{}");

        assertThat(bigint.functionError()).as(bigint.log()).contains("Unhandled");
        assertThat(JSON.readTree(bigint.payload()).path("errorType").asText()).isEqualTo("Runtime.MarshalError");
        assertThat(JSON.readTree(bigint.payload()).path("errorMessage").asText())
                .startsWith("Unable to marshal response: ")
                .contains("BigInt");
        assertThat(JSON.readTree(cycle.payload()).path("errorType").asText()).isEqualTo("Runtime.MarshalError");
        assertThat(nan.failed()).as(nan.log()).isFalse();
        assertThat(nan.payload()).isEqualTo("{\"ratio\":null}");
    }

    @Test
    void invoke_handlerThatRewritesItsCode_doesNotChangeTheNextInvocation() throws Exception {
        deploy(
                "tamper",
                10,
                Map.of(),
                "import os\n"
                        + "MARK = 'original'\n"
                        + "def handler(event, context):\n"
                        + "    root = os.environ['LAMBDA_TASK_ROOT']\n"
                        + "    seen = {'mark': MARK, 'extra': os.path.exists(os.path.join(root, 'extra.py')),\n"
                        + "            'writableMode': os.stat(__file__).st_mode & 0o222,\n"
                        + "            'cwd': os.getcwd() == root, 'file': __file__}\n"
                        + "    for path, text in ((__file__, \"MARK = 'tampered'\\ndef handler(e, c):\\n    return {}\\n\"),\n"
                        + "                       (os.path.join(root, 'extra.py'), 'x = 1\\n')):\n"
                        + "        try:\n"
                        + "            with open(path, 'w') as f:\n"
                        + "                f.write(text)\n"
                        + "        except OSError:\n"
                        + "            pass\n"
                        + "    return seen\n");

        JsonNode first = JSON.readTree(cloud.functions().invoke("tamper", "{}").payload());
        cloud.cloud().close(); // the command ends; the next one gets a new environment
        JsonNode second = JSON.readTree(cloud.functions().invoke("tamper", "{}").payload());

        assertThat(second.path("mark").asText()).isEqualTo("original");
        assertThat(second.path("extra").asBoolean()).isFalse();
        assertThat(second.path("writableMode").asInt())
                .as("the code files are read-only")
                .isZero();
        assertThat(second.path("cwd").asBoolean()).isTrue();
        assertThat(second.path("file").asText())
                .as("each environment has its own copy")
                .isNotEqualTo(first.path("file").asText());
        assertThat(Path.of(first.path("file").asText())).doesNotExist();
    }

    @Test
    void invoke_handlerWritingToItsTmpdir_works_andTheFolderIsDeletedAfterwards() throws Exception {
        deploy(
                "tmp",
                10,
                Map.of(),
                "import os, tempfile\n"
                        + "def handler(event, context):\n"
                        + "    with tempfile.NamedTemporaryFile('w', delete=False) as f:\n"
                        + "        f.write('scratch')\n"
                        + "    with open(os.path.expanduser('~/.cache-test'), 'w') as home:\n"
                        + "        home.write('home')\n"
                        + "    return {'file': f.name, 'tmp': os.environ['TMPDIR'], 'home': os.environ['HOME'],\n"
                        + "            'tmpVar': os.environ['TMP'], 'temp': os.environ['TEMP'],\n"
                        + "            'content': open(f.name).read()}\n");

        InvocationResult result = cloud.functions().invoke("tmp", "{}");
        JsonNode again = JSON.readTree(cloud.functions().invoke("tmp", "{}").payload());
        cloud.cloud().close();

        JsonNode json = JSON.readTree(result.payload());
        assertThat(again.path("tmp").asText())
                .as("a warm environment keeps its tmp folder, as Lambda keeps /tmp")
                .isEqualTo(json.path("tmp").asText());
        assertThat(result.failed()).as(result.log()).isFalse();
        String tmp = json.path("tmp").asText();
        assertThat(json.path("file").asText()).startsWith(tmp + File.separator);
        assertThat(json.path("content").asText()).isEqualTo("scratch");
        assertThat(List.of(
                        json.path("home").asText(),
                        json.path("tmpVar").asText(),
                        json.path("temp").asText()))
                .containsOnly(tmp);
        assertThat(Path.of(tmp)).doesNotExist();
    }

    @Test
    void invoke_handlerEnvironment_isExactlyTheDocumentedVariables() throws Exception {
        deploy(
                "env",
                10,
                Map.of("MODE", "blue", "AWS_REGION", "us-east-1"),
                "import os, sys\n"
                        + "def handler(event, context):\n"
                        + "    return {'env': dict(os.environ), 'executable': sys.executable}\n");

        JsonNode answer = JSON.readTree(cloud.functions().invoke("env", "{}").payload());
        JsonNode env = answer.path("env");

        Set<String> names = new TreeSet<>();
        env.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(documentedVariables("MODE"));
        assertThat(env.path("MODE").asText()).isEqualTo("blue");
        assertThat(env.path("AWS_REGION").asText()).as("Lambda's variables win").isEqualTo("eu-west-1");
        assertThat(env.path("LAMBDA_TASK_ROOT").asText()).isNotEmpty();
        assertThat(env.path("PATH").asText())
                .as("the interpreter's folder comes first")
                .startsWith(Path.of(answer.path("executable").asText()).getParent() + File.pathSeparator);
    }

    @Test
    void invoke_nodeHandlerEnvironment_isExactlyTheDocumentedVariables() throws Exception {
        Path folder = TestFiles.write(
                        work, "node-env/index.js", "exports.handler = async () => ({ ...process.env });\n")
                .getParent();
        cloud.functions()
                .createFunction(new NewFunction(
                        "node-env",
                        role.arn(),
                        settings("nodejs20.x", "index.handler", 10, Map.of("MODE", "green")),
                        pack(folder),
                        new TreeMap<>()));

        JsonNode env = JSON.readTree(cloud.functions().invoke("node-env", "{}").payload());

        Set<String> names = new TreeSet<>();
        env.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrderElementsOf(documentedVariables("MODE"));
        assertThat(env.path("AWS_EXECUTION_ENV").asText()).isEqualTo("AWS_Lambda_nodejs20.x");
    }

    /** The list of docs/local-cloud.md, plus the function's own variables. */
    private static Set<String> documentedVariables(String... functionVariables) {
        Set<String> names = new TreeSet<>(Set.of(
                "PATH",
                "LANG",
                "HOME",
                "TMPDIR",
                "TMP",
                "TEMP",
                "AWS_LAMBDA_FUNCTION_NAME",
                "AWS_LAMBDA_FUNCTION_VERSION",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "AWS_LAMBDA_LOG_GROUP_NAME",
                "AWS_LAMBDA_LOG_STREAM_NAME",
                "AWS_LAMBDA_INITIALIZATION_TYPE",
                "AWS_REGION",
                "AWS_DEFAULT_REGION",
                "AWS_EXECUTION_ENV",
                "LAMBDA_TASK_ROOT",
                "_HANDLER",
                "TZ",
                "PYTHONDONTWRITEBYTECODE",
                "AWS_LAMBDA_RUNTIME_API",
                "_X_AMZN_TRACE_ID"));
        names.addAll(List.of(functionVariables));
        return names;
    }

    private void deploy(String name, int timeout, Map<String, String> environment, String code) {
        Path folder = TestFiles.write(work, name + "/app.py", code).getParent();
        cloud.functions()
                .createFunction(new NewFunction(
                        name,
                        role.arn(),
                        settings("python3.12", "app.handler", timeout, environment),
                        pack(folder),
                        new TreeMap<>()));
    }

    private static DeploymentPackage pack(Path folder) {
        return new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
    }

    private static FunctionSettings settings(String runtime, String handler, int timeout, Map<String, String> env) {
        return FunctionSettings.of(runtime, handler)
                .withDescription("sandbox test")
                .withTimeout(timeout)
                .withEnvironment(env);
    }

    private static long pid(Path file) throws Exception {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static void assertGone(long pid) {
        assertThat(pid).isPositive();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("process %d", pid)
                .isEmpty();
        if (LINUX) {
            assertThat(Path.of("/proc/" + pid)).as("not even a zombie").doesNotExist();
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Invokes a function of an existing local state and prints the result as JSON; run in a child JVM. */
    public static final class InvokeMain {
        public static void main(String[] args) throws Exception {
            TestTarget<LocalCloud> cloud =
                    TestTarget.local(new LocalCloud(new LocalCloudConfig(Path.of(args[0]), "eu-west-1")));
            InvocationResult result = cloud.functions().invoke(args[1], "{}");
            cloud.cloud().close();
            Runtime.getRuntime().gc();
            var out = JSON.createObjectNode();
            out.put("payload", result.payload());
            out.put("functionError", result.functionError().orElse(""));
            out.put("log", result.log());
            System.out.println(out);
        }
    }
}
