package io.lambdaform.kinds.function;

import java.util.Optional;

/**
 * A declared resource that routes to a function's versions (an alias): the function keeps the version it pins
 * when it prunes old versions.
 */
public interface VersionReference {
    /** The function it routes to. */
    String function();

    /** The version it pins, when it does not follow the newest. */
    Optional<String> pinnedVersion();
}
