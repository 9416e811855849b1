package io.lambdaform.resource;

import io.lambdaform.model.CodeSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, offline and without packaging it, why a function's code could not be packaged: what {@code validate} checks
 * beyond the manifests themselves. Commands that package the code find the same problems when they do.
 */
@FunctionalInterface
public interface CodeInspector {
    /** Inspects nothing: reading manifests for a command that packages the code later. */
    CodeInspector NONE = (source, shown) -> Optional.empty();

    /** Why {@code source} cannot be packaged, naming it as {@code shown}; empty when nothing is wrong. */
    Optional<String> problem(CodeSource source, String shown);

    /**
     * This inspector, asked once per code and name, for one reading of manifests (which runs on one thread): a folder
     * that many functions share, written alike, is walked once.
     */
    default CodeInspector once() {
        Map<List<Object>, Optional<String>> answers = new HashMap<>();
        return (source, shown) -> answers.computeIfAbsent(List.of(source, shown), key -> problem(source, shown));
    }
}
