package io.lambdaform.resource;

import io.lambdaform.model.CodeSource;

/** What an operation needs to carry itself out: the ports of the target, and the code as it was planned. */
public interface ApplyContext {
    /** The target's adapter for a kind's port. */
    <P> P port(Class<P> port);

    /**
     * The package of {@code source}, provided it is still the one the plan was made from (CodeSha256
     * {@code plannedSha256}); else a user error naming {@code resource}.
     */
    DeploymentPackage packageAsPlanned(ResourceKey resource, CodeSource source, String plannedSha256);
}
