package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/** Identifies one cloud resource by kind and name; ordered as the kinds are created, then by name. */
public record ResourceKey(ResourceKind<?, ?, ?> kind, String name) implements Comparable<ResourceKey> {
    private static final Comparator<ResourceKey> ORDER = Comparator.<ResourceKey>comparingInt(
                    k -> k.kind().rank())
            .thenComparing(k -> k.kind().label())
            .thenComparing(ResourceKey::name);

    public ResourceKey {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
    }

    /** The kind's label, as plans show it: "role", "function". */
    public String type() {
        return kind.label();
    }

    @Override
    public int compareTo(ResourceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind.label() + " " + name;
    }
}
