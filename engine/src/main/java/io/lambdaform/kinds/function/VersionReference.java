package io.lambdaform.kinds.function;

import java.util.Optional;

/**
 * A declared resource that routes to a function's versions (an alias): the function keeps the version it pins
 * when it prunes old versions.
 */
public interface VersionReference {
    /** The function it routes to. */
    String function();

    /** Its name on the function. */
    String alias();

    /** Whether it moves to each new release of the function entirely (neither pinned nor sending a canary share). */
    boolean followsReleases();

    /** The version it pins, when it does not follow the newest. */
    Optional<String> pinnedVersion();
}
