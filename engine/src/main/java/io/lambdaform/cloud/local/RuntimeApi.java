package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Lambda Runtime API of one execution environment, on a loopback port of its own: what Lambda gives a runtime in
 * {@code AWS_LAMBDA_RUNTIME_API}. The runtime asks for the next invocation (a long poll that returns the event with
 * the request id, deadline, function ARN and trace id headers), then posts its response or its error; a runtime that
 * cannot start posts an initialization error. The environment hands one invocation at a time to {@link #offer} and
 * waits on the future it returns.
 */
final class RuntimeApi implements AutoCloseable {
    static final String VERSION = "/2018-06-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOCATION =
            Pattern.compile("^" + VERSION + "/runtime/invocation/([A-Za-z0-9-]{1,64})/(response|error)$");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService threads;
    /** The invocation offered and not yet taken by the runtime's next-invocation request. */
    private final SynchronousQueue<Pending> offered = new SynchronousQueue<>();

    private final CompletableFuture<Long> firstPoll = new CompletableFuture<>();
    private final CompletableFuture<Outcome> initError = new CompletableFuture<>();
    private volatile Pending current;
    private volatile boolean closed;

    private RuntimeApi(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts the API on a free loopback port. */
    static RuntimeApi start() {
        noDelay();
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            ExecutorService threads = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "lambdaform-runtime-api-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            RuntimeApi api = new RuntimeApi(server, threads);
            server.createContext(VERSION + "/runtime/", api::handle);
            server.setExecutor(threads);
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks the JDK's HTTP server to send without delay (TCP_NODELAY), before its first server reads its settings: it
     * writes a response's headers and body apart, and Nagle's algorithm with the client's delayed acknowledgement
     * would hold every body some 40 ms.
     */
    static void noDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        InetSocketAddress address = server.getAddress();
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Completes, with the time in nanoseconds, when the runtime first asks for an invocation: its init is over. */
    CompletableFuture<Long> firstPoll() {
        return firstPoll;
    }

    /** Completes when the runtime reports that it could not initialize. */
    CompletableFuture<Outcome> initError() {
        return initError;
    }

    /**
     * Hands an invocation to the runtime's next poll, waiting at most until {@code deadlineNanos} (a runtime still
     * initializing has not polled yet); the future completes with its outcome. Empty when the runtime never took it.
     */
    Optional<CompletableFuture<Outcome>> offer(Invocation invocation, long deadlineNanos, BooleanSupplier alive)
            throws InterruptedException {
        Pending pending = new Pending(invocation, new CompletableFuture<>());
        current = pending;
        long wait = deadlineNanos - System.nanoTime();
        while (wait > 0 && !closed && !initError.isDone() && alive.getAsBoolean()) {
            if (offered.offer(pending, Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS)) {
                return Optional.of(pending.outcome());
            }
            wait = deadlineNanos - System.nanoTime();
        }
        current = null;
        return Optional.empty();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(VERSION + "/runtime/invocation/next") && method.equals("GET")) {
                next(exchange);
                return;
            }
            if (path.equals(VERSION + "/runtime/init/error") && method.equals("POST")) {
                initError.complete(Outcome.error(readBody(exchange), errorType(exchange)));
                reply(exchange, 202, "{\"status\":\"OK\"}");
                return;
            }
            Matcher invocation = INVOCATION.matcher(path);
            if (invocation.matches() && method.equals("POST")) {
                post(exchange, invocation.group(1), invocation.group(2).equals("error"));
                return;
            }
            reply(exchange, 404, problem("the Runtime API has no " + method + " " + path, "InvalidRequest"));
        } finally {
            exchange.close();
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        firstPoll.complete(System.nanoTime());
        Pending pending = null;
        try {
            while (pending == null && !closed) {
                pending = offered.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending == null) {
            reply(exchange, 500, problem("the execution environment is shutting down", "ShuttingDown"));
            return;
        }
        Invocation invocation = pending.invocation();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", String.valueOf(invocation.deadlineEpochMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", invocation.functionArn());
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId());
        byte[] body = invocation.event().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private void post(HttpExchange exchange, String requestId, boolean error) throws IOException {
        Pending pending = current;
        if (pending == null
                || !pending.invocation().requestId().equals(requestId)
                || pending.outcome().isDone()) {
            reply(
                    exchange,
                    400,
                    problem("no invocation with request id " + requestId + " awaits an answer", "InvalidRequestID"));
            return;
        }
        byte[] body = readAtMost(exchange.getRequestBody(), LocalRuntime.MAX_PAYLOAD_BYTES + 1L);
        if (body.length > LocalRuntime.MAX_PAYLOAD_BYTES) {
            pending.outcome()
                    .complete(Outcome.error(
                            problem(
                                    "Response payload size exceeded maximum allowed payload size ("
                                            + LocalRuntime.MAX_PAYLOAD_BYTES + " bytes).",
                                    "Function.ResponseSizeTooLarge"),
                            Optional.of("Function.ResponseSizeTooLarge")));
            reply(
                    exchange,
                    413,
                    problem(
                            "Exceeded maximum allowed payload size (" + LocalRuntime.MAX_PAYLOAD_BYTES + " bytes).",
                            "RequestEntityTooLarge"));
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        pending.outcome().complete(error ? Outcome.error(text, errorType(exchange)) : Outcome.response(text));
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static Optional<String> errorType(HttpExchange exchange) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"))
                .filter(type -> !type.isBlank())
                .map(type -> type.length() > 256 ? type.substring(0, 256) : type);
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        byte[] body = readAtMost(exchange.getRequestBody(), LocalRuntime.MAX_PAYLOAD_BYTES);
        return new String(body, StandardCharsets.UTF_8);
    }

    /** At most {@code limit} bytes of the body; the rest is read and dropped, so the connection stays usable. */
    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] kept = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
        in.transferTo(OutputStream.nullOutputStream());
        return kept;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static String problem(String message, String type) {
        ObjectNode error = JSON.createObjectNode();
        error.put("errorMessage", message);
        error.put("errorType", type);
        return error.toString();
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }

    /** One invocation as the runtime receives it. */
    record Invocation(String requestId, String event, long deadlineEpochMillis, String functionArn, String traceId) {
        Invocation {
            requireNonNull(requestId, "requestId is null");
            requireNonNull(event, "event is null");
            requireNonNull(functionArn, "functionArn is null");
            requireNonNull(traceId, "traceId is null");
        }
    }

    /** What the runtime answered: a response, or an error with the type it gave in its header, if any. */
    record Outcome(String body, boolean failed, Optional<String> errorType) {
        static Outcome response(String body) {
            return new Outcome(body, false, Optional.empty());
        }

        static Outcome error(String body, Optional<String> errorType) {
            return new Outcome(body, true, errorType);
        }
    }

    private record Pending(Invocation invocation, CompletableFuture<Outcome> outcome) {}
}
