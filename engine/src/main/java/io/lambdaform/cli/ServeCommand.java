package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.invoke.PayloadRunner;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.TriggerEvents;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.kinds.trigger.Triggers;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform serve [PATH...]}: serves each function URL of the stack, as applied to the local cloud, on a
 * loopback port of its own, translating each HTTP request into the event Lambda sends (payload format 2.0) and the
 * function's response back into HTTP as Lambda does: a {@code statusCode}/{@code headers}/{@code body} object as
 * such, anything else as a JSON body with status 200. Runs until interrupted (Ctrl-C).
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Serve the stack's function URLs from the local cloud on loopback ports, one per URL, until interrupted"
                    + " (Ctrl-C): each HTTP request becomes the event Lambda sends (payload format 2.0).",
            "Apply the stack to the local cloud first."
        })
public final class ServeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda's limit on a request's payload: larger requests get 413, as from a function URL. */
    static final int MAX_BODY = 6 * 1024 * 1024;

    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Parameters(
            arity = "0..*",
            paramLabel = "PATH",
            description = "Manifest files or folders (default: the current folder).")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8790",
            description = "The port of the first URL, the next one's is one above, and so on (default 8790; 0: any"
                    + " free ports).")
    int port;

    private final Sessions sessions;
    private final Console console;
    private final Interruption interruption;

    @Inject
    public ServeCommand(Sessions sessions, Console console, Interruption interruption) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw LambdaformException.user("--port is " + port + ": a port is 0 (any free one) to 65535");
        }
        if (target.target == TargetOptions.Target.aws) {
            throw LambdaformException.user("serve runs the local cloud's functions; on AWS, Lambda serves a function"
                    + " URL itself: find it with 'aws lambda get-function-url-config --function-name NAME'");
        }
        PathsAndNames split = PathsAndNames.of(arguments);
        Sessions.Session session = sessions.open(split.paths(), inputs, target);
        Stack stack = session.stack();
        Engine.Target connected = session.target();
        TargetDescription where = connected.cloud().describe();
        Triggers triggers = connected.ports().get(Triggers.class);
        PayloadRunner runner = connected.payloads();
        List<HttpServer> servers = new ArrayList<>();
        List<ExecutorService> executors = new ArrayList<>();
        try {
            for (Trigger trigger : stack.resources(TriggerKind.KIND)) {
                if (trigger.type() != Trigger.Type.URL) {
                    continue;
                }
                boolean applied =
                        triggers.find(trigger).flatMap(Triggers.State::link).isPresent();
                if (!applied) {
                    throw LambdaformException.user("trigger " + trigger.name() + " (the URL of function "
                            + trigger.function() + ") is not applied to the local cloud: run lambdaform apply first");
                }
                int next = port == 0 ? 0 : port + servers.size();
                if (next > 65535) {
                    throw LambdaformException.user("the stack's URLs need ports " + port + " and up, past 65535: give"
                            + " a lower --port, or 0 for any free ports");
                }
                // Without delay (TCP_NODELAY), as the local cloud's Runtime API asks of the same server class.
                System.setProperty("sun.net.httpserver.nodelay", "true");
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), next), 0);
                server.createContext("/", exchange -> handle(exchange, stack, trigger, runner, where));
                ExecutorService executor = Executors.newFixedThreadPool(2);
                executors.add(executor);
                server.setExecutor(executor);
                server.start();
                servers.add(server);
                console.out()
                        .println("trigger " + trigger.name() + ": function " + trigger.function()
                                + trigger.qualifier().map(q -> ":" + q).orElse("") + " at http://127.0.0.1:"
                                + server.getAddress().getPort() + "/ (auth type "
                                + trigger.settings().get("authType") + ": not checked locally)");
            }
            if (servers.isEmpty()) {
                throw LambdaformException.user("this stack declares no function URL (a Trigger with 'url')");
            }
            console.out().println("Serving until interrupted (Ctrl-C).");
            console.out().flush();
            CountDownLatch stop = new CountDownLatch(1);
            try (Interruption.Registration registration = interruption.onRequest(stop::countDown)) {
                stop.await();
            }
            return ExitCodes.OK;
        } catch (IOException e) {
            throw LambdaformException.user("cannot listen on port " + port + ": " + e.getMessage()
                    + "; choose another with --port (0: any free port)");
        } finally {
            servers.forEach(s -> s.stop(0));
            executors.forEach(ExecutorService::shutdownNow);
        }
    }

    private void handle(
            HttpExchange exchange, Stack stack, Trigger trigger, PayloadRunner runner, TargetDescription where)
            throws IOException {
        try (exchange) {
            byte[] body = read(exchange.getRequestBody());
            if (body == null) {
                respond(
                        exchange,
                        413,
                        Map.of("content-type", "application/json"),
                        "{\"Message\":\"Request must be"
                                + " smaller than 6291456 bytes for the InvokeFunction operation\"}");
                return;
            }
            URI uri = exchange.getRequestURI();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            TriggerEvents.HttpRequest request = new TriggerEvents.HttpRequest(
                    exchange.getRequestMethod(),
                    uri.getRawPath(),
                    Optional.ofNullable(uri.getRawQuery()).orElse(""),
                    headers,
                    body.length == 0 ? Optional.empty() : Optional.of(body));
            String host = "127.0.0.1:" + exchange.getLocalAddress().getPort();
            JsonNode event = TriggerEvents.url(request, host, where);
            InvocationResult result = runner.invoke(
                    stack, new Invocation(trigger.function(), event.toString(), trigger.qualifier(), false));
            result.log().lines().forEach(line -> console.err().println(trigger.function() + "  " + line));
            if (result.failed()) {
                respond(
                        exchange,
                        502,
                        Map.of("content-type", "application/json"),
                        "{\"Message\":\"Internal Server" + " Error\"}");
                return;
            }
            answer(exchange, result.payload());
        } catch (RuntimeException e) {
            console.err().println("serve: " + e.getMessage());
            respond(
                    exchange,
                    500,
                    Map.of("content-type", "application/json"),
                    "{\"Message\":\"Internal Server" + " Error\"}");
        }
    }

    /**
     * The function's response as Lambda turns it into HTTP for a URL: an object with a {@code statusCode} is the
     * response (headers, cookies, body, base64 when {@code isBase64Encoded}); anything else is a JSON body with 200.
     */
    static void answer(HttpExchange exchange, String payload) throws IOException {
        JsonNode response;
        try {
            response = JSON.readTree(payload);
        } catch (IOException e) {
            respond(exchange, 200, Map.of("content-type", "application/json"), payload);
            return;
        }
        if (response == null || !response.isObject() || !response.has("statusCode")) {
            respond(exchange, 200, Map.of("content-type", "application/json"), payload);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers")
                .fields()
                .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        List<String> cookies = new ArrayList<>();
        response.path("cookies").forEach(c -> cookies.add(c.asText()));
        JsonNode bodyNode = response.path("body");
        String text = bodyNode.isMissingNode() || bodyNode.isNull()
                ? ""
                : bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
        byte[] body = response.path("isBase64Encoded").asBoolean(false)
                ? Base64.getDecoder().decode(text)
                : text.getBytes(StandardCharsets.UTF_8);
        headers.putIfAbsent("content-type", "application/json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        cookies.forEach(c -> exchange.getResponseHeaders().add("set-cookie", c));
        JsonNode statusCode = response.path("statusCode");
        if (!statusCode.canConvertToInt() || statusCode.asInt() < 100 || statusCode.asInt() > 599) {
            // As Lambda answers a URL's function that returns a status that is none.
            respond(
                    exchange,
                    502,
                    Map.of("content-type", "application/json"),
                    "{\"Message\":\"Internal Server" + " Error\"}");
            return;
        }
        int status = statusCode.asInt();
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The request's body, or null when it is larger than Lambda takes. */
    private static byte[] read(InputStream in) {
        try {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
