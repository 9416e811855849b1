package io.lambdaform.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one list of the kinds of manifest document. Everything that enumerates kinds (schema dispatch, model building,
 * "did you mean", the kinds a target holds) derives from it, through switch expressions over this enum, so that a
 * kind added here and forgotten elsewhere is a compile error, not a fall-through.
 */
public enum Kind {
    STACK("Stack", "stack", Optional.empty()),
    ROLE("Role", "role", Optional.of(ResourceType.ROLE)),
    FUNCTION("Function", "function", Optional.of(ResourceType.FUNCTION)),
    PAYLOAD("Payload", "payload", Optional.empty()),
    ENVIRONMENT("Environment", "environment", Optional.empty());

    private final String manifestName;
    private final String schemaName;
    private final Optional<ResourceType> resourceType;

    Kind(String manifestName, String schemaName, Optional<ResourceType> resourceType) {
        this.manifestName = manifestName;
        this.schemaName = schemaName;
        this.resourceType = resourceType;
    }

    /** As manifests write it in {@code kind:}. */
    public String manifestName() {
        return manifestName;
    }

    /** Its schema is {@code schemas/<schemaName>.schema.json}. */
    public String schemaName() {
        return schemaName;
    }

    /** The resource a document of this kind deploys, if it deploys one. */
    public Optional<ResourceType> resourceType() {
        return resourceType;
    }

    public static Optional<Kind> named(String manifestName) {
        return Arrays.stream(values())
                .filter(k -> k.manifestName.equals(manifestName))
                .findFirst();
    }

    public static List<String> manifestNames() {
        return Arrays.stream(values()).map(Kind::manifestName).toList();
    }
}
