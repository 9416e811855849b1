package io.lambdaform.cloud.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A moto server (a real AWS API emulator) for the whole test JVM, started on a free loopback port on first use.
 * Without moto the AWS tests are skipped with a message saying how to enable them; with CI=true a missing or broken
 * moto fails the build instead.
 */
public final class MotoServer {
    private static final String CONFIG = "{\"lambda\":{\"use_docker\":false}}";
    private static MotoServer shared;
    private static String unavailable;

    private final URI endpoint;
    private final Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** The shared server, or empty (with {@link #whyUnavailable()}) when moto cannot run here and CI is not set. */
    public static synchronized Optional<MotoServer> shared() {
        if (shared == null && unavailable == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                unavailable = e.getMessage();
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new IllegalStateException("CI=true but moto could not start: " + unavailable, e);
                }
            }
        }
        return Optional.ofNullable(shared);
    }

    /**
     * The endpoint of the shared server after a reset, for a test's setup; the test is skipped (or, with CI=true,
     * fails) when moto cannot run here.
     */
    public static URI freshEndpoint() {
        AwsTestSupport.init();
        Optional<MotoServer> server = shared();
        Assumptions.assumeTrue(server.isPresent(), MotoServer::whyUnavailable);
        server.get().reset();
        return server.get().endpoint();
    }

    /**
     * {@link #freshEndpoint()} with Lambda on moto's Docker backend, for a test of functions that use layers and are
     * never invoked: moto 5.2's non-Docker backend keeps the layers it publishes apart from where CreateFunction and
     * UpdateFunctionConfiguration look a function's layers up, so that every layer version is "not found" there. The
     * next {@link #freshEndpoint()} switches back.
     */
    public static URI freshEndpointForLayers() {
        URI endpoint = freshEndpoint();
        try {
            shared().orElseThrow().post("/moto-api/config", "{\"lambda\":{\"use_docker\":true}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return endpoint;
    }

    public static String whyUnavailable() {
        return "AWS tests against moto skipped: " + unavailable + ". Install moto's server (pip install"
                + " 'moto[server]>=5.2') so that 'moto_server' is on PATH to run them; CI=true makes this an error";
    }

    /** Ways to run moto's server, in order: $MOTO_SERVER, PATH, pyenv's shims and versions, python3 -m. */
    private static List<List<String>> candidates() {
        List<List<String>> commands = new ArrayList<>();
        Optional.ofNullable(System.getenv("MOTO_SERVER"))
                .filter(s -> !s.isBlank())
                .ifPresent(s -> commands.add(List.of(s)));
        commands.add(List.of("moto_server"));
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv");
        commands.add(List.of(pyenv.resolve("shims/moto_server").toString()));
        try (var versions = Files.list(pyenv.resolve("versions"))) {
            versions.map(v -> v.resolve("bin/moto_server"))
                    .filter(Files::isExecutable)
                    .sorted()
                    .forEach(v -> commands.add(List.of(v.toString())));
        } catch (IOException e) {
            // no pyenv
        }
        commands.add(List.of("python3", "-m", "moto.server"));
        return commands;
    }

    private static MotoServer start() {
        int port = freePort();
        Path log;
        Process process = null;
        List<String> tried = new ArrayList<>();
        try {
            log = Files.createTempFile("moto", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (List<String> command : candidates()) {
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
                process = builder.start();
                sleep(300);
                if (process.isAlive()) {
                    break;
                }
                tried.add(String.join(" ", command) + " (exited " + process.exitValue() + ")");
                process = null;
            } catch (IOException e) {
                tried.add(String.join(" ", command) + " (not found)");
            }
        }
        if (process == null) {
            throw new IllegalStateException("no moto server could be started; tried " + tried);
        }
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.descendants().forEach(ProcessHandle::destroy);
            started.destroy();
        }));
        MotoServer server = new MotoServer(URI.create("http://127.0.0.1:" + port), started);
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            if (!started.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + started.exitValue() + ": " + tail(log));
            }
            try {
                if (server.post("/moto-api/config", CONFIG) / 100 == 2) {
                    return server;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                started.destroyForcibly();
                throw new IllegalStateException("moto_server did not answer within 60 s: " + tail(log));
            }
            sleep(200);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Drops every resource, then switches Lambda to the non-Docker backend again. */
    public void reset() {
        try {
            post("/moto-api/reset", "");
            post("/moto-api/config", CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int post(String path, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
