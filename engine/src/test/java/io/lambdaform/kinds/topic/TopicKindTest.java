package io.lambdaform.kinds.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.kinds.Kinds;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Topics as a function of records: the manifests and what the target holds in, the plan out. */
class TopicKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");

    private static Stack stack(Topic... topics) {
        return new Stack("app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(topics), List.of(), Sensitive.NONE);
    }

    private static Topics.State live(String name, Map<String, String> tags) {
        return new Topics.State(name, "arn:aws:sns:eu-west-1:123456789012:" + name, new TreeMap<>(tags));
    }

    private static Plan plan(Stack stack, Topics.State live) {
        String name = stack.resources(TopicKind.KIND).get(0).name();
        return new Planner()
                .plan(
                        stack,
                        LiveState.builder(TARGET, Kinds.ALL)
                                .live(TopicKind.KIND, name, Optional.ofNullable(live))
                                .build(),
                        Set.of());
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().type() + " "
                        + op.operation().summary() + " "
                        + op.operation().changes().stream()
                                .map(c -> c.field() + "=" + c.after().orElse("·"))
                                .toList())
                .toList();
    }

    @Test
    void anAbsentTopic_isCreatedWithItsTags_aFifoTopicSayingSo() {
        assertThat(steps(plan(stack(new Topic("events", new TreeMap<>(Map.of("team", "core")))), null)))
                .containsExactly("topic events: CreateTopic create topic [tags.lambdaform:stack=app, tags.team=core]");
        assertThat(steps(plan(stack(new Topic("events.fifo", new TreeMap<>())), null)))
                .containsExactly(
                        "topic events.fifo: CreateTopic create FIFO topic [fifo=true, tags.lambdaform:stack=app]");
    }

    @Test
    void aTopicAsDeclared_plansNothing_andOtherTagsAreTaggedAndUntagged() {
        assertThat(plan(stack(new Topic("events", new TreeMap<>())), live("events", Map.of(Stack.OWNER_TAG, "app")))
                        .isEmpty())
                .isTrue();
        assertThat(steps(plan(
                        stack(new Topic("events", new TreeMap<>(Map.of("team", "core")))),
                        live("events", Map.of(Stack.OWNER_TAG, "app", "old", "x")))))
                .containsExactly(
                        "topic events: TagResource tag team [tags.team=core]",
                        "topic events: UntagResource untag old [tags.old=·]");
    }

    @Test
    void aTopicOfAnotherStack_isAConflict_andATopicNoLongerDeclaredIsDeleted() {
        Plan taken = plan(stack(new Topic("events", new TreeMap<>())), live("events", Map.of(Stack.OWNER_TAG, "x")));
        Plan pruned = new Planner()
                .plan(
                        stack(),
                        LiveState.builder(TARGET, Kinds.ALL)
                                .inventory(TopicKind.KIND, new TreeSet<>(Set.of("old")))
                                .build(),
                        Set.of());

        assertThat(taken.operations()).isEmpty();
        assertThat(taken.conflicts())
                .singleElement()
                .satisfies(c -> assertThat(c.owner()).contains("x"));
        assertThat(steps(pruned)).containsExactly("topic old: DeleteTopic delete topic and its subscriptions []");
    }
}
