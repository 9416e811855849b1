package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.resource.Stack;
import java.util.Set;

/** Reads the live state ({@link LiveReader}), then plans from it ({@link Planner}): what the commands call. */
public final class Planning {
    private final LiveReader reader;
    private final Planner planner;

    @Inject
    public Planning(LiveReader reader, Planner planner) {
        this.reader = requireNonNull(reader, "reader is null");
        this.planner = requireNonNull(planner, "planner is null");
    }

    /** The plan that makes the target match {@code desired}; {@code adopt} names resources to take over. */
    public Plan plan(Stack desired, Set<String> adopt) {
        return planner.plan(desired, reader.read(desired, adopt), adopt);
    }

    /** The plan that deletes every resource of the stack. */
    public Plan planDestroy(String stackName) {
        return planDestroy(Stack.empty(stackName));
    }

    /** The plan that deletes every resource of the stack but those it releases, which it lets go of instead. */
    public Plan planDestroy(Stack stack) {
        return planner.planDestroy(stack, reader.readForDestroy(stack.name()));
    }
}
