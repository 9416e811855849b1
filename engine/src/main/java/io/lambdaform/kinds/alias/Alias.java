package io.lambdaform.kinds.alias;

import static java.util.Objects.requireNonNull;

import io.lambdaform.kinds.function.VersionReference;
import io.lambdaform.resource.Resource;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An alias of a function that publishes versions, as the manifests declare it:
 *
 * <pre>{@code
 * kind: Alias
 * name: live
 * spec:
 *   function: hello
 *   gate: payloads          # move only once the function's payloads pass against the new version
 *   canary: {weight: 0.1}   # or: send this share to the new version, and keep the rest on the current one
 *   provisionedConcurrency: 10   # environments kept initialized for the alias (0: none)
 * }</pre>
 *
 * @param version the version it is pinned to; empty to follow the function's newest release
 * @param gated whether the function's payloads must pass against a new version before the alias moves to it
 * @param canaryWeight the share of invocations routed to a new version while the alias stays on its current one
 * @param provisionedConcurrency the execution environments Lambda keeps initialized for the alias (0: none);
 *     unmanaged when empty
 */
public record Alias(
        String function,
        String alias,
        Optional<String> version,
        boolean gated,
        Optional<Double> canaryWeight,
        Optional<Integer> provisionedConcurrency)
        implements Resource, VersionReference {
    public Alias {
        requireNonNull(function, "function is null");
        requireNonNull(alias, "alias is null");
        requireNonNull(version, "version is null");
        requireNonNull(canaryWeight, "canaryWeight is null");
        requireNonNull(provisionedConcurrency, "provisionedConcurrency is null");
    }

    /** An alias that leaves provisioned concurrency unmanaged. */
    public Alias(
            String function, String alias, Optional<String> version, boolean gated, Optional<Double> canaryWeight) {
        this(function, alias, version, gated, canaryWeight, Optional.empty());
    }

    /** {@code function:alias}, as Lambda qualifies it: unique in a set, where two functions may each have a "live". */
    @Override
    public String name() {
        return name(function, alias);
    }

    public static String name(String function, String alias) {
        return function + ":" + alias;
    }

    /** The function of an alias's name ({@code function:alias}; neither name holds a colon). */
    public static String functionOf(String name) {
        return name.substring(0, name.indexOf(':'));
    }

    /** The alias of an alias's name ({@code function:alias}). */
    public static String aliasOf(String name) {
        return name.substring(name.indexOf(':') + 1);
    }

    /** Aliases carry no tags of their own: Lambda cannot tag them (ownership is recorded in their description). */
    @Override
    public SortedMap<String, String> tags() {
        return new TreeMap<>();
    }

    @Override
    public Optional<String> pinnedVersion() {
        return version;
    }

    @Override
    public boolean followsReleases() {
        return version.isEmpty() && canaryWeight.isEmpty();
    }
}
