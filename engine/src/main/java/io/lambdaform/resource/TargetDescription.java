package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

/**
 * What a plan or apply header says about the target.
 *
 * @param kind "local" or "aws"
 * @param location where the target's state lives: a folder, or an endpoint and region
 * @param partition the ARN partition of the target's resources: aws, aws-cn or aws-us-gov
 */
public record TargetDescription(String kind, String location, String accountId, String region, String partition) {
    public TargetDescription {
        requireNonNull(kind, "kind is null");
        requireNonNull(location, "location is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(region, "region is null");
        requireNonNull(partition, "partition is null");
    }

    /** A target of AWS's partition for the region. */
    public TargetDescription(String kind, String location, String accountId, String region) {
        this(kind, location, accountId, region, partitionOf(region));
    }

    /** The AWS partition of a region: aws, aws-cn or aws-us-gov. */
    public static String partitionOf(String region) {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** The ARN a role of this account with that path and name has (or will have). */
    public String roleArn(String path, String name) {
        return "arn:" + partition + ":iam::" + accountId + ":role" + path + name;
    }

    /** The ARN of a regional resource of this account: {@code arn("lambda", "function:hello")}. */
    public String arn(String service, String resource) {
        return "arn:" + partition + ":" + service + ":" + region + ":" + accountId + ":" + resource;
    }

    @Override
    public String toString() {
        return kind + " (" + location + ", account " + accountId + ", region " + region + ")";
    }
}
