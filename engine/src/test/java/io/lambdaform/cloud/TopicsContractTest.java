package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.topic.Topics;
import io.lambdaform.resource.Stack;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Topics} port's contract, on the local cloud and on moto. */
class TopicsContractTest {
    @TempDir
    Path work;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private TestTarget<?> target(String target) {
        return ContractTargets.empty(target, work, "eu-west-1", progress::add);
    }

    private Topics topics(String target) {
        return target(target).ports().get(Topics.class);
    }

    private static TreeMap<String, String> owned(String stack) {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, stack, "team", "core"));
    }

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createTopic_isFound_withItsArnAndTags(String name) {
        TestTarget<?> target = target(name);
        Topics topics = target.ports().get(Topics.class);
        assertThat(topics.find("contract-topic")).isEmpty();

        Topics.State created = topics.createTopic("contract-topic", owned("s1"));

        assertThat(created.arn())
                .isEqualTo("arn:aws:sns:eu-west-1:" + target.cloud().describe().accountId() + ":contract-topic");
        assertThat(topics.find("contract-topic")).contains(created);
        assertThat(created.tags()).containsEntry(Stack.OWNER_TAG, "s1").containsEntry("team", "core");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aFifoTopic_isCreatedFromItsName(String target) {
        Topics topics = topics(target);

        topics.createTopic("events.fifo", owned("s1"));

        assertThat(topics.find("events.fifo").orElseThrow().arn()).endsWith(":events.fifo");
        assertThat(topics.inventory("s1", Set.of())).containsExactly("events.fifo");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createTopic_ofATopicThatExistsWithTheSameTags_returnsIt(String target) {
        Topics topics = topics(target);
        Topics.State first = topics.createTopic("dup-topic", owned("s1"));

        assertThat(topics.createTopic("dup-topic", owned("s1"))).isEqualTo(first);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void inventory_listsOnlyTheStacksOwnTopics_butThoseExcepted(String target) {
        Topics topics = topics(target);
        topics.createTopic("mine-topic", owned("mine"));
        topics.createTopic("mine-too-topic", owned("mine"));
        topics.createTopic("theirs-topic", owned("theirs"));
        topics.createTopic("nobodys-topic", new TreeMap<>());

        assertThat(topics.inventory("mine", Set.of())).containsExactly("mine-too-topic", "mine-topic");
        assertThat(topics.inventory("mine", Set.of("mine-topic"))).containsExactly("mine-too-topic");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void tagAndUntag_areReadBack(String target) {
        Topics topics = topics(target);
        topics.createTopic("tag-topic", owned("s1"));

        topics.tag("tag-topic", Map.of("env", "dev"));
        topics.untag("tag-topic", List.of("team"));

        assertThat(topics.find("tag-topic").orElseThrow().tags())
                .containsExactly(Map.entry("env", "dev"), Map.entry(Stack.OWNER_TAG, "s1"));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void deleteTopic_removesIt_andDeletingItAgainSucceeds(String target) {
        Topics topics = topics(target);
        topics.createTopic("del-topic", owned("s1"));

        topics.deleteTopic("del-topic");
        topics.deleteTopic("del-topic");

        assertThat(topics.find("del-topic")).isEmpty();
        assertThat(topics.inventory("s1", Set.of())).isEmpty();
    }

    @Test
    void onTheLocalCloud_aCreateMeetingATopicOfAnotherStack_isRefusedAsSnsRefusesIt() {
        Topics topics = topics(ContractTargets.LOCAL);
        topics.createTopic("taken-topic", owned("other"));

        assertThatThrownBy(() -> topics.createTopic("taken-topic", owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("Topic already exists with different tags");
        assertThat(topics.find("taken-topic").orElseThrow().tags()).containsEntry(Stack.OWNER_TAG, "other");
    }

    @Test
    void onMoto_aCreateWhoseResponseIsLost_carriesOnWithTheTopicItMade() {
        URI moto = MotoServer.freshEndpoint();
        try (FaultProxy proxy = FaultProxy.to(moto).start()) {
            proxy.script("sns:CreateTopic", FaultProxy.Fault.LOST_RESPONSE);
            Topics topics = ContractTargets.aws(proxy.endpoint(), "eu-west-1", progress::add)
                    .ports()
                    .get(Topics.class);

            Topics.State created = topics.createTopic("lost-topic", owned("s1"));

            assertThat(proxy.requests("sns:CreateTopic")).isEqualTo(2);
            assertThat(topics.find("lost-topic")).contains(created);
        }
    }
}
