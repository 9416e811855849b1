package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * An ARN in its parts, {@code arn:partition:service:region:account:resource}, as a manifest writes one: what a kind
 * reads to tell whether it names one of its resources ({@link ResourceKind#nameIn}).
 *
 * @param resource everything after the account, colons and slashes kept ({@code function:hello:live}, {@code
 *     role/service/app})
 */
public record Arn(String partition, String service, String region, String account, String resource) {
    public Arn {
        requireNonNull(partition, "partition is null");
        requireNonNull(service, "service is null");
        requireNonNull(region, "region is null");
        requireNonNull(account, "account is null");
        requireNonNull(resource, "resource is null");
    }

    /** The parts of {@code text}; empty when it is not an ARN (fewer than six parts, or no resource). */
    public static Optional<Arn> parse(String text) {
        if (!text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length < 6 || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    /**
     * The name after {@code prefix} in the resource ({@code function:} in {@code function:hello:live} is {@code
     * hello:live}), for {@code service}; empty for another service, prefix or an empty name.
     */
    public Optional<String> named(String ofService, String prefix) {
        if (!service.equals(ofService) || !resource.startsWith(prefix) || resource.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(resource.substring(prefix.length()));
    }
}
