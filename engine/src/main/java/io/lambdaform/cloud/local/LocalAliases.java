package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The {@link Aliases} port in the local cloud: aliases kept in the state's "aliases" section by {@code function:alias},
 * refusing what Lambda refuses: an alias of a function or version that does not exist, a second alias of one name.
 */
public final class LocalAliases implements Aliases {
    static final LocalState.Section<State> SECTION = new LocalState.Section<>("aliases", "alias", State.class);

    private final LocalCloud cloud;
    private final LocalRecords<State> records;

    @Inject
    public LocalAliases(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.records = new LocalRecords<>(
                cloud, SECTION, name -> LocalCloud.refused("ResourceNotFoundException", "Alias not found: " + name));
    }

    @Override
    public Optional<State> find(String name) {
        return records.find(name);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return records.inventory(stackName, except);
    }

    /** An alias has no tags: the owner is written into its description (adopting it, say). */
    @Override
    public void tag(String name, Map<String, String> tags) {
        records.change(name, alias -> {
            String owner = tags.getOrDefault(Stack.OWNER_TAG, alias.tags().get(Stack.OWNER_TAG));
            return withDescription(alias, alias.describedAs(Optional.ofNullable(owner)));
        });
    }

    /** Removes the owner from the description (releasing the alias). */
    @Override
    public void untag(String name, Collection<String> tagKeys) {
        if (tagKeys.contains(Stack.OWNER_TAG)) {
            records.change(name, alias -> withDescription(alias, alias.describedAs(Optional.empty())));
        }
    }

    @Override
    public State createAlias(
            String function, String alias, String version, SortedMap<String, Double> weights, String description) {
        String name = Alias.name(function, alias);
        State created =
                new State(function, alias, cloud.functionArn(function) + ":" + alias, version, weights, description);
        cloud.store().update(state -> {
            if (state.get(SECTION, name).isPresent()) {
                throw LocalCloud.refused("ResourceConflictException", "Alias already exists: " + name);
            }
            requireVersions(state, function, version, weights);
            state.put(SECTION, name, created);
            return state;
        });
        return created;
    }

    @Override
    public State updateAlias(
            String function, String alias, String version, SortedMap<String, Double> weights, String description) {
        String name = Alias.name(function, alias);
        State[] updated = new State[1];
        cloud.store().update(state -> {
            State live = state.get(SECTION, name)
                    .orElseThrow(() -> LocalCloud.refused("ResourceNotFoundException", "Alias not found: " + name));
            requireVersions(state, function, version, weights);
            updated[0] = new State(function, alias, live.arn(), version, weights, description, live.provisioned());
            state.put(SECTION, name, updated[0]);
            return state;
        });
        return updated[0];
    }

    /**
     * Kept on the alias, READY at once: the local cloud starts an environment when an invocation needs one. Refused, as
     * Lambda refuses it, beyond the function's reserved concurrency (with what its other aliases provision).
     */
    @Override
    public void putProvisionedConcurrency(String function, String alias, int environments) {
        String name = Alias.name(function, alias);
        cloud.store().update(state -> {
            State live = state.get(SECTION, name)
                    .orElseThrow(() -> LocalCloud.refused("ResourceNotFoundException", "Alias not found: " + name));
            Optional<Integer> reserved = state.get(LocalFunctions.SECTION, function)
                    .flatMap(f -> f.settings().reservedConcurrency());
            long others = state.all(SECTION).values().stream()
                    .filter(a -> a.function().equals(function) && !a.alias().equals(alias))
                    .mapToLong(a ->
                            a.provisioned().map(Aliases.Provisioned::requested).orElse(0))
                    .sum();
            if (reserved.isPresent() && others + environments > reserved.get()) {
                throw LocalCloud.refused(
                        "InvalidParameterValueException",
                        "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution"
                                + " for function " + function + " (" + reserved.get() + ")");
            }
            state.put(
                    SECTION,
                    name,
                    live.withProvisioned(Optional.of(new Aliases.Provisioned(
                            environments, environments, Aliases.Provisioned.READY, Optional.empty()))));
            return state;
        });
    }

    /** Nothing to wait for: the local cloud's allocations are READY at once. */
    @Override
    public void awaitProvisionedConcurrency(String function, String alias) {
        records.find(Alias.name(function, alias))
                .orElseThrow(() ->
                        LocalCloud.refused("ResourceNotFoundException", "Alias not found: " + function + ":" + alias));
    }

    @Override
    public void deleteProvisionedConcurrency(String function, String alias) {
        records.change(Alias.name(function, alias), live -> live.withProvisioned(Optional.empty()));
    }

    @Override
    public void deleteAlias(String function, String alias) {
        records.delete(Alias.name(function, alias));
    }

    /** Lambda refuses an alias of a version the function does not have. */
    private static void requireVersions(
            LocalState state, String function, String version, SortedMap<String, Double> weights) {
        FunctionState live = state.get(LocalFunctions.SECTION, function)
                .orElseThrow(() -> LocalCloud.refused("ResourceNotFoundException", "Function not found: " + function));
        List<String> published = live.versions().orElse(List.of()).stream()
                .map(FunctionVersion::version)
                .toList();
        for (String v : concat(version, weights.keySet())) {
            if (!v.equals("$LATEST") && !published.contains(v)) {
                throw LocalCloud.refused("ResourceNotFoundException", "Function not found: " + function + ":" + v);
            }
        }
    }

    private static List<String> concat(String version, Set<String> others) {
        List<String> all = new ArrayList<>(others);
        all.add(version);
        return all;
    }

    private static State withDescription(State alias, String description) {
        return new State(
                alias.function(),
                alias.alias(),
                alias.arn(),
                alias.version(),
                alias.weights(),
                description,
                alias.provisioned());
    }
}
