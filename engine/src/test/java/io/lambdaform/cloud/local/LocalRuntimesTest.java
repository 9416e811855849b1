package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every runtime family the local cloud runs, through the Lambda Runtime API: Java handlers of each shape Lambda's Java
 * runtime loads, a custom runtime's own bootstrap, Python and Node.js loggers as Lambda sets them, warm environments
 * reused and cold starts reported, and what ends an environment.
 */
class LocalRuntimesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    /** aws-lambda-java-core's interfaces, as a handler's package brings them (the runtime finds them by name). */
    private static final Map<String, String> CORE = Map.of(
            "com/amazonaws/services/lambda/runtime/Context.java",
            "package com.amazonaws.services.lambda.runtime;\n"
                    + "public interface Context { String getAwsRequestId(); String getFunctionName();"
                    + " String getInvokedFunctionArn(); int getRemainingTimeInMillis(); int getMemoryLimitInMB();"
                    + " LambdaLogger getLogger(); }\n",
            "com/amazonaws/services/lambda/runtime/LambdaLogger.java",
            "package com.amazonaws.services.lambda.runtime;\n"
                    + "public interface LambdaLogger { void log(String message); }\n",
            "com/amazonaws/services/lambda/runtime/RequestHandler.java",
            "package com.amazonaws.services.lambda.runtime;\n"
                    + "public interface RequestHandler<I, O> { O handleRequest(I input, Context context); }\n",
            "com/amazonaws/services/lambda/runtime/RequestStreamHandler.java",
            "package com.amazonaws.services.lambda.runtime;\n"
                    + "public interface RequestStreamHandler { void handleRequest(java.io.InputStream in,"
                    + " java.io.OutputStream out, Context context) throws java.io.IOException; }\n");

    @TempDir
    Path work;

    private TestTarget<LocalCloud> cloud;
    private RoleState role;

    @BeforeEach
    void start() {
        cloud = TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        role = cloud.roles().createRole(new NewRole("r", "/", "", TRUST, 3600, Optional.empty(), new TreeMap<>()));
    }

    @AfterEach
    void end() {
        cloud.cloud().close();
    }

    @Test
    void javaRequestHandler_getsItsTypedInputAndTheContext_andTheEnvironmentStaysWarm() throws Exception {
        Path classes = compile(
                "handlers",
                Map.of(
                        "example/Hello.java",
                        "package example;\n"
                                + "import com.amazonaws.services.lambda.runtime.*;\n"
                                + "import java.util.*;\n"
                                + "public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {\n"
                                + "  private int count;\n"
                                + "  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {\n"
                                + "    context.getLogger().log(\"hello \" + event.get(\"name\") + \"\\n\");\n"
                                + "    return Map.of(\"greeting\", \"Hello, \" + event.get(\"name\"), \"count\", ++count,\n"
                                + "        \"function\", context.getFunctionName(), \"requestId\", context.getAwsRequestId(),\n"
                                + "        \"arn\", context.getInvokedFunctionArn(), \"memory\", context.getMemoryLimitInMB(),\n"
                                + "        \"remaining\", context.getRemainingTimeInMillis());\n"
                                + "  }\n"
                                + "}\n"));
        deploy("hello-java", "java17", "example.Hello", classes, 20);

        InvocationResult first = cloud.functions().invoke("hello-java", "{\"name\":\"Ada\"}");
        InvocationResult second = cloud.functions().invoke("hello-java", "{\"name\":\"Grace\"}");

        JsonNode answer = JSON.readTree(first.payload());
        assertThat(first.failed()).as(first.log()).isFalse();
        assertThat(answer.path("greeting").asText()).isEqualTo("Hello, Ada");
        assertThat(answer.path("function").asText()).isEqualTo("hello-java");
        assertThat(answer.path("arn").asText()).endsWith(":function:hello-java");
        assertThat(answer.path("memory").asInt()).isEqualTo(128);
        assertThat(answer.path("remaining").asInt()).isBetween(1, 20_000);
        assertThat(first.log())
                .contains("hello Ada")
                .contains("START RequestId: " + answer.path("requestId").asText())
                .containsPattern("REPORT RequestId: \\S+\tDuration: \\d+ ms\t.*\tInit Duration: \\d+ ms");
        assertThat(JSON.readTree(second.payload()).path("count").asInt())
                .as("the second invocation runs in the same warm environment")
                .isEqualTo(2);
        assertThat(second.log()).doesNotContain("Init Duration").contains("hello Grace");
    }

    @Test
    void javaPlainMethodWithAPojo_aStreamHandler_andAJarInLib_allLoad() throws Exception {
        Path library = compile(
                "library",
                Map.of(
                        "lib/Shout.java",
                        "package lib;\npublic class Shout { public static String of(String s) {"
                                + " return s.toUpperCase() + \"!\"; } }\n"));
        Path classes = compile(
                "handlers",
                Map.of(
                        "example/Plain.java",
                        "package example;\n"
                                + "public class Plain {\n"
                                + "  public static class Person { public String name; public int age; }\n"
                                + "  public String greet(Person p) { return lib.Shout.of(p.name + \" \" + p.age); }\n"
                                + "}\n",
                        "example/Streams.java",
                        "package example;\n"
                                + "import com.amazonaws.services.lambda.runtime.*;\n"
                                + "public class Streams implements RequestStreamHandler {\n"
                                + "  public void handleRequest(java.io.InputStream in, java.io.OutputStream out,"
                                + " Context c) throws java.io.IOException {\n"
                                + "    byte[] b = in.readAllBytes();\n"
                                + "    out.write((\"[\" + new String(b) + \"]\").getBytes());\n"
                                + "  }\n"
                                + "}\n",
                        "example/Broken.java",
                        "package example;\n"
                                + "public class Broken { public String go(String s) {"
                                + " throw new IllegalStateException(\"no \" + s); } }\n"),
                library);
        Files.createDirectories(classes.resolve("lib"));
        jar(library, classes.resolve("lib/shout.jar"));
        deploy("plain", "java21", "example.Plain::greet", classes, 20);
        deploy("streams", "java21", "example.Streams", classes, 20);
        deploy("broken", "java21", "example.Broken::go", classes, 20);
        deploy("absent", "java21", "example.Absent::go", classes, 20);

        InvocationResult plain = cloud.functions().invoke("plain", "{\"name\":\"ada\",\"age\":36,\"extra\":1}");
        InvocationResult streams = cloud.functions().invoke("streams", "{\"a\":1}");
        InvocationResult broken = cloud.functions().invoke("broken", "\"x\"");
        InvocationResult absent = cloud.functions().invoke("absent", "{}");

        assertThat(plain.payload()).as(plain.log()).isEqualTo("\"ADA 36!\"");
        assertThat(streams.payload()).as(streams.log()).isEqualTo("[{\"a\":1}]");
        assertThat(broken.failed()).isTrue();
        assertThat(JSON.readTree(broken.payload()).path("errorType").asText())
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(JSON.readTree(broken.payload()).path("errorMessage").asText())
                .isEqualTo("no x");
        assertThat(absent.failed()).isTrue();
        assertThat(JSON.readTree(absent.payload()).path("errorType").asText()).isEqualTo("Runtime.ClassNotFound");
        assertThat(absent.payload()).contains("example.Absent");
    }

    @Test
    void customRuntime_runsItsOwnBootstrap_andOneWithoutAnExecutableBootstrapIsLambdasInvalidEntrypoint()
            throws Exception {
        Path folder = Files.createDirectories(work.resolve("shell"));
        Files.writeString(
                folder.resolve("bootstrap"),
                "#!/bin/sh\n"
                        + "API=\"http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime\"\n"
                        + "COUNT=0\n"
                        + "while true; do\n"
                        + "  H=$(mktemp)\n"
                        + "  EVENT=$(curl -sS -D \"$H\" \"$API/invocation/next\")\n"
                        + "  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$H\" | tr -d '[:space:]' | cut -d: -f2)\n"
                        + "  COUNT=$((COUNT + 1))\n"
                        + "  echo \"event $COUNT for $_HANDLER\"\n"
                        + "  curl -sS -o /dev/null \"$API/invocation/$ID/response\" -d \"{\\\"count\\\":$COUNT,"
                        + "\\\"event\\\":$EVENT}\"\n"
                        + "done\n");
        Files.setPosixFilePermissions(folder.resolve("bootstrap"), PosixFilePermissions.fromString("rwxr-xr-x"));
        deploy("shell", "provided.al2023", "whatever.handler", folder, 10);
        Path plain = Files.createDirectories(work.resolve("plain"));
        Files.writeString(plain.resolve("bootstrap"), "#!/bin/sh\necho never\n");
        deploy("not-executable", "provided.al2", "x.y", plain, 10);

        InvocationResult first = cloud.functions().invoke("shell", "{\"n\":1}");
        InvocationResult second = cloud.functions().invoke("shell", "{\"n\":2}");
        InvocationResult refused = cloud.functions().invoke("not-executable", "{}");

        assertThat(first.payload()).as(first.log()).isEqualTo("{\"count\":1,\"event\":{\"n\":1}}");
        assertThat(first.log()).contains("event 1 for whatever.handler");
        assertThat(second.payload()).isEqualTo("{\"count\":2,\"event\":{\"n\":2}}");
        assertThat(refused.failed()).isTrue();
        assertThat(JSON.readTree(refused.payload()).path("errorType").asText()).isEqualTo("Runtime.InvalidEntrypoint");
    }

    @Test
    void pythonLogger_writesAsLambdasRuntime_textByDefault_andJsonAtTheConfiguredLevel() throws Exception {
        String code = "import logging\n"
                + "logger = logging.getLogger()\n"
                + "logger.setLevel(logging.INFO)\n"
                + "def handler(event, context):\n"
                + "    logger.debug('a debug line')\n"
                + "    logger.info('an info line %s', event['n'])\n"
                + "    logger.warning('a warning')\n"
                + "    return context.aws_request_id\n";
        Path folder = TestFiles.write(work, "py/app.py", code).getParent();
        deploy("text-logs", "python3.12", "app.handler", folder, 10);
        createFunction(
                "json-logs",
                FunctionSettings.of("python3.12", "app.handler")
                        .withTimeout(10)
                        .withLoggingConfig(Optional.of(new FunctionSettings.LoggingConfig(
                                "JSON", Optional.of("WARN"), Optional.empty(), Optional.empty()))),
                folder);

        InvocationResult text = cloud.functions().invoke("text-logs", "{\"n\":7}");
        InvocationResult json = cloud.functions().invoke("json-logs", "{\"n\":7}");

        String requestId = JSON.readTree(text.payload()).asText();
        assertThat(text.log())
                .containsPattern("\\[INFO\\]\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\t" + requestId
                        + "\tan info line 7")
                .contains("[WARNING]\t")
                .doesNotContain("a debug line");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : json.log().lines().toList()) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("level").asText()).isEqualTo("WARNING");
        assertThat(lines.get(0).path("message").asText()).isEqualTo("a warning");
        assertThat(lines.get(0).path("requestId").asText())
                .isEqualTo(JSON.readTree(json.payload()).asText());
    }

    @Test
    void nodeConsole_writesTimestampRequestIdAndLevel_asLambdasRuntime() throws Exception {
        Path folder = TestFiles.write(
                        work,
                        "node/index.mjs",
                        "let count = 0;\n"
                                + "export const handler = async (event, context) => {\n"
                                + "  console.log('log', event.n);\n"
                                + "  console.warn('careful');\n"
                                + "  return { count: ++count, id: context.awsRequestId };\n"
                                + "};\n")
                .getParent();
        deploy("node-logs", "nodejs20.x", "index.handler", folder, 10);

        InvocationResult first = cloud.functions().invoke("node-logs", "{\"n\":1}");
        InvocationResult second = cloud.functions().invoke("node-logs", "{\"n\":2}");

        String id = JSON.readTree(first.payload()).path("id").asText();
        assertThat(first.log())
                .containsPattern("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\t" + id + "\tINFO\tlog 1")
                .containsPattern("Z\t" + id + "\tWARN\tcareful");
        assertThat(JSON.readTree(second.payload()).path("count").asInt()).isEqualTo(2);
    }

    @Test
    void aTimeoutEndsTheEnvironment_andTheNextInvocationIsACold() throws Exception {
        Path folder = TestFiles.write(
                        work,
                        "slow/app.py",
                        "import time\n"
                                + "calls = 0\n"
                                + "def handler(event, context):\n"
                                + "    global calls\n"
                                + "    calls += 1\n"
                                + "    if event.get('sleep'):\n"
                                + "        time.sleep(30)\n"
                                + "    return calls\n")
                .getParent();
        deploy("slow", "python3.12", "app.handler", folder, 1);

        InvocationResult warmUp = cloud.functions().invoke("slow", "{}");
        InvocationResult warm = cloud.functions().invoke("slow", "{}");
        InvocationResult timedOut = cloud.functions().invoke("slow", "{\"sleep\":true}");
        InvocationResult after = cloud.functions().invoke("slow", "{}");

        assertThat(warm.payload()).isEqualTo("2");
        assertThat(timedOut.payload()).contains("Sandbox.Timedout");
        assertThat(after.payload())
                .as("a new environment: its module starts afresh")
                .isEqualTo("1");
        assertThat(after.log()).contains("Init Duration:");
        assertThat(warmUp.log()).contains("Init Duration:");
        assertThat(warm.log()).doesNotContain("Init Duration:");
    }

    @Test
    void aRuntimeOfAnotherVersionThanDeclared_isNamedInTheLog() throws Exception {
        Path folder = TestFiles.write(
                        work,
                        "v/app.py",
                        "import sys\ndef handler(e, c):\n" + "    return '%d.%d' % sys.version_info[:2]\n")
                .getParent();
        deploy("old-python", "python3.9", "app.handler", folder, 10);

        InvocationResult result = cloud.functions().invoke("old-python", "{}");

        String ran = JSON.readTree(result.payload()).asText();
        Matcher initStart = Pattern.compile("INIT_START Runtime Version: python3\\.9 on \\S+ (\\S+)")
                .matcher(result.log());
        assertThat(initStart.find()).as(result.log()).isTrue();
        assertThat(initStart.group(1)).startsWith(ran + ".");
        if (ran.equals("3.9")) {
            assertThat(result.log()).doesNotContain("[lambdaform] python3.9 ran on");
        } else {
            assertThat(result.log()).contains("[lambdaform] python3.9 ran on Python " + ran);
        }
    }

    @Test
    void layers_bringAJavaHandlerItsLibrary_andACustomRuntimeItsBootstrap() throws Exception {
        Path library = compile(
                "library",
                Map.of(
                        "lib/Shout.java",
                        "package lib;\npublic class Shout { public static String of(String s) {"
                                + " return s.toUpperCase() + \"!\"; } }\n"));
        Path classes = compile(
                "handlers",
                Map.of(
                        "example/Loud.java",
                        "package example;\npublic class Loud { public String go(String s) { return lib.Shout.of(s); } }\n"),
                library);
        Path javaLayer = Files.createDirectories(work.resolve("java-layer/java/lib"));
        jar(library, javaLayer.resolve("shout.jar"));
        deploy("loud", "java21", "example.Loud::go", classes, 20);
        Path runtimeLayer = Files.createDirectories(work.resolve("runtime-layer"));
        Files.writeString(
                runtimeLayer.resolve("bootstrap"),
                "#!/bin/sh\nAPI=\"http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime\"\n"
                        + "while true; do\n  H=$(mktemp)\n  E=$(curl -sS -D \"$H\" \"$API/invocation/next\")\n"
                        + "  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id \"$H\" | tr -d '[:space:]' | cut -d: -f2)\n"
                        + "  curl -sS -o /dev/null \"$API/invocation/$ID/response\" -d \"$(cat \"$LAMBDA_TASK_ROOT/answer.json\")\"\n"
                        + "done\n");
        Files.setPosixFilePermissions(runtimeLayer.resolve("bootstrap"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path answer = TestFiles.write(work, "answer/answer.json", "{\"from\":\"the layer's bootstrap\"}")
                .getParent();
        deploy("layered-runtime", "provided.al2023", "x.y", answer, 10);

        InvocationResult loud = invokeWithLayers("loud", "\"hi\"", zip(work.resolve("java-layer")));
        InvocationResult layered = invokeWithLayers("layered-runtime", "{}", zip(runtimeLayer));

        assertThat(loud.payload()).as(loud.log()).isEqualTo("\"HI!\"");
        assertThat(layered.payload()).as(layered.log()).isEqualTo("{\"from\":\"the layer's bootstrap\"}");
    }

    @Test
    void answersAreWrittenAsLambdasRuntimesWriteThem() throws Exception {
        Path py = TestFiles.write(
                        work,
                        "py-answers/app.py",
                        "from decimal import Decimal\n"
                                + "def handler(e, c):\n    return {'price': Decimal('1.5'), 'word': 'caf\u00e9'}\n")
                .getParent();
        deploy("py312", "python3.12", "app.handler", py, 10);
        deploy("py311", "python3.11", "app.handler", py, 10);
        Path node = TestFiles.write(work, "node-sync/index.js", "exports.handler = (event) => ({ ignored: true });\n")
                .getParent();
        deploy("node-sync", "nodejs20.x", "index.handler", node, 10);
        Path classes = compile(
                "java-answers",
                Map.of(
                        "example/Props.java",
                        "package example;\n"
                                + "public class Props {\n"
                                + "  public static class Answer { public String home = System.getProperty(\"user.home\");"
                                + " public String tmp = System.getProperty(\"java.io.tmpdir\"); public String none; }\n"
                                + "  public Answer go() { return new Answer(); }\n"
                                + "}\n"));
        deploy("java-props", "java21", "example.Props::go", classes, 20);

        String py312 = cloud.functions().invoke("py312", "{}").payload();
        String py311 = cloud.functions().invoke("py311", "{}").payload();
        InvocationResult sync = cloud.functions().invoke("node-sync", "{}");
        JsonNode props =
                JSON.readTree(cloud.functions().invoke("java-props", "{}").payload());

        assertThat(py312).isEqualTo("{\"price\": 1.5, \"word\": \"caf\u00e9\"}");
        assertThat(py311).isEqualTo("{\"price\": 1.5, \"word\": \"caf\\u00e9\"}");
        assertThat(sync.payload())
                .as("a handler neither async nor taking a callback answers null")
                .isEqualTo("null");
        assertThat(props.has("none")).as("nulls are left out").isFalse();
        assertThat(props.path("home").asText())
                .as("no host home")
                .isEqualTo(props.path("tmp").asText());
        assertThat(props.path("tmp").asText()).contains("lambdaform-invoke-");
    }

    @Test
    void initHasItsOwnTime_andFewEnvironmentsWaitAtOnce() throws Exception {
        Path slow = TestFiles.write(
                        work,
                        "slow-init/app.py",
                        "import time\ntime.sleep(1.5)\n"
                                + "def handler(e, c):\n    return c.get_remaining_time_in_millis()\n")
                .getParent();
        deploy("slow-init", "python3.12", "app.handler", slow, 2);
        Path quick = TestFiles.write(work, "quick/app.py", "def handler(e, c):\n    return 1\n")
                .getParent();
        for (int i = 0; i < LocalRuntime.MAX_IDLE + 4; i++) {
            deploy("quick-" + i, "python3.12", "app.handler", quick, 10);
        }

        InvocationResult slowStart = cloud.functions().invoke("slow-init", "{}");
        for (int i = 0; i < LocalRuntime.MAX_IDLE + 4; i++) {
            assertThat(cloud.functions().invoke("quick-" + i, "{}").payload()).isEqualTo("1");
        }

        assertThat(slowStart.failed()).as(slowStart.log()).isFalse();
        assertThat(Long.parseLong(slowStart.payload()))
                .as("the 1.5 s of init do not count against the 2 s timeout")
                .isGreaterThan(1500);
        assertThat(slowStart.log()).containsPattern("Init Duration: (1[5-9]\\d\\d|[2-9]\\d\\d\\d) ms");
        assertThat(cloud.cloud().runtime().environments()).isEqualTo(LocalRuntime.MAX_IDLE);
    }

    @Test
    void theContextGivesTheArnAsInvoked_qualifiedByTheAliasOrVersion() throws Exception {
        Path folder = TestFiles.write(work, "arn/app.py", "def handler(e, c):\n    return c.invoked_function_arn\n")
                .getParent();
        deploy("arn", "python3.12", "app.handler", folder, 10);
        FunctionState function = cloud.functions().findFunction("arn").orElseThrow();
        String version =
                cloud.functions().publishVersion("arn", function.codeSha256(), FunctionVersion.description("c3Jj"));
        cloud.ports()
                .get(Aliases.class)
                .createAlias("arn", "live", version, new TreeMap<>(), Aliases.State.description("s", Optional.empty()));

        String plain =
                JSON.readTree(cloud.functions().invoke("arn", "{}").payload()).asText();
        String byAlias = JSON.readTree(cloud.functions()
                        .invoke(new Invocation("arn", "{}", Optional.of("live"), false))
                        .payload())
                .asText();
        String byVersion = JSON.readTree(cloud.functions()
                        .invoke(new Invocation("arn", "{}", Optional.of(version), false))
                        .payload())
                .asText();

        assertThat(plain).endsWith(":function:arn");
        assertThat(byAlias).isEqualTo(plain + ":live");
        assertThat(byVersion).isEqualTo(plain + ":" + version);
    }

    private InvocationResult invokeWithLayers(String function, String event, Path layerZip) {
        FunctionState state = cloud.functions().findFunction(function).orElseThrow();
        Path code = cloud.cloud().store().codePath(LocalCloud.hex(state.codeSha256()));
        return cloud.cloud().runtime().invoke(state, state.arn(), code, List.of(layerZip), event);
    }

    private Path zip(Path folder) throws Exception {
        Path zip = work.resolve(folder.getFileName() + ".zip");
        Files.write(
                zip,
                new CodePackager()
                        .pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()))
                        .zip());
        return zip;
    }

    private void deploy(String name, String runtime, String handler, Path code, int timeout) {
        createFunction(name, FunctionSettings.of(runtime, handler).withTimeout(timeout), code);
    }

    private void createFunction(String name, FunctionSettings settings, Path code) {
        cloud.functions()
                .createFunction(new NewFunction(
                        name,
                        role.arn(),
                        settings,
                        new CodePackager().pack(new CodeSource(code, CodeSource.Kind.FOLDER, List.of())),
                        new TreeMap<>()));
    }

    /** Compiles sources (with aws-lambda-java-core's interfaces) into a folder of classes, as a build would. */
    private Path compile(String name, Map<String, String> sources, Path... classPath) throws Exception {
        Path src = Files.createDirectories(work.resolve(name + "-src"));
        Path out = Files.createDirectories(work.resolve(name + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString()));
        if (classPath.length > 0) {
            args.addAll(List.of("-cp", classPath[0].toString()));
        }
        Map<String, String> all = new TreeMap<>(CORE);
        all.putAll(sources);
        for (Map.Entry<String, String> source : all.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
        return out;
    }

    private static void jar(Path classes, Path jar) throws Exception {
        try (var out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
    }
}
