package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

/** The execution role of a function: a role of the same stack, or the ARN of a role managed elsewhere. */
public sealed interface RoleRef permits RoleRef.StackRole, RoleRef.External {
    /** A role declared in the same manifest set. */
    record StackRole(String name) implements RoleRef {
        public StackRole {
            requireNonNull(name, "name is null");
        }
    }

    /** A role Lambdaform does not manage, by ARN. */
    record External(String arn) implements RoleRef {
        public External {
            requireNonNull(arn, "arn is null");
        }
    }
}
