package io.lambdaform.manifest;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which process variables {@code ${env.NAME}} may not read: the deployer's and the CI's credentials. */
class CredentialVariablesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "HTTPS_PROXY",
                "https_proxy",
                "HTTP_PROXY",
                "http_proxy",
                "ALL_PROXY",
                "all_proxy",
                "FTP_PROXY",
                "NPM_CONFIG_HTTPS_PROXY",
                "NETRC",
                "CURL_NETRC",
                "HTTP_AUTHORIZATION",
                "REGISTRY_BEARER",
                "GITHUB_TOKEN",
                "ACTIONS_RUNTIME_TOKEN",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
                "ACTIONS_ID_TOKEN_REQUEST_URL",
                "CI_JOB_TOKEN",
                "NPM_TOKEN",
                "DOCKER_AUTH_CONFIG",
                "DEPLOY_TOKEN",
                "CLIENT_SECRET",
                "DB_PASSWORD",
                "SIGNING_KEY",
                "OPENAI_API_KEY",
                "AWS_SESSION_TOKEN"
            })
    void credentialNames_areRefused(String name) {
        assertThat(CredentialVariables.reason(name)).as(name).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NO_PROXY", "no_proxy", "STAGE", "LOG_LEVEL", "REGION_NAME", "HOME_PAGE", "APPROXIMATE"})
    void otherNames_mayBeRead(String name) {
        assertThat(CredentialVariables.reason(name)).as(name).isEmpty();
    }

    @Test
    void aProxyWithItsPassword_isRefusedAtItsUse_unlessTheStackAllowsIt() {
        write(dir, "stack.yaml", "kind: Stack\nname: app\nspec:\n  region: eu-west-1\n");
        write(
                dir,
                "fn.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: app.py\n  role: arn:aws:iam::123456789012:role/r\n  environment:\n"
                        + "    PROXY: \"${env.HTTPS_PROXY}\"\n");
        write(dir, "app.py", "def handler(e, c):\n    return e\n");
        ManifestInputs inputs = new ManifestInputs(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of("HTTPS_PROXY", "http://deployer:hunter2@proxy.internal:3128"),
                Optional.empty());
        ManifestReader reader = new ManifestReader(new YamlReader(), new SchemaValidator());

        List<String> refused = reader.read(List.of(dir), dir, inputs).diagnostics().stream()
                .map(Diagnostic::format)
                .toList();

        assertThat(refused)
                .singleElement()
                .asString()
                .contains("${env.HTTPS_PROXY} is refused", "PROXY", "spec.allowedEnvironmentVariables")
                .doesNotContain("hunter2");

        write(
                dir,
                "stack.yaml",
                "kind: Stack\nname: app\nspec:\n  region: eu-west-1\n  allowedEnvironmentVariables: [HTTPS_PROXY]\n");
        ManifestSet allowed = reader.read(List.of(dir), dir, inputs);
        assertThat(allowed.diagnostics()).isEmpty();
        assertThat(allowed.stack().orElseThrow().sensitive().appearsIn("http://deployer:hunter2@proxy.internal:3128"))
                .isTrue();
    }
}
