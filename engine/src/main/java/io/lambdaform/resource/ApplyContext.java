package io.lambdaform.resource;

import io.lambdaform.model.CodeSource;
import java.util.Optional;

/** What an operation needs to carry itself out: the ports of the target, and the code as it was planned. */
public interface ApplyContext {
    /** The target's adapter for a kind's port. */
    <P> P port(Class<P> port);

    /**
     * The package of {@code source}, provided it is still the one the plan was made from (CodeSha256
     * {@code plannedSha256}); else a user error naming {@code resource}.
     */
    DeploymentPackage packageAsPlanned(ResourceKey resource, CodeSource source, String plannedSha256);

    /**
     * Keeps a result of an operation for the operations that depend on it in this apply (the number of a version it
     * published, for the aliases that move to it).
     */
    void remember(String key, String value);

    /** What an earlier operation of this apply kept under {@code key}. */
    Optional<String> recall(String key);

    /** Says what an operation is doing, under it, while it runs. */
    void progress(String message);
}
