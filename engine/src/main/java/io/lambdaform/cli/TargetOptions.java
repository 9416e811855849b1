package io.lambdaform.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
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

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            defaultValue = ".lambdaform",
            description = "Local cloud state folder (default: .lambdaform in the current folder).")
    Path stateDir = Path.of(".lambdaform");

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "Region; default: the Stack's region, else (aws) AWS_REGION, AWS_DEFAULT_REGION or the"
                    + " profile's region, (local) us-east-1.")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "AWS: a named profile of the shared config files.")
    String profile;

    @Option(
            names = "--endpoint-url",
            paramLabel = "URL",
            description = "AWS: send every request to this AWS-compatible endpoint (LocalStack, moto).")
    URI endpointUrl;

    @Option(
            names = "--lock-table",
            paramLabel = "TABLE",
            defaultValue = "${env:LAMBDAFORM_LOCK_TABLE}",
            description = "AWS: the DynamoDB table (partition key LockID, a string) that holds stack locks across CI"
                    + " runners. Default: $LAMBDAFORM_LOCK_TABLE.")
    String lockTable;

    @Option(
            names = "--max-api-rate",
            paramLabel = "N",
            description = "AWS: send at most N Lambda requests per second of each quota (control-plane calls;"
                    + " GetFunction). Default: Lambda's quotas on AWS (15 and 100, lower after throttling); no limit"
                    + " with --endpoint-url.")
    Double maxApiRate;

    public Optional<String> region() {
        return Optional.ofNullable(region);
    }
}
