package io.lambdaform.manifest;

import io.lambdaform.kinds.Kinds;
import io.lambdaform.resource.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of manifest document: the Stack, a resource of one of the registered kinds ({@link Kinds}), a Payload,
 * an Environment. Schema dispatch, model building and "did you mean" derive from it; switches over it are
 * exhaustive.
 */
enum DocumentKind {
    STACK,
    RESOURCE,
    PAYLOAD,
    ENVIRONMENT;

    static final String STACK_NAME = "Stack";
    static final String PAYLOAD_NAME = "Payload";
    static final String ENVIRONMENT_NAME = "Environment";

    static Optional<DocumentKind> of(String manifestName) {
        return switch (manifestName) {
            case STACK_NAME -> Optional.of(STACK);
            case PAYLOAD_NAME -> Optional.of(PAYLOAD);
            case ENVIRONMENT_NAME -> Optional.of(ENVIRONMENT);
            default -> Kinds.named(manifestName).map(k -> RESOURCE);
        };
    }

    /** Every kind as manifests write it: Stack, the resource kinds in creation order, Payload, Environment. */
    static List<String> manifestNames() {
        List<String> names = new ArrayList<>(List.of(STACK_NAME));
        Kinds.ALL.forEach(k -> names.add(k.manifestName()));
        names.addAll(List.of(PAYLOAD_NAME, ENVIRONMENT_NAME));
        return List.copyOf(names);
    }

    /** The schema of a kind as manifests write it: {@code schemas/<name>.schema.json}. */
    static String schemaName(String manifestName) {
        return Kinds.named(manifestName).map(ResourceKind::label).orElse(manifestName.toLowerCase());
    }
}
