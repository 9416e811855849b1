package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/** Identifies one cloud resource by type and name. */
public record ResourceKey(ResourceType type, String name) implements Comparable<ResourceKey> {
    private static final Comparator<ResourceKey> ORDER =
            Comparator.comparing(ResourceKey::type).thenComparing(ResourceKey::name);

    public ResourceKey {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
    }

    public static ResourceKey role(String name) {
        return new ResourceKey(ResourceType.ROLE, name);
    }

    public static ResourceKey function(String name) {
        return new ResourceKey(ResourceType.FUNCTION, name);
    }

    @Override
    public int compareTo(ResourceKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return type.label() + " " + name;
    }
}
