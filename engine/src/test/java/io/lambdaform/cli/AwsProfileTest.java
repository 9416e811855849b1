package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * {@code --profile NAME} and {@code AWS_PROFILE} mean that profile alone: a profile that is missing or yields no
 * credentials is one user error before any call, and keys in the environment never win over a named profile.
 */
class AwsProfileTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();
    /** A secret of another profile of the same file: no message may show it. */
    private static final String OTHER_SECRET = "wJalrXUtnFEMI-other-profiles-secret-K7MDENG";

    @TempDir
    Path dir;

    private CliRunner cli;
    private Path config;
    private Path credentials;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        config =
                TestFiles.write(dir, "aws/config", "[default]\nregion = us-east-1\n[profile p1]\nregion = us-east-1\n");
        credentials = TestFiles.write(
                dir,
                "aws/credentials",
                "[other]\naws_access_key_id = AKIAOTHERPROFILE0000\naws_secret_access_key = " + OTHER_SECRET + "\n");
        // Keys in the environment, as CI's configure-aws-credentials step leaves them.
        env.put("AWS_ACCESS_KEY_ID", "testing");
        env.put("AWS_SECRET_ACCESS_KEY", "testing");
        env.put("AWS_CONFIG_FILE", config.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        env.put("HOME", dir.toString());
    }

    private CliRunner.Result plan(String endpoint, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "plan", HELLO.toString(), "--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1"));
        args.addAll(List.of(extra));
        return cli.run(env, args.toArray(String[]::new));
    }

    /** An endpoint where nothing listens: a command that sent a request would say it cannot reach it. */
    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aProfileThatDoesNotExist_isOneUserError_namingItAndTheFiles_beforeAnyCall() throws IOException {
        CliRunner.Result plan = plan(closedPort(), "--profile", "nosuch");

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.err().lines().toList())
                .as(plan.toString())
                .containsExactly("error: profile 'nosuch' (--profile) is not in the shared config file " + config
                        + " or the shared credentials file " + credentials + "; their profiles: default, other, p1."
                        + " Name a profile of those files, or add it to them (AWS_CONFIG_FILE and"
                        + " AWS_SHARED_CREDENTIALS_FILE name other files)");
        assertThat(plan.out()).isEmpty();
    }

    @Test
    void awsProfileThatDoesNotExist_isRefusedTheSameWay_withASuggestion() throws IOException {
        env.put("AWS_PROFILE", "p2");

        CliRunner.Result plan = plan(closedPort());

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.err())
                .contains("error: profile 'p2' (AWS_PROFILE) is not in the shared config file " + config)
                .contains("did you mean 'p1'?")
                .doesNotContain("cannot reach");
    }

    @Test
    void aProfileWithoutCredentials_isOneUserError_andShowsNoSecret() throws IOException {
        CliRunner.Result plan = plan(closedPort(), "--profile", "p1");

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.err().lines().toList())
                .as(plan.toString())
                .containsExactly("error: profile 'p1' (--profile) in " + config + " and " + credentials
                        + " cannot produce credentials: it sets none of aws_access_key_id, role_arn, sso_session,"
                        + " sso_start_url, credential_process or login_session. Give it aws_access_key_id and"
                        + " aws_secret_access_key, role_arn with source_profile, sso_session or credential_process,"
                        + " or name another profile");
        assertThat(plan.toString()).doesNotContain(OTHER_SECRET, "AKIAOTHERPROFILE0000");
    }

    @Test
    void aProfileWithKeys_isUsed_whateverKeysTheEnvironmentHolds() {
        String endpoint = MotoServer.freshEndpoint().toString();
        // Keys of another account: moto serves the credentials of an assumed role in the role's account.
        Credentials assumed = assumeRoleIn("111111111111", endpoint);
        TestFiles.write(
                dir,
                "aws/credentials",
                "[deploy]\naws_access_key_id = " + assumed.accessKeyId() + "\naws_secret_access_key = "
                        + assumed.secretAccessKey() + "\naws_session_token = " + assumed.sessionToken() + "\n");

        CliRunner.Result withEnvironmentKeys = plan(endpoint);
        CliRunner.Result withProfile = plan(endpoint, "--profile", "deploy");
        env.put("AWS_PROFILE", "deploy");
        CliRunner.Result withAwsProfile = plan(endpoint);

        assertThat(withEnvironmentKeys.out()).as(withEnvironmentKeys.toString()).contains("account 123456789012");
        assertThat(withProfile.exitCode()).as(withProfile.toString()).isEqualTo(ExitCodes.OK);
        assertThat(withProfile.out()).contains("account 111111111111").doesNotContain("123456789012");
        assertThat(withAwsProfile.out()).as(withAwsProfile.toString()).contains("account 111111111111");
        assertThat(withProfile.toString() + withAwsProfile)
                .doesNotContain(assumed.secretAccessKey(), assumed.sessionToken());
    }

    @Test
    void aProfileWithKeys_isUsed_overTheProcessEnvironmentsKeys() throws Exception {
        String endpoint = MotoServer.freshEndpoint().toString();
        Credentials assumed = assumeRoleIn("111111111111", endpoint);
        TestFiles.write(
                dir,
                "aws/credentials",
                "[deploy]\naws_access_key_id = " + assumed.accessKeyId() + "\naws_secret_access_key = "
                        + assumed.secretAccessKey() + "\naws_session_token = " + assumed.sessionToken() + "\n");

        // Its own process: the SDK's default chain reads the real process environment, not the CLI's map.
        CliRunner.Result plan = CliProcess.run(
                dir,
                env,
                "plan",
                HELLO.toString(),
                "--target",
                "aws",
                "--endpoint-url",
                endpoint,
                "--region",
                "us-east-1",
                "--profile",
                "deploy",
                "--state-dir",
                dir.resolve("state").toString());

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.OK);
        assertThat(plan.out()).contains("account 111111111111");
    }

    private static Credentials assumeRoleIn(String account, String endpoint) {
        try (StsClient sts = StsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build()) {
            return sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/deployer")
                            .roleSessionName("lambdaform-test"))
                    .credentials();
        }
    }
}
