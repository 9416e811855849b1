package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Stack;
import java.util.Optional;

/**
 * A resource with a manifest's name that exists on the target without this stack's owner tag. Lambdaform never
 * modifies it unless the user adopts it explicitly.
 *
 * @param owner the stack that owns it, if it carries another stack's tag
 */
public record Conflict(ResourceKey key, Optional<String> owner) {
    public Conflict {
        requireNonNull(key, "key is null");
        requireNonNull(owner, "owner is null");
    }

    public String message() {
        String why = owner.map(o -> "it belongs to stack '" + o + "'")
                .orElse("it has no " + Stack.OWNER_TAG + " tag, so it was not created by this stack");
        return key + " already exists and " + why + "; Lambdaform will not modify it. Rename it in the manifests,"
                + " or take it over with --adopt " + key.name();
    }
}
