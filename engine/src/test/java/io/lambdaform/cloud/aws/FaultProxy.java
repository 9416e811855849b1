package io.lambdaform.cloud.aws;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy between the SDK (its endpoint URL) and moto that injects the faults of real networks and of AWS:
 * HTTP 500 and 503, throttling in each protocol's own form, a connection dropped before the request reaches the
 * server, latency, and a response lost after the server carried the request out. Each request is named
 * {@code service:Operation} ({@code lambda:CreateFunction}, {@code iam:CreateRole}); faults come from a script per
 * operation first, then from a seeded random draw at the configured rates. One request per connection.
 */
public final class FaultProxy implements AutoCloseable {
    /** What the proxy does with one request. */
    public enum Fault {
        /** HTTP 500 with the protocol's InternalFailure/ServiceException error. */
        ERROR_500,
        /** HTTP 503 ServiceUnavailable. */
        ERROR_503,
        /**
         * Lambda: 429 TooManyRequestsException; IAM/STS/SNS: 400 Throttling; S3: 503 SlowDown; JSON services: 400
         * ThrottlingException.
         */
        THROTTLE,
        /** Reads the request, then closes the connection without forwarding it. */
        DROP,
        /** Forwards the request after a pause. */
        LATENCY,
        /** Forwards the request, reads moto's response, then closes the connection without replying. */
        LOST_RESPONSE,
        /** Forwards the request and returns the response. */
        NONE
    }

    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/[^/]+/[^/]+/([^/]+)/");

    private final URI target;
    private final ServerSocket server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Random random;
    private final Map<Fault, Double> rates;
    private final Duration latency;
    private final Map<String, Deque<Fault>> scripts = new HashMap<>();
    private final Map<String, Integer> requests = new TreeMap<>();
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private final List<String> log = new ArrayList<>();
    private volatile Predicate<String> randomFaultsFor;
    private volatile Responder responder = (operation, request) -> Optional.empty();

    /**
     * What answers a request in moto's place (an API moto does not implement), after any fault: the whole HTTP
     * response, or empty to forward the request.
     */
    @FunctionalInterface
    public interface Responder {
        Optional<byte[]> answer(String operation, Request request);
    }

    /** A request as a responder sees it. */
    public record Request(String method, String path, Map<String, String> query, byte[] body) {}

    private FaultProxy(
            URI target, long seed, Map<Fault, Double> rates, Duration latency, Predicate<String> randomFaultsFor)
            throws IOException {
        this.target = target;
        this.random = new Random(seed);
        this.rates = new LinkedHashMap<>(rates);
        this.latency = latency;
        this.randomFaultsFor = randomFaultsFor;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static Builder to(URI target) {
        return new Builder(target);
    }

    /** How a proxy is configured: a seed, a rate per fault (of all requests), the latency a LATENCY fault adds. */
    public static final class Builder {
        private final URI target;
        private long seed = 1;
        private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
        private Duration latency = Duration.ofMillis(200);
        private Predicate<String> randomFaultsFor = operation -> true;

        private Builder(URI target) {
            this.target = target;
        }

        public Builder seed(long newSeed) {
            this.seed = newSeed;
            return this;
        }

        public Builder rate(Fault fault, double rate) {
            rates.put(fault, rate);
            return this;
        }

        /** The same rate for each of the given faults. */
        public Builder rates(double rate, Fault... faults) {
            for (Fault fault : faults) {
                rates.put(fault, rate);
            }
            return this;
        }

        public Builder latency(Duration newLatency) {
            this.latency = newLatency;
            return this;
        }

        /** Random faults only for the operations matching (scripted faults apply regardless). */
        public Builder randomFaultsFor(Predicate<String> operations) {
            this.randomFaultsFor = operations;
            return this;
        }

        public FaultProxy start() {
            double total =
                    rates.values().stream().mapToDouble(Double::doubleValue).sum();
            if (total > 1) {
                throw new IllegalArgumentException("fault rates add up to more than 1: " + rates);
            }
            try {
                return new FaultProxy(target, seed, rates, latency, randomFaultsFor);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Requests {@code responder} answers are not forwarded to moto. */
    public FaultProxy answerWith(Responder newResponder) {
        this.responder = newResponder;
        return this;
    }

    /** An HTTP response with a JSON body (or none, for 204), as a responder returns it. */
    public static byte[] response(int status, String json, Map<String, String> headers) {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        head.append("x-amzn-RequestId: ")
                .append(UUID.randomUUID())
                .append("\r\nContent-Type: application/json\r\nContent-Length: ")
                .append(body.length)
                .append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The next requests of {@code operation} meet these faults, in order, before any random draw. */
    public synchronized FaultProxy script(String operation, Fault... faults) {
        scripts.computeIfAbsent(operation, k -> new ArrayDeque<>()).addAll(List.of(faults));
        return this;
    }

    /** Switches random faults on for the operations matching, or off with {@code operation -> false}. */
    public void randomFaultsFor(Predicate<String> operations) {
        this.randomFaultsFor = operations;
    }

    /** Requests received per operation, faulted or not. */
    public synchronized Map<String, Integer> requests() {
        return new TreeMap<>(requests);
    }

    public synchronized int requests(String operation) {
        return requests.getOrDefault(operation, 0);
    }

    /** Faults injected, per kind (NONE not counted). */
    public synchronized Map<Fault, Integer> injected() {
        return new EnumMap<>(injected);
    }

    /** One line per injected fault: {@code lambda:CreateFunction LOST_RESPONSE}. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    private synchronized Fault choose(String operation) {
        requests.merge(operation, 1, Integer::sum);
        Deque<Fault> script = scripts.get(operation);
        Fault fault = Fault.NONE;
        if (script != null && !script.isEmpty()) {
            fault = script.poll();
        } else if (randomFaultsFor.test(operation)) {
            double draw = random.nextDouble();
            double cumulative = 0;
            for (Map.Entry<Fault, Double> rate : rates.entrySet()) {
                cumulative += rate.getValue();
                if (draw < cumulative) {
                    fault = rate.getKey();
                    break;
                }
            }
        }
        if (fault != Fault.NONE) {
            injected.merge(fault, 1, Integer::sum);
            log.add(operation + " " + fault);
        }
        return fault;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                workers.execute(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Message request = Message.read(in, true, out);
            if (request == null) {
                return;
            }
            String operation = operation(request);
            Fault fault = choose(operation);
            switch (fault) {
                case DROP -> {
                    return;
                }
                case ERROR_500, ERROR_503, THROTTLE -> {
                    out.write(errorResponse(operation, fault));
                    out.flush();
                    return;
                }
                case LATENCY -> sleep(latency);
                default -> {}
            }
            Optional<byte[]> answer = responder.answer(operation, request(request));
            byte[] response = answer.isPresent() ? answer.get() : forward(request);
            if (fault == Fault.LOST_RESPONSE) {
                return;
            }
            out.write(response);
            out.flush();
        } catch (IOException e) {
            // The client went away; nothing to do.
        }
    }

    private byte[] forward(Message request) throws IOException {
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
            upstream.setSoTimeout(60_000);
            OutputStream out = upstream.getOutputStream();
            out.write(request.serialize());
            out.flush();
            Message response = Message.read(new BufferedInputStream(upstream.getInputStream()), false, null);
            if (response == null) {
                throw new IOException("moto closed the connection without a response");
            }
            return response.serialize();
        }
    }

    private static Request request(Message message) {
        String[] line = message.startLine.split(" ");
        String target = line.length > 1 ? line[1] : "/";
        int question = target.indexOf('?');
        Map<String, String> query = new TreeMap<>();
        if (question >= 0) {
            for (String pair : target.substring(question + 1).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(
                            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String path = question >= 0 ? target.substring(0, question) : target;
        return new Request(line[0], URLDecoder.decode(path, StandardCharsets.UTF_8), query, message.body);
    }

    /** {@code service:Operation}, from the signature's scope, the Query action, the JSON target or Lambda's path. */
    static String operation(Message request) {
        Matcher scope = SCOPE.matcher(request.header("authorization"));
        String service = scope.find() ? scope.group(1) : "unknown";
        String target = request.header("x-amz-target");
        if (!target.isEmpty()) {
            return service + ":" + target.substring(target.lastIndexOf('.') + 1);
        }
        String body = new String(request.body, StandardCharsets.UTF_8);
        Matcher action = Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(body);
        if (request.header("content-type").startsWith("application/x-www-form-urlencoded") && action.find()) {
            return service + ":" + URLDecoder.decode(action.group(1), StandardCharsets.UTF_8);
        }
        String[] line = request.startLine.split(" ");
        String method = line[0];
        String path = line.length > 1 ? line[1].replaceFirst("\\?.*", "") : "/";
        if (service.equals("lambda")) {
            return service + ":" + lambdaOperation(method, path);
        }
        return service + ":" + method + " " + path;
    }

    private static String lambdaOperation(String method, String path) {
        String[] parts = path.replaceAll("/+$", "").split("/");
        // ["", "2015-03-31", "functions", name?, sub?, id?] or ["", "2015-03-31", "event-source-mappings", uuid?]
        if (parts.length >= 3 && parts[2].equals("tags")) {
            return switch (method) {
                case "GET" -> "ListTags";
                case "POST" -> "TagResource";
                default -> "UntagResource";
            };
        }
        if (parts.length >= 3 && parts[2].equals("event-source-mappings")) {
            // By UUID, as GetFunction and DeleteFunction are by name: named apart so that a script reaches either.
            return parts.length == 3
                    ? method.equals("POST") ? "CreateEventSourceMapping" : "ListEventSourceMappings"
                    : switch (method) {
                        case "GET" -> "GetEventSourceMapping";
                        case "PUT" -> "UpdateEventSourceMapping";
                        default -> "DeleteEventSourceMapping";
                    };
        }
        if (parts.length == 6 && parts[4].equals("policy")) {
            return "RemovePermission";
        }
        if (parts.length == 3 && parts[2].equals("functions")) {
            return method.equals("POST") ? "CreateFunction" : "ListFunctions";
        }
        if (parts.length == 4) {
            return method.equals("DELETE") ? "DeleteFunction" : "GetFunction";
        }
        if (parts.length == 5) {
            return switch (parts[4]) {
                case "code" -> "UpdateFunctionCode";
                case "configuration" ->
                    method.equals("PUT") ? "UpdateFunctionConfiguration" : "GetFunctionConfiguration";
                case "invocations" -> "Invoke";
                case "provisioned-concurrency" ->
                    switch (method) {
                        case "PUT" -> "PutProvisionedConcurrencyConfig";
                        case "DELETE" -> "DeleteProvisionedConcurrencyConfig";
                        default -> "GetProvisionedConcurrencyConfig";
                    };
                case "recursion-config" ->
                    method.equals("PUT") ? "PutFunctionRecursionConfig" : "GetFunctionRecursionConfig";
                case "runtime-management-config" ->
                    method.equals("PUT") ? "PutRuntimeManagementConfig" : "GetRuntimeManagementConfig";
                case "policy" -> method.equals("POST") ? "AddPermission" : "GetPolicy";
                case "url" ->
                    switch (method) {
                        case "POST" -> "CreateFunctionUrlConfig";
                        case "PUT" -> "UpdateFunctionUrlConfig";
                        case "DELETE" -> "DeleteFunctionUrlConfig";
                        default -> "GetFunctionUrlConfig";
                    };
                default -> method + " " + parts[4];
            };
        }
        return method + " " + path;
    }

    /** The error each protocol uses: REST-JSON (Lambda), REST-XML (S3), Query/XML (IAM, STS, SNS), JSON (the others). */
    static byte[] errorResponse(String operation, Fault fault) {
        String service = operation.substring(0, operation.indexOf(':'));
        String requestId = UUID.randomUUID().toString();
        int status = switch (fault) {
            case ERROR_500 -> 500;
            case ERROR_503 -> 503;
            default -> service.equals("lambda") ? 429 : service.equals("s3") ? 503 : 400;
        };
        String contentType;
        String body;
        Map<String, String> extra = new LinkedHashMap<>();
        if (service.equals("lambda")) {
            String type = switch (fault) {
                case ERROR_500 -> "ServiceException";
                case ERROR_503 -> "ServiceUnavailableException";
                default -> "TooManyRequestsException";
            };
            contentType = "application/json";
            extra.put("x-amzn-ErrorType", type);
            body = fault == Fault.THROTTLE
                    ? "{\"Type\":\"User\",\"message\":\"Rate exceeded\",\"Reason\":\"CallerRateLimitExceeded\"}"
                    : "{\"Type\":\"Service\",\"message\":\"injected " + status + "\"}";
        } else if (service.equals("s3")) {
            // S3 throttles with 503 SlowDown, in its REST-XML form.
            String code = fault == Fault.ERROR_500
                    ? "InternalError"
                    : fault == Fault.ERROR_503 ? "ServiceUnavailable" : "SlowDown";
            contentType = "application/xml";
            body = "<Error><Code>" + code + "</Code><Message>"
                    + (fault == Fault.THROTTLE ? "Please reduce your request rate." : "injected " + status)
                    + "</Message><RequestId>" + requestId + "</RequestId></Error>";
        } else if (service.equals("iam") || service.equals("sts") || service.equals("sns")) {
            String code = switch (fault) {
                case ERROR_500 -> "InternalFailure";
                case ERROR_503 -> "ServiceUnavailable";
                default -> "Throttling";
            };
            contentType = "text/xml";
            String version = switch (service) {
                case "iam" -> "2010-05-08";
                case "sns" -> "2010-03-31";
                default -> "2011-06-15";
            };
            body = "<ErrorResponse xmlns=\"https://" + service + ".amazonaws.com/doc/" + version + "/\"><Error><Type>"
                    + (fault == Fault.THROTTLE ? "Sender" : "Receiver") + "</Type><Code>" + code + "</Code><Message>"
                    + (fault == Fault.THROTTLE ? "Rate exceeded" : "injected " + status) + "</Message></Error>"
                    + "<RequestId>" + requestId + "</RequestId></ErrorResponse>";
        } else {
            String code = switch (fault) {
                case ERROR_500 -> "InternalServerError";
                case ERROR_503 -> "ServiceUnavailable";
                default -> "ThrottlingException";
            };
            contentType = "application/x-amz-json-1.1";
            body = "{\"__type\":\"" + code + "\",\"message\":\""
                    + (fault == Fault.THROTTLE ? "Rate exceeded" : "injected " + status) + "\"}";
        }
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n")
                .append("Content-Type: ")
                .append(contentType)
                .append("\r\n")
                .append("x-amzn-RequestId: ")
                .append(requestId)
                .append("\r\n");
        extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static String reason(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 429 -> "Too Many Requests";
            default -> "Bad Request";
        };
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        workers.shutdownNow();
    }

    /** One HTTP/1.1 request or response: start line, headers (in order), body (de-chunked). */
    static final class Message {
        final String startLine;
        final List<String[]> headers;
        final byte[] body;

        private Message(String startLine, List<String[]> headers, byte[] body) {
            this.startLine = startLine;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return "";
        }

        /**
         * Reads one message; for a request, answers "Expect: 100-continue" on {@code continueTo}. Returns null when
         * the connection closes before a start line.
         */
        static Message read(InputStream in, boolean isRequest, OutputStream continueTo) throws IOException {
            String startLine = line(in);
            if (startLine == null || startLine.isEmpty()) {
                return null;
            }
            List<String[]> headers = new ArrayList<>();
            for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.add(new String[] {
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim()
                });
            }
            Message head = new Message(startLine, headers, new byte[0]);
            if (isRequest && head.header("expect").equalsIgnoreCase("100-continue") && continueTo != null) {
                continueTo.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                continueTo.flush();
            }
            byte[] body;
            String length = head.header("content-length");
            if (head.header("transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = chunked(in);
            } else if (!length.isEmpty()) {
                body = in.readNBytes(Integer.parseInt(length));
            } else if (isRequest || noBody(startLine)) {
                body = new byte[0];
            } else {
                body = in.readAllBytes();
            }
            return new Message(startLine, headers, body);
        }

        private static boolean noBody(String statusLine) {
            String[] parts = statusLine.split(" ");
            return parts.length > 1 && (parts[1].startsWith("1") || parts[1].equals("204") || parts[1].equals("304"));
        }

        /** The message with a Content-Length body and "Connection: close". */
        byte[] serialize() {
            StringBuilder head = new StringBuilder(startLine).append("\r\n");
            for (String[] header : headers) {
                String name = header[0].toLowerCase(Locale.ROOT);
                if (!name.equals("connection")
                        && !name.equals("content-length")
                        && !name.equals("transfer-encoding")
                        && !name.equals("expect")
                        && !name.equals("keep-alive")) {
                    head.append(header[0]).append(": ").append(header[1]).append("\r\n");
                }
            }
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
            return out.toByteArray();
        }

        private static byte[] chunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    throw new IOException("connection closed inside a chunked body");
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                        // trailers are dropped
                    }
                    return body.toByteArray();
                }
                body.writeBytes(in.readNBytes(size));
                line(in);
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    String text = line.toString(StandardCharsets.ISO_8859_1);
                    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
