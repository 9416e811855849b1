package io.lambdaform.manifest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The process variables that hold the deployer's own credentials, which {@code ${env.NAME}} may not read unless the
 * Stack lists the name under {@code spec.allowedEnvironmentVariables}. A pull request is written by anyone, and plan
 * runs it with the deployer's credentials in the environment. The list is documented in docs/manifests.md.
 */
public final class CredentialVariables {
    /** Prefixes of variables set by AWS tooling and by CI systems for their own use. */
    static final List<String> PREFIXES = List.of(
            "AWS_",
            "ACTIONS_",
            "LAMBDAFORM_",
            "CI_JOB_",
            "CI_REGISTRY_",
            "BUILDKITE_AGENT_",
            "SYSTEM_ACCESSTOKEN",
            "VAULT_",
            "ARM_",
            "GOOGLE_",
            "AZURE_");
    /** Exact names of well-known CI and registry tokens. */
    static final Set<String> NAMES = Set.of(
            "GITHUB_TOKEN",
            "GH_TOKEN",
            "GH_ENTERPRISE_TOKEN",
            "GITLAB_TOKEN",
            "CIRCLE_TOKEN",
            "BITBUCKET_TOKEN",
            "NPM_TOKEN",
            "NODE_AUTH_TOKEN",
            "DOCKER_PASSWORD",
            "DOCKER_AUTH_CONFIG",
            "TWINE_PASSWORD",
            "CODECOV_TOKEN",
            "SONAR_TOKEN",
            "SSH_AUTH_SOCK");
    /** Text anywhere in a name that says it holds a credential. */
    static final List<String> WORDS = List.of(
            "TOKEN",
            "SECRET",
            "PASS",
            "PWD",
            "CREDENTIAL",
            "CREDS",
            "PRIVATE",
            "APIKEY",
            "SESSION",
            "WEBHOOK",
            "COOKIE",
            "KUBECONFIG",
            "JWT",
            "SIGNING",
            "NETRC",
            "AUTHORIZATION",
            "BEARER");
    /**
     * Words of a name (between underscores) that say it holds a credential or a URL that may carry one: a proxy's URL
     * ({@code HTTPS_PROXY}, {@code http_proxy}, {@code ALL_PROXY}) often holds a user and password.
     */
    static final Set<String> SEGMENTS =
            Set.of("KEY", "KEYS", "AUTH", "PAT", "DSN", "URL", "URI", "CERT", "PEM", "CONNECTION", "CONN", "PROXY");
    /** Names the rules above would refuse that hold no credential: the hosts a proxy is not used for. */
    static final Set<String> NOT_CREDENTIALS = Set.of("NO_PROXY");

    private CredentialVariables() {}

    /** Whether a variable of this name holds the deployer's credentials or settings, as far as its name tells. */
    public static boolean holdsCredential(String name) {
        return reason(name).isPresent();
    }

    /** Why a manifest may not read this variable, or empty when it may. */
    static Optional<String> reason(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String prefix : PREFIXES) {
            if (upper.startsWith(prefix) && !NAMES.contains(upper)) {
                return Optional.of(prefix + "* variables hold the deployer's credentials and settings");
            }
        }
        return nameSaysCredential(name);
    }

    /**
     * Why the name itself says the variable holds a credential (a well-known token's name, or a word such as TOKEN,
     * SECRET, PASSWORD, KEY), whoever's variable it is; empty when it does not.
     */
    static Optional<String> nameSaysCredential(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (NOT_CREDENTIALS.contains(upper)) {
            return Optional.empty();
        }
        if (NAMES.contains(upper)) {
            return Optional.of(name + " is a CI or registry credential");
        }
        for (String word : WORDS) {
            if (upper.contains(word)) {
                return Optional.of("a name containing " + word + " holds a credential");
            }
        }
        for (String segment : upper.split("_")) {
            if (SEGMENTS.contains(segment)) {
                return Optional.of(
                        "a name with the word " + segment + " holds a credential or a URL that may carry" + " one");
            }
        }
        return Optional.empty();
    }
}
