package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.Stack;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

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
        return plan(desired, PlanOptions.adopting(adopt));
    }

    /** The plan that makes the target match {@code desired}, as {@code options} ask. */
    public Plan plan(Stack desired, PlanOptions options) {
        return planner.plan(desired, reader.read(desired, options.adopt()), options);
    }

    /**
     * A plan of the changes {@code changes} writes to named resources of one kind, from their live state alone, read
     * for it: a rollback reads the aliases it moves, nothing else.
     */
    public <L extends LiveResource> Plan planOf(
            Stack desired, ResourceKind<?, L, ?> kind, List<String> names, BiConsumer<LiveState, PlanBuilder> changes) {
        LiveState live = reader.readOnly(kind, names);
        return planner.planWith(desired, live, builder -> changes.accept(live, builder));
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
