package io.lambdaform.plan;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a plan is asked to do besides making the target match the manifests.
 *
 * @param adopt names of existing resources that no stack owns, to take over ({@code --adopt})
 * @param payloadGates whether aliases gated on payloads run them before they move; off with
 *     {@code --no-payload-gate}, where payloads cannot pass (an emulator whose Invoke echoes the event)
 */
public record PlanOptions(SortedSet<String> adopt, boolean payloadGates) {
    public static final PlanOptions DEFAULT = new PlanOptions(new TreeSet<>(), true);

    public PlanOptions {
        adopt = new TreeSet<>(adopt);
    }

    public static PlanOptions adopting(Set<String> adopt) {
        return new PlanOptions(new TreeSet<>(adopt), true);
    }
}
