package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
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
        CREATES(Action.CREATE),
        CHANGES(Action.UPDATE),
        DELETES(Action.DELETE);

        private final Action action;

        Effect(Action action) {
            this.action = action;
        }

        /** The mark an operation of this effect shows unless it says otherwise. */
        public Action action() {
            return action;
        }
    }

    /**
     * Declares an operation record's name in the public plan format and its effect, in one place: the record's
     * {@link #type()}, its kind's {@code operationTypes()} and the enumerations of {@code schemas/plan.schema.json} all
     * derive from it. Never rename one: a new meaning is a new name.
     *
     * <pre>{@code
     * @Operation.Named(value = "CreateRole", effect = Operation.Effect.CREATES)
     * record CreateRole(NewRole role, List<FieldChange> changes) implements RoleOperation { ... }
     * }</pre>
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Named {
        /** The operation's stable name ({@code "CreateRole"}). */
        String value();

        /** What it does to its resource as a whole. */
        Effect effect() default Effect.CHANGES;

        /**
         * Its mark, when not the effect's own (attaching a policy changes a role, but shows as an addition); none
         * means the effect's.
         */
        Action[] action() default {};
    }

    /**
     * An operation's name in the public plan format ({@code "operation"} in plan JSON and saved plans). Declared, not
     * derived from class names, so that renaming a class never changes the format; {@code schemas/plan.schema.json}
     * lists exactly the types of the registered kinds (a test checks it).
     *
     * @param effect what an operation of this type does to its resource as a whole
     */
    record Type(String name, Effect effect) {
        private static final ClassValue<Type> DECLARED = new ClassValue<>() {
            @Override
            protected Type computeValue(Class<?> type) {
                Named named = type.getAnnotation(Named.class);
                if (named == null) {
                    throw new IllegalStateException(type.getName() + " is an Operation without @Operation.Named");
                }
                return new Type(named.value(), named.effect());
            }
        };

        public Type {
            requireNonNull(name, "name is null");
            requireNonNull(effect, "effect is null");
        }

        /** The type an operation record declares with {@link Named}. */
        public static Type of(Class<? extends Operation> operation) {
            return DECLARED.get(operation);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The stable name of this operation in the plan format, as its record declares it ({@link Named}). */
    default Type type() {
        return Type.of(getClass());
    }

    ResourceKey key();

    /** The mark it shows: its {@link Named#action()} when given, else its effect's. */
    default Action action() {
        Named named = getClass().getAnnotation(Named.class);
        return named != null && named.action().length == 1
                ? named.action()[0]
                : type().effect().action();
    }

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
