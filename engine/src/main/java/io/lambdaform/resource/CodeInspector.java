package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.CodeSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, offline and without packaging it, why a function's code could not be packaged, and what its handler needs
 * that the code lacks: what {@code validate} checks beyond the manifests themselves. Commands that package the code
 * find the packaging problems when they do, and ask nothing of the handler.
 */
@FunctionalInterface
public interface CodeInspector {
    /** Inspects nothing: reading manifests for a command that packages the code later. */
    CodeInspector NONE = (source, shown) -> Optional.empty();

    /** Why {@code source} cannot be packaged, naming it as {@code shown}; empty when nothing is wrong. */
    Optional<String> problem(CodeSource source, String shown);

    /**
     * What {@code source} (named as {@code shown}) lacks of what its handler needs; empty when it holds it, or when
     * that cannot be known offline. Asks nothing by default: only {@code validate} looks into the code.
     */
    default Optional<Finding> handlerProblem(CodeSource source, HandlerNeed need, String shown) {
        return Optional.empty();
    }

    /**
     * Whether the command reading the manifests is {@code validate}, which also reports as warnings what a plan would
     * note ({@link ReadContext#validationWarning}). No by default.
     */
    default boolean validating() {
        return false;
    }

    /**
     * This inspector, asked once per question, for one reading of manifests (which runs on one thread): a folder that
     * many functions share, written alike, is walked once.
     */
    default CodeInspector once() {
        CodeInspector inspector = this;
        Map<List<Object>, Optional<String>> problems = new HashMap<>();
        Map<List<Object>, Optional<Finding>> handlers = new HashMap<>();
        return new CodeInspector() {
            @Override
            public boolean validating() {
                return inspector.validating();
            }

            @Override
            public Optional<String> problem(CodeSource source, String shown) {
                return problems.computeIfAbsent(List.of(source, shown), key -> inspector.problem(source, shown));
            }

            @Override
            public Optional<Finding> handlerProblem(CodeSource source, HandlerNeed need, String shown) {
                return handlers.computeIfAbsent(
                        List.of(source, need, shown), key -> inspector.handlerProblem(source, need, shown));
            }
        };
    }

    /** What an inspection found: a problem, or a warning when the code may hold what is needed after all. */
    record Finding(String message, boolean warning) {
        public Finding {
            requireNonNull(message, "message is null");
        }

        public static Finding problem(String message) {
            return new Finding(message, false);
        }

        public static Finding warning(String message) {
            return new Finding(message, true);
        }
    }
}
