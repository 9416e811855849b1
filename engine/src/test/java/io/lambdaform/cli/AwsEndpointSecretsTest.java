package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user and password (or a query) written in --endpoint-url are never shown: not in the plan's header, its JSON or
 * markdown, a saved plan, an error, --debug, or the commands import prints.
 */
class AwsEndpointSecretsTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private CliRunner cli;
    private URI moto;

    @BeforeEach
    void setUp() {
        moto = MotoServer.freshEndpoint();
        cli = new CliRunner(dir.resolve("state"));
    }

    /** The endpoint with a user, a password and a query. */
    private static String withSecrets(URI endpoint) {
        return "http://deployer:secret-pw@" + endpoint.getHost() + ":" + endpoint.getPort() + "/?token=secret-token";
    }

    private CliRunner.Result run(String endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1"));
        return cli.run(all.toArray(String[]::new));
    }

    @Test
    void plan_inEveryFormat_neverShowsTheEndpointsUserInfoOrQuery() throws IOException {
        String endpoint = withSecrets(moto);
        Path saved = dir.resolve("plan.json");
        List<CliRunner.Result> results = List.of(
                run(endpoint, "plan", HELLO.toString()),
                run(endpoint, "plan", HELLO.toString(), "--format", "json"),
                run(endpoint, "plan", HELLO.toString(), "--format", "markdown", "--debug"),
                run(endpoint, "plan", HELLO.toString(), "--out", saved.toString()));

        for (CliRunner.Result result : results) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out() + result.err()).as(result.toString()).doesNotContain("secret", "deployer");
        }
        assertThat(results.get(0).out()).contains("endpoint http://" + moto.getHost() + ":" + moto.getPort());
        assertThat(Files.readString(saved)).doesNotContain("secret", "deployer");
    }

    @Test
    void plan_againstAClosedPort_neverShowsTheEndpointsUserInfoOrQuery() throws IOException {
        String closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = "http://deployer:secret-pw@127.0.0.1:" + socket.getLocalPort() + "/?token=secret-token";
        }

        for (String command : List.of("plan", "logs")) {
            CliRunner.Result result = run(closed, command, HELLO.toString(), "--debug");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.err()).as(result.toString()).contains("cannot reach http://127.0.0.1:");
            assertThat(result.out() + result.err()).as(result.toString()).doesNotContain("secret", "deployer");
        }
    }

    @Test
    void applyAndImport_neverShowTheEndpointsUserInfoOrQuery() throws IOException {
        String endpoint = withSecrets(moto);
        CliRunner.Result apply = run(endpoint, "apply", HELLO.toString(), "--auto-approve", "--debug");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        Path zip = dir.resolve("hello.zip");
        Files.write(
                zip,
                new CodePackager()
                        .pack(new CodeSource(HELLO.resolve("hello_handler.py"), CodeSource.Kind.FILE, List.of()))
                        .zip());

        CliRunner.Result imported = run(
                endpoint,
                "import",
                "--function",
                "hello",
                "--out",
                dir.resolve("imported").toString(),
                "--code",
                "hello=" + zip,
                "--stack",
                "hello");

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("--endpoint-url http://" + moto.getHost() + ":" + moto.getPort() + "/ ");
        for (CliRunner.Result result : List.of(apply, imported)) {
            assertThat(result.out() + result.err()).as(result.toString()).doesNotContain("secret", "deployer");
        }
    }

    @Test
    void anEndpointThatIsNotAnHttpUrl_isRefusedWithoutQuotingIt() {
        for (String endpoint : List.of(
                "deployer:secret-pw@127.0.0.1:9", "http://deployer:secret-pw@[::1:9", "ftp://deployer:secret-pw@h:9")) {
            CliRunner.Result plan = run(endpoint, "plan", HELLO.toString());

            assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(plan.err())
                    .as(plan.toString())
                    .contains("Invalid value for option '--endpoint-url': not ", "such as http://localhost:4566")
                    .doesNotContain("secret", "deployer");
        }
    }
}
