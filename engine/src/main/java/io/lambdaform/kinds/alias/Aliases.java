package io.lambdaform.kinds.alias;

import static java.util.Objects.requireNonNull;

import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Stack;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The port for aliases, named {@code function:alias} ({@link Alias#name}). Lambda cannot tag an alias, so which stack
 * owns one, and the version it routed to before its last move (what {@code rollback} moves it back to), are kept in
 * its description: {@code lambdaform:stack=orders previous=3}. Every mutation returns once Lambda has made it.
 */
public interface Aliases extends Port<Aliases.State> {
    /**
     * An alias as the target reports it.
     *
     * @param version the version it routes to
     * @param weights the other versions it routes a share of invocations to (Lambda's AdditionalVersionWeights)
     * @param description its description, which records the owner stack and the previous version
     * @param provisioned its provisioned concurrency; read only for an alias that declares it, empty otherwise or
     *     when it has none
     */
    record State(
            String function,
            String alias,
            String arn,
            String version,
            SortedMap<String, Double> weights,
            String description,
            Optional<Provisioned> provisioned)
            implements LiveResource {
        private static final Pattern STACK = Pattern.compile("(?:^| )lambdaform:stack=(\\S+)");
        private static final Pattern PREVIOUS = Pattern.compile("(?:^| )previous=(\\S+)");

        public State {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
            requireNonNull(arn, "arn is null");
            requireNonNull(version, "version is null");
            weights = Collections2.sortedCopy(weights);
            requireNonNull(description, "description is null");
            // A record of the local cloud written before provisioned concurrency has none.
            provisioned = provisioned == null ? Optional.empty() : provisioned;
        }

        /** An alias whose provisioned concurrency was not read. */
        public State(
                String function,
                String alias,
                String arn,
                String version,
                SortedMap<String, Double> weights,
                String description) {
            this(function, alias, arn, version, weights, description, Optional.empty());
        }

        public State withProvisioned(Optional<Provisioned> newProvisioned) {
            return new State(function, alias, arn, version, weights, description, newProvisioned);
        }

        /** The owner tag, as the description records it: what every kind's ownership reads. */
        @Override
        public SortedMap<String, String> tags() {
            SortedMap<String, String> tags = new TreeMap<>();
            Matcher stack = STACK.matcher(description);
            if (stack.find()) {
                tags.put(Stack.OWNER_TAG, stack.group(1));
            }
            return tags;
        }

        /** The version it routed to before its last move, when Lambdaform moved it. */
        public Optional<String> previous() {
            Matcher previous = PREVIOUS.matcher(description);
            return previous.find() ? Optional.of(previous.group(1)) : Optional.empty();
        }

        /** The description of an alias the stack owns, which was on {@code previous} before (empty: newly made). */
        public static String description(String stack, Optional<String> previous) {
            return "lambdaform:stack=" + stack
                    + previous.map(p -> " previous=" + p).orElse("");
        }

        /**
         * Its description with {@code owner} as its owner, or with none (released), keeping the version it rolls back
         * to: what tagging and untagging an alias write.
         */
        public String describedAs(Optional<String> owner) {
            return owner.map(o -> description(o, previous()))
                    .orElseGet(() -> previous().map(p -> "previous=" + p).orElse(""));
        }

        /** Whether it routes any share of its invocations to {@code version}. */
        public boolean routesTo(String version) {
            return this.version.equals(version) || weights.containsKey(version);
        }

        /** Where it routes: "3", or "3 (90%) + 4 (10%)". */
        public String routing() {
            return routing(version, weights);
        }

        static String routing(String version, SortedMap<String, Double> weights) {
            if (weights.isEmpty()) {
                return version;
            }
            double others =
                    weights.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder text = new StringBuilder(version + " (" + percent(1 - others) + ")");
            weights.forEach((v, w) ->
                    text.append(" + ").append(v).append(" (").append(percent(w)).append(')'));
            return text.toString();
        }

        private static String percent(double share) {
            double value = Math.round(share * 1000) / 10.0;
            return (value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value)) + "%";
        }
    }

    /**
     * An alias's provisioned concurrency, as Lambda's GetProvisionedConcurrencyConfig reports it.
     *
     * @param requested the environments asked for
     * @param allocated the environments Lambda has initialized so far
     * @param status IN_PROGRESS, READY or FAILED
     * @param reason why it failed, as Lambda says
     */
    record Provisioned(int requested, int allocated, String status, Optional<String> reason) {
        public static final String READY = "READY";
        public static final String FAILED = "FAILED";

        public Provisioned {
            requireNonNull(status, "status is null");
            requireNonNull(reason, "reason is null");
        }

        /** "READY", or "IN_PROGRESS, 3 of 10 allocated", or "FAILED: reason". */
        public String shown() {
            return switch (status) {
                case READY -> status;
                case FAILED -> status + reason.map(r -> ": " + r).orElse("");
                default -> status + ", " + allocated + " of " + requested + " allocated";
            };
        }
    }

    /**
     * The versions of a function, each with the names of {@code aliases} that route to it and that roll back to it:
     * how every target reports a function's versions.
     */
    static List<FunctionVersion> withAliases(List<FunctionVersion> versions, Collection<State> aliases) {
        Map<String, SortedSet<String>> routing = new HashMap<>();
        Map<String, SortedSet<String>> previous = new HashMap<>();
        for (State alias : aliases) {
            routing.computeIfAbsent(alias.version(), v -> new TreeSet<>()).add(alias.alias());
            alias.weights()
                    .keySet()
                    .forEach(v ->
                            routing.computeIfAbsent(v, k -> new TreeSet<>()).add(alias.alias()));
            alias.previous()
                    .ifPresent(v ->
                            previous.computeIfAbsent(v, k -> new TreeSet<>()).add(alias.alias()));
        }
        return versions.stream()
                .map(v -> v.withAliases(
                        routing.getOrDefault(v.version(), new TreeSet<>()),
                        previous.getOrDefault(v.version(), new TreeSet<>())))
                .toList();
    }

    /** Creates the alias. */
    State createAlias(
            String function, String alias, String version, SortedMap<String, Double> weights, String description);

    /** Moves the alias (and its routing) and rewrites its description. */
    State updateAlias(
            String function, String alias, String version, SortedMap<String, Double> weights, String description);

    /** Deletes the alias; one that is already gone is done. */
    void deleteAlias(String function, String alias);

    /**
     * Asks for {@code environments} of provisioned concurrency on the alias and returns once they are READY, with
     * progress while Lambda allocates them; throws with Lambda's reason when the allocation FAILED.
     */
    void putProvisionedConcurrency(String function, String alias, int environments);

    /** Returns once the alias's provisioned concurrency is READY; throws with Lambda's reason when it FAILED. */
    void awaitProvisionedConcurrency(String function, String alias);

    /** Removes the alias's provisioned concurrency; none is done. */
    void deleteProvisionedConcurrency(String function, String alias);
}
