package io.lambdaform.cli;

import io.lambdaform.cloud.aws.AwsConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Which target a command talks to, and how to reach it. */
public final class TargetOptions {
    /** The targets Lambdaform can deploy to. */
    public enum Target {
        local,
        aws
    }

    @Option(
            names = "--target",
            paramLabel = "local|aws",
            defaultValue = "local",
            description = "Where to deploy: the embedded local cloud (default) or AWS.")
    Target target = Target.local;

    /** The environment variable that sets the local cloud's state folder when --state-dir does not. */
    static final String STATE_DIR_VARIABLE = "LAMBDAFORM_STATE_DIR";

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Local cloud state folder. Default: $LAMBDAFORM_STATE_DIR, else .lambdaform in the"
                    + " manifests' git work tree (or their folder outside git), whatever the current folder.")
    Path stateDir;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "Region; default: the Stack's region, else (aws) AWS_REGION, AWS_DEFAULT_REGION or the"
                    + " profile's region, (local) us-east-1.")
    String region;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "AWS: use this profile of the shared config and credentials files alone, never keys in the"
                    + " environment. Default: AWS_PROFILE, else the SDK's default credentials chain.")
    String profile;

    @Option(
            names = "--endpoint-url",
            paramLabel = "URL",
            converter = EndpointUrl.class,
            description = "AWS: send every request to this AWS-compatible endpoint (LocalStack, moto).")
    URI endpointUrl;

    /**
     * An http:// or https:// URL with a host. One that is not is refused without quoting it: a user and password, or
     * a token in its query, may be written in it, and no output shows them.
     */
    static final class EndpointUrl implements CommandLine.ITypeConverter<URI> {
        private static final String EXAMPLE = "such as http://localhost:4566";

        @Override
        public URI convert(String value) {
            URI endpoint;
            try {
                endpoint = new URI(value);
            } catch (URISyntaxException e) {
                throw new CommandLine.TypeConversionException("not a URL (" + e.getReason()
                        + (e.getIndex() < 0 ? "" : " at character " + (e.getIndex() + 1))
                        + "); write an http:// or https:// URL with a host, " + EXAMPLE);
            }
            String scheme = String.valueOf(endpoint.getScheme()).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
                throw new CommandLine.TypeConversionException(
                        "not an http:// or https:// URL with a host; write one " + EXAMPLE);
            }
            return endpoint;
        }
    }

    /**
     * What --endpoint-url holds that output must never show, whatever prints it: the password of a user written in
     * it, and its query (which may hold a token). {@link AwsConfig#shown} leaves them out of every message; these are
     * for the redactor, in case a message of another's quotes them.
     */
    List<String> endpointSecrets() {
        if (endpointUrl == null) {
            return List.of();
        }
        List<String> secrets = new ArrayList<>();
        for (String part : new String[] {endpointUrl.getRawUserInfo(), endpointUrl.getUserInfo()}) {
            if (part != null) {
                secrets.add(part);
                int colon = part.indexOf(':');
                if (colon >= 0) {
                    secrets.add(part.substring(colon + 1));
                }
            }
        }
        for (String part : new String[] {endpointUrl.getRawQuery(), endpointUrl.getQuery()}) {
            if (part != null) {
                secrets.add(part);
            }
        }
        return secrets;
    }

    /** Set from {@link LockOptions} by the commands that take the stack's lock. */
    String lockTable;

    @Option(
            names = "--max-api-rate",
            paramLabel = "N",
            description = "AWS: send at most N Lambda requests per second of each quota (control-plane calls;"
                    + " GetFunction). Default: 95%% of Lambda's quotas on AWS (15 and 100, lower after throttling); no limit"
                    + " with --endpoint-url.")
    Double maxApiRate;

    /**
     * Where the local cloud keeps its state: --state-dir, else $LAMBDAFORM_STATE_DIR, else {@code .lambdaform} in
     * the folder the manifests belong to ({@code root}), so that the answer does not depend on the current folder.
     */
    Path stateDir(Path root, Map<String, String> env) {
        if (stateDir != null) {
            return stateDir.toAbsolutePath().normalize();
        }
        String variable = env.getOrDefault(STATE_DIR_VARIABLE, "");
        if (!variable.isBlank()) {
            return Path.of(variable).toAbsolutePath().normalize();
        }
        return root.resolve(".lambdaform").toAbsolutePath().normalize();
    }

    public Optional<String> region() {
        return Optional.ofNullable(region);
    }
}
