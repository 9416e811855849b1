package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/** The target's adapters, one per kind's port: what the live reader and the operations call. */
public final class Ports {
    private final Function<Class<?>, Object> lookup;

    public Ports(Function<Class<?>, Object> lookup) {
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    public <P> P get(Class<P> port) {
        return port.cast(lookup.apply(port));
    }
}
