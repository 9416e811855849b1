package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import io.lambdaform.resource.LiveResource;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One kind's records in the local state, and what every local adapter does alike with them: find one, list the
 * stack's by owner tag, change one under the store's lock (refused as the service refuses a record that does not
 * exist), delete one (one already gone is done, as AWS's deletes answer a retry).
 */
final class LocalRecords<T extends LiveResource> {
    private final LocalCloud cloud;
    private final LocalState.Section<T> section;
    private final Function<String, RuntimeException> notFound;

    /** @param notFound the service's refusal of a change to a record that does not exist, by name */
    LocalRecords(LocalCloud cloud, LocalState.Section<T> section, Function<String, RuntimeException> notFound) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.section = requireNonNull(section, "section is null");
        this.notFound = requireNonNull(notFound, "notFound is null");
    }

    Optional<T> find(String name) {
        return cloud.store().read().get(section, name);
    }

    /** The names of the records that carry {@code stackName}'s owner tag, other than {@code except}. */
    SortedSet<String> inventory(String stackName, Set<String> except) {
        return cloud.store().read().ownedBy(section, stackName, except, LiveResource::tags);
    }

    /** Replaces the record with what {@code change} makes of it; refused when there is none. */
    void change(String name, UnaryOperator<T> change) {
        cloud.store().update(state -> {
            T live = state.get(section, name).orElseThrow(() -> notFound.apply(name));
            state.put(section, name, change.apply(live));
            return state;
        });
    }

    /** Deletes the record; one already gone is done. */
    void delete(String name) {
        cloud.store().update(state -> {
            state.remove(section, name);
            return state;
        });
    }
}
