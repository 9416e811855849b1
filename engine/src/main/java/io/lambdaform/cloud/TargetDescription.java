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

    @Override
    public String toString() {
        return kind + " (" + location + ", account " + accountId + ", region " + region + ")";
    }
}
