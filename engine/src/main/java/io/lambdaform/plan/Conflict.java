package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Stack;
import java.util.Optional;

/**
 * A resource with a manifest's name that exists on the target without this stack's owner tag. Lambdaform never
 * modifies it unless the user adopts it explicitly, and only when no stack owns it: a resource of another stack is
 * released by that stack first ({@code spec.release}).
 *
 * @param owner the stack that owns it, if it carries another stack's tag
 * @param adopting whether {@code --adopt} named it (refused: another stack owns it)
 */
public record Conflict(ResourceKey key, Optional<String> owner, boolean adopting) {
    public Conflict {
        requireNonNull(key, "key is null");
        requireNonNull(owner, "owner is null");
    }

    /** A conflict of a resource --adopt does not name. */
    public Conflict(ResourceKey key, Optional<String> owner) {
        this(key, owner, false);
    }

    public String message() {
        if (owner.isEmpty()) {
            return key + " already exists and it has no " + Stack.OWNER_TAG + " tag, so it was not created by this"
                    + " stack; Lambdaform will not modify it. Rename it in the manifests, or take it over with --adopt "
                    + key.name();
        }
        String move = "release it from stack '" + owner.get() + "' first (spec.release in its Stack manifest, then"
                + " apply that stack), then ";
        if (adopting) {
            return key + " belongs to stack '" + owner.get() + "'; --adopt takes only resources no stack owns. To move"
                    + " it, " + move + "adopt it here";
        }
        return key + " already exists and it belongs to stack '" + owner.get() + "'; Lambdaform will not modify it."
                + " Rename it in the manifests, or move it: " + move + "--adopt " + key.name();
    }
}
