package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import java.util.List;

/**
 * One step of a plan: a single change to one resource. Each kind declares its operations as records next to its
 * diff (see {@code RoleOperations}); an operation carries itself out through its kind's port ({@link #apply}).
 */
public interface Operation {

    /** What the operation does to its resource, for the +/~/- marks and the summary. */
    enum Action {
        CREATE("+"),
        UPDATE("~"),
        DELETE("-");

        private final String symbol;

        Action(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** Whether an operation brings its resource into being, changes it, or removes it. */
    enum Effect {
        CREATES,
        CHANGES,
        DELETES
    }

    /**
     * An operation's name in the public plan format ({@code "operation"} in plan JSON and saved plans). Declared, not
     * derived from class names, so that renaming a class never changes the format; {@code schemas/plan.schema.json}
     * lists exactly the types of the registered kinds (a test checks it).
     *
     * @param effect what an operation of this type does to its resource as a whole
     */
    record Type(String name, Effect effect) {
        public Type {
            requireNonNull(name, "name is null");
            requireNonNull(effect, "effect is null");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The stable name of this operation in the plan format. */
    Type type();

    ResourceKey key();

    Action action();

    /** A short imperative sentence: "attach managed policy arn:...". */
    String summary();

    /** The summary without anything read from the live resource (a name of a live policy or tag, say). */
    default String hiddenSummary() {
        return summary();
    }

    /** Field-level changes, masked where secret; none by default. */
    default List<FieldChange> changes() {
        return List.of();
    }

    /** Carries the operation out on the target; returns once the target is ready for the next call. */
    void apply(ApplyContext target);
}
