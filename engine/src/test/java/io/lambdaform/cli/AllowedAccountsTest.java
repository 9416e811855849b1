package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.AwsCloud;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.allowedAccounts}: on AWS, an account the Stack does not allow is refused before any change, by every
 * command; moto's account is 123456789012. The local cloud is not an account and is not checked.
 */
class AllowedAccountsTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
    }

    /** The hello example, its Stack allowing these accounts. */
    private Path hello(String... accounts) throws IOException {
        Path set = dir.resolve("hello");
        Files.createDirectories(set);
        try (Stream<Path> files = Files.list(HELLO)) {
            for (Path file : files.toList()) {
                Files.copy(file, set.resolve(file.getFileName()));
            }
        }
        TestFiles.write(
                set,
                "stack.yaml",
                "kind: Stack\nname: hello\nspec:\n  region: us-east-1\n  allowedAccounts: [\""
                        + String.join("\", \"", accounts) + "\"]\n");
        return set;
    }

    private CliRunner.Result onMoto(String endpoint, String command, Path set, String... extra) {
        List<String> args =
                new ArrayList<>(List.of(command, set.toString(), "--target", "aws", "--endpoint-url", endpoint));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void anAccountTheStackDoesNotAllow_isRefusedByEveryCommand_andNothingIsCreated() throws IOException {
        String endpoint = MotoServer.freshEndpoint().toString();
        Path set = hello("111111111111");
        String refusal = "error: stack 'hello' may be deployed only to account 111111111111 (spec.allowedAccounts),"
                + " but the credentials in use are of account 123456789012; nothing was changed. Use credentials of"
                + " that account (--profile or AWS_PROFILE), or add 123456789012 to spec.allowedAccounts if the stack"
                + " belongs there too";

        for (List<String> command : List.of(
                List.of("plan"),
                List.of("apply", "--auto-approve"),
                List.of("destroy", "--auto-approve"),
                List.of("invoke"),
                List.of("logs"))) {
            CliRunner.Result result = onMoto(
                    endpoint,
                    command.get(0),
                    set,
                    command.subList(1, command.size()).toArray(String[]::new));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(result.err().lines().toList()).as(result.toString()).containsExactly(refusal);
            assertThat(result.out()).isEmpty();
        }
        TestTarget<AwsCloud> moto = AwsTestSupport.cloud(URI.create(endpoint));
        assertThat(moto.roles().findRole("hello-ex")).isEmpty();
        assertThat(moto.functions().findFunction("hello")).isEmpty();
    }

    @Test
    void theAccountTheStackAllows_isDeployedTo() throws IOException {
        String endpoint = MotoServer.freshEndpoint().toString();
        Path set = hello("111111111111", "123456789012");

        CliRunner.Result apply = onMoto(endpoint, "apply", set, "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).contains("account 123456789012", "Apply complete: 2 created");
        assertThat(AwsTestSupport.cloud(URI.create(endpoint)).functions().findFunction("hello"))
                .isPresent();
    }

    @Test
    void theLocalCloud_isNotAnAccount_andIsNotChecked() throws IOException {
        Path set = hello("111111111111");

        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).contains("account 000000000000", "Apply complete: 2 created");
    }

    @Test
    void anAccountThatIsNotTwelveDigitsInQuotes_isAValidationError() throws IOException {
        Path set = hello("111111111111");
        TestFiles.write(
                set, "stack.yaml", "kind: Stack\nname: hello\nspec:\n  allowedAccounts: [123456789012, \"12345\"]\n");

        CliRunner.Result validate = cli.run("validate", set.toString());

        assertThat(validate.exitCode()).as(validate.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(validate.err()).contains("stack.yaml:4:21:", "stack.yaml:4:35:", "2 problem(s) found.");
    }
}
