package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.resource.Stack;
import java.util.Optional;

/**
 * The execution role of a function: a role of the same stack, a role another stack owns, or the ARN of a role managed
 * elsewhere.
 */
public sealed interface RoleRef permits RoleRef.StackRole, RoleRef.OtherStack, RoleRef.External {
    /** A role declared in the same manifest set. */
    record StackRole(String name) implements RoleRef {
        public StackRole {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * A role another stack of the repository owns ({@code role: {stack: shared, name: shared-fn}}): used, never
     * changed; it must exist, carrying that stack's owner tag, before this stack is planned.
     */
    record OtherStack(String stack, String name) implements RoleRef {
        public OtherStack {
            requireNonNull(stack, "stack is null");
            requireNonNull(name, "name is null");
        }

        /**
         * Refuses to plan {@code function} on a role that is not there, or not the other stack's: what a target's
         * read of the function checks first, so that nothing is changed.
         */
        public void require(String function, Optional<RoleState> live) {
            if (live.isEmpty()) {
                throw LambdaformException.user("function " + function + " uses role " + name + " of stack " + stack
                        + ", which does not exist: apply stack " + stack + " first (it owns the role)");
            }
            String owner = live.get().tags().get(Stack.OWNER_TAG);
            if (!stack.equals(owner)) {
                throw LambdaformException.user("function " + function + " uses role " + name + " of stack " + stack
                        + ", but that role "
                        + (owner == null ? "carries no stack's owner tag" : "is stack " + owner + "'s")
                        + ": name the stack that owns it, or give the role's ARN");
            }
        }
    }

    /** A role Lambdaform does not manage, by ARN. */
    record External(String arn) implements RoleRef {
        public External {
            requireNonNull(arn, "arn is null");
        }
    }
}
