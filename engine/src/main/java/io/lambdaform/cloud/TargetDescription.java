package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

/**
 * What a plan or apply header says about the target.
 *
 * @param kind "local" or "aws"
 * @param location where the target's state lives: a folder, or an endpoint and region
 */
public record TargetDescription(String kind, String location, String accountId, String region) {
    public TargetDescription {
        requireNonNull(kind, "kind is null");
        requireNonNull(location, "location is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
    }

    /** The AWS partition of the region: aws, aws-cn or aws-us-gov. */
    public String partition() {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** The ARN a role of this account with that path and name has (or will have). */
    public String roleArn(String path, String name) {
        return "arn:" + partition() + ":iam::" + accountId + ":role" + path + name;
    }

    @Override
    public String toString() {
        return kind + " (" + location + ", account " + accountId + ", region " + region + ")";
    }
}
