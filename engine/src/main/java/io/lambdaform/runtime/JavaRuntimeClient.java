package io.lambdaform.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Java runtime client of Lambdaform's local cloud, run in the handler's process (never in the engine's): it loads
 * the handler the way Lambda's Java runtime does, then asks the Lambda Runtime API ({@code AWS_LAMBDA_RUNTIME_API}) for
 * invocations, one after another. The handler's classes come from the task root and its {@code lib/*.jar} (and a
 * layer's {@code java/lib}), in a class loader of their own whose parent is the platform's: they see none of
 * Lambdaform's classes, and bring their own libraries as they must on Lambda.
 *
 * <p>A handler is {@code package.Class::method} or {@code package.Class} (then {@code handleRequest}): a
 * {@code RequestStreamHandler} (streams in and out), a {@code RequestHandler} (its input type read from the event by
 * Jackson, its output written as JSON), or any public method taking nothing, the input, the input and the
 * {@code Context}, or the two streams and the {@code Context}. The {@code Context} and its {@code LambdaLogger} are
 * the handler's own interfaces (from its copy of aws-lambda-java-core), implemented here by proxies.
 */
public final class JavaRuntimeClient {
    private static final String PREFIX = "/2018-06-01/runtime";
    private static final String CORE = "com.amazonaws.services.lambda.runtime.";
    /**
     * As Lambda's Java runtime serializes: unknown properties ignored, nulls left out, an object without properties
     * written as {@code {}}.
     */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final String api;
    private final Map<String, String> env;
    private final PrintStream log;

    private JavaRuntimeClient(String api, Map<String, String> env, PrintStream log) {
        this.api = api;
        this.env = env;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        JavaRuntimeClient client = new JavaRuntimeClient(env.get("AWS_LAMBDA_RUNTIME_API"), env, System.out);
        Handler handler;
        try {
            handler = client.load(env.get("_HANDLER"), Path.of(env.get("LAMBDA_TASK_ROOT")));
        } catch (InitException e) {
            client.log.println(e.type + ": " + e.getMessage());
            client.post("/init/error", e.type, client.error(e.type, e.getMessage(), e.getCause()));
            System.exit(1);
            return;
        }
        client.run(handler);
    }

    /** Loads and instantiates the handler's class: Lambda's init phase. */
    private Handler load(String handlerName, Path taskRoot) throws InitException {
        int colons = handlerName.indexOf("::");
        String className = colons < 0 ? handlerName : handlerName.substring(0, colons);
        String methodName = colons < 0 ? "handleRequest" : handlerName.substring(colons + 2);
        ClassLoader loader = new URLClassLoader(classPath(taskRoot), ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new InitException("Runtime.ClassNotFound", "Class not found: " + className, e);
        } catch (ExceptionInInitializerError e) {
            throw new InitException("Runtime.InitError", "Error loading class " + className + ": " + e.getCause(), e);
        }
        Method method = method(type, methodName, loader)
                .orElseThrow(() -> new InitException(
                        "Runtime.HandlerNotFound",
                        "No public method named " + methodName + " with appropriate method signature found on class "
                                + className,
                        null));
        Object instance = null;
        if (!Modifier.isStatic(method.getModifiers())) {
            try {
                instance = type.getDeclaredConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new InitException(
                        "Runtime.InitError",
                        "An error occurred during initialization of " + className + ": " + e.getCause(),
                        e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new InitException(
                        "Runtime.InitError",
                        "Class " + className + " needs a public constructor without arguments: " + e,
                        e);
            }
        }
        return new Handler(instance, method, loader);
    }

    /** The task root, then its lib/*.jar, then a layer's java/lib/*.jar, as Lambda's Java runtime puts them. */
    private URL[] classPath(Path taskRoot) {
        List<URL> urls = new ArrayList<>();
        try {
            urls.add(taskRoot.toUri().toURL());
            urls.addAll(jars(taskRoot.resolve("lib")));
            Optional.ofNullable(System.getProperty("lambdaform.opt"))
                    .map(Path::of)
                    .ifPresent(opt -> {
                        urls.addAll(jars(opt.resolve("java").resolve("lib")));
                    });
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        return urls.toArray(URL[]::new);
    }

    private static List<URL> jars(Path folder) {
        List<URL> urls = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return urls;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jar")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(Comparator.naturalOrder());
            for (Path jar : sorted) {
                urls.add(jar.toUri().toURL());
            }
        } catch (IOException e) {
            // An unreadable lib folder adds nothing; the class is reported as not found.
        }
        return urls;
    }

    /**
     * The handler method: for a {@code RequestStreamHandler} or {@code RequestHandler}, its {@code handleRequest}
     * with the most specific input type; otherwise the public method of that name with the most parameters Lambda
     * accepts (at most three), as Lambda's runtime picks among overloads.
     */
    private static Optional<Method> method(Class<?> type, String name, ClassLoader loader) {
        List<Method> candidates = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(name) && !m.isBridge() && m.getParameterCount() <= 3)
                .sorted(Comparator.comparingInt(Method::getParameterCount).reversed())
                .toList();
        for (Method m : candidates) {
            Class<?>[] p = m.getParameterTypes();
            boolean context = p.length > 0 && isContext(p[p.length - 1]);
            if (p.length == 3 && p[0] == InputStream.class && p[1] == OutputStream.class && context) {
                return Optional.of(m);
            }
            if (p.length == 2 && (context || (p[0] == InputStream.class && p[1] == OutputStream.class))) {
                return Optional.of(m);
            }
            if (p.length <= 1) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private static boolean isContext(Class<?> type) {
        return type.getName().equals(CORE + "Context");
    }

    private void run(Handler handler) throws IOException {
        while (true) {
            HttpURLConnection next = open("/invocation/next", "GET");
            if (next.getResponseCode() != 200) {
                System.exit(0);
            }
            String requestId = next.getHeaderField("Lambda-Runtime-Aws-Request-Id");
            long deadline = Long.parseLong(Optional.ofNullable(next.getHeaderField("Lambda-Runtime-Deadline-Ms"))
                    .orElse("0"));
            String arn = next.getHeaderField("Lambda-Runtime-Invoked-Function-Arn");
            String trace = next.getHeaderField("Lambda-Runtime-Trace-Id");
            if (trace != null) {
                System.setProperty("com.amazonaws.xray.traceHeader", trace);
            }
            byte[] event;
            try (InputStream in = next.getInputStream()) {
                event = in.readAllBytes();
            }
            String path = "/invocation/" + requestId;
            byte[] response;
            try {
                response = handler.invoke(event, context(handler.loader(), requestId, deadline, arn));
            } catch (Throwable e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                byte[] body = error(cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
                log.println(new String(body, StandardCharsets.UTF_8));
                post(path + "/error", cause.getClass().getName(), body);
                continue;
            }
            System.out.flush();
            System.err.flush();
            post(path + "/response", null, response);
        }
    }

    private HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection)
                URI.create("http://" + api + PREFIX + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setReadTimeout(0);
        return connection;
    }

    private void post(String path, String errorType, byte[] body) throws IOException {
        System.out.flush();
        System.err.flush();
        HttpURLConnection post = open(path, "POST");
        post.setDoOutput(true);
        post.setRequestProperty("Content-Type", "application/json");
        if (errorType != null) {
            post.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        }
        post.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = post.getOutputStream()) {
            out.write(body);
        }
        try (InputStream in = post.getResponseCode() >= 400 ? post.getErrorStream() : post.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
    }

    /** Lambda's error object for a Java exception: its class, message and stack trace. */
    private byte[] error(String type, String message, Throwable cause) {
        ObjectNode error = JSON.createObjectNode();
        error.put("errorMessage", message);
        error.put("errorType", type);
        ArrayNode stack = error.putArray("stackTrace");
        if (cause != null) {
            for (StackTraceElement element : cause.getStackTrace()) {
                if (element.getClassName().startsWith("io.lambdaform.runtime.")) {
                    break;
                }
                stack.add(element.toString());
            }
        }
        return error.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The handler's {@code Context} (its own interface, from its own aws-lambda-java-core), or null when its class
     * path has none, in which case no handler method can take one.
     */
    private Object context(ClassLoader loader, String requestId, long deadline, String arn) {
        Class<?> contextType;
        Class<?> loggerType;
        try {
            contextType = Class.forName(CORE + "Context", false, loader);
            loggerType = Class.forName(CORE + "LambdaLogger", false, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
        Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (proxy, method, args) -> {
            if (method.getName().equals("log") && args != null && args.length >= 1) {
                Object message = args[0];
                log.print(message instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : message);
                log.flush();
                return null;
            }
            return objectMethod(proxy, method, args);
        });
        InvocationHandler answers = (proxy, method, args) -> switch (method.getName()) {
            case "getAwsRequestId" -> requestId;
            case "getLogGroupName" -> env.get("AWS_LAMBDA_LOG_GROUP_NAME");
            case "getLogStreamName" -> env.get("AWS_LAMBDA_LOG_STREAM_NAME");
            case "getFunctionName" -> env.get("AWS_LAMBDA_FUNCTION_NAME");
            case "getFunctionVersion" -> env.get("AWS_LAMBDA_FUNCTION_VERSION");
            case "getInvokedFunctionArn" -> arn;
            case "getRemainingTimeInMillis" -> (int) Math.max(0, deadline - System.currentTimeMillis());
            case "getMemoryLimitInMB" -> Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"));
            case "getLogger" -> logger;
            case "getIdentity", "getClientContext" -> null;
            default -> objectMethod(proxy, method, args);
        };
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, answers);
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "toString" -> "LambdaformLocalContext";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> null;
        };
    }

    /** The loaded handler: how to call it with an event and what to answer. */
    private record Handler(Object instance, Method method, ClassLoader loader) {
        byte[] invoke(byte[] event, Object context) throws Exception {
            Class<?>[] types = method.getParameterTypes();
            Type[] generic = method.getGenericParameterTypes();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                if (types.length >= 2 && types[0] == InputStream.class && types[1] == OutputStream.class) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    Object[] args = types.length == 3
                            ? new Object[] {new ByteArrayInputStream(event), out, context}
                            : new Object[] {new ByteArrayInputStream(event), out};
                    method.invoke(instance, args);
                    return out.toByteArray();
                }
                Object[] args = new Object[types.length];
                if (types.length >= 1 && !isContext(types[0])) {
                    args[0] = input(event, generic[0]);
                }
                if (types.length >= 1 && isContext(types[types.length - 1])) {
                    args[types.length - 1] = context;
                }
                Object result = method.invoke(instance, args);
                if (method.getReturnType() == void.class) {
                    return "null".getBytes(StandardCharsets.UTF_8);
                }
                return JSON.writeValueAsBytes(result);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }

        /** The event read as the handler's input type: a POJO, a Map, a String (a JSON string), a number... */
        private static Object input(byte[] event, Type type) throws IOException {
            if (type == InputStream.class) {
                return new ByteArrayInputStream(event);
            }
            if (event.length == 0) {
                return null;
            }
            JavaType javaType = JSON.getTypeFactory().constructType(type);
            return JSON.readValue(event, javaType);
        }
    }

    /** A failure of Lambda's init phase, with the error type Lambda reports for it. */
    private static final class InitException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String type;

        InitException(String type, String message, Throwable cause) {
            super(message, cause);
            this.type = type;
        }
    }
}
