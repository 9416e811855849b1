package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.queue.Queues;
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

/** The {@link Queues} port's contract, on the local cloud and on moto. */
class QueuesContractTest {
    @TempDir
    Path work;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private TestTarget<?> target(String target) {
        return ContractTargets.empty(target, work, "eu-west-1", progress::add);
    }

    private Queues queues(String target) {
        return target(target).ports().get(Queues.class);
    }

    private static TreeMap<String, String> owned(String stack) {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, stack, "team", "core"));
    }

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createQueue_isFound_withItsArnUrlAttributesAndTags(String name) {
        TestTarget<?> target = target(name);
        Queues queues = target.ports().get(Queues.class);
        assertThat(queues.find("contract-queue")).isEmpty();

        Queues.State created = queues.createQueue("contract-queue", 120, 86_400, owned("s1"));

        String account = target.cloud().describe().accountId();
        assertThat(created.arn()).isEqualTo("arn:aws:sqs:eu-west-1:" + account + ":contract-queue");
        assertThat(created.url()).endsWith("/" + account + "/contract-queue");
        assertThat(queues.find("contract-queue")).contains(created);
        assertThat(created.visibilityTimeoutSeconds()).isEqualTo(120);
        assertThat(created.messageRetentionSeconds()).isEqualTo(86_400);
        assertThat(created.tags()).containsEntry(Stack.OWNER_TAG, "s1").containsEntry("team", "core");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aFifoQueue_isCreatedFromItsName(String target) {
        Queues queues = queues(target);

        queues.createQueue("orders.fifo", 30, 345_600, owned("s1"));

        assertThat(queues.find("orders.fifo").orElseThrow().arn()).endsWith(":orders.fifo");
        assertThat(queues.inventory("s1", Set.of())).containsExactly("orders.fifo");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createQueue_ofANameThatExistsWithOtherAttributes_isRefused_andWithTheSameReturnsIt(String target) {
        Queues queues = queues(target);
        Queues.State first = queues.createQueue("dup-queue", 30, 345_600, owned("s1"));

        assertThatThrownBy(() -> queues.createQueue("dup-queue", 60, 345_600, owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("dup-queue");
        assertThat(queues.createQueue("dup-queue", 30, 345_600, owned("s1")).url())
                .as("SQS answers a create of the same queue with it")
                .isEqualTo(first.url());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void inventory_listsOnlyTheStacksOwnQueues_butThoseExcepted(String target) {
        Queues queues = queues(target);
        queues.createQueue("mine-queue", 30, 345_600, owned("mine"));
        queues.createQueue("mine-too-queue", 30, 345_600, owned("mine"));
        queues.createQueue("theirs-queue", 30, 345_600, owned("theirs"));
        queues.createQueue("nobodys-queue", 30, 345_600, new TreeMap<>());

        assertThat(queues.inventory("mine", Set.of())).containsExactly("mine-queue", "mine-too-queue");
        assertThat(queues.inventory("mine", Set.of("mine-queue"))).containsExactly("mine-too-queue");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void updateQueue_andTags_areReadBack(String target) {
        Queues queues = queues(target);
        queues.createQueue("update-queue", 30, 345_600, owned("s1"));

        queues.updateQueue("update-queue", 900, 60);
        queues.tag("update-queue", Map.of("env", "dev"));
        queues.untag("update-queue", List.of("team"));

        Queues.State read = queues.find("update-queue").orElseThrow();
        assertThat(read.visibilityTimeoutSeconds()).isEqualTo(900);
        assertThat(read.messageRetentionSeconds()).isEqualTo(60);
        assertThat(read.tags()).containsExactly(Map.entry("env", "dev"), Map.entry(Stack.OWNER_TAG, "s1"));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void changingAQueueThatDoesNotExist_isRefused(String target) {
        Queues queues = queues(target);

        assertThatThrownBy(() -> queues.updateQueue("no-queue", 60, 60)).isInstanceOf(LambdaformException.class);
        assertThatThrownBy(() -> queues.tag("no-queue", Map.of("a", "b"))).isInstanceOf(LambdaformException.class);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void deleteQueue_removesIt_andDeletingItAgainSucceeds(String target) {
        Queues queues = queues(target);
        queues.createQueue("del-queue", 30, 345_600, owned("s1"));

        queues.deleteQueue("del-queue");
        queues.deleteQueue("del-queue");

        assertThat(queues.find("del-queue")).isEmpty();
        assertThat(queues.inventory("s1", Set.of())).isEmpty();
    }

    @Test
    void onMoto_aCreateWhoseResponseIsLost_carriesOnWithTheQueueItMade() {
        URI moto = MotoServer.freshEndpoint();
        try (FaultProxy proxy = FaultProxy.to(moto).start()) {
            proxy.script("sqs:CreateQueue", FaultProxy.Fault.LOST_RESPONSE);
            Queues queues = ContractTargets.aws(proxy.endpoint(), "eu-west-1", progress::add)
                    .ports()
                    .get(Queues.class);

            Queues.State created = queues.createQueue("lost-queue", 60, 3_600, owned("s1"));

            assertThat(proxy.requests("sqs:CreateQueue")).isEqualTo(2);
            assertThat(queues.find("lost-queue")).contains(created);
        }
    }

    @Test
    void onMoto_aCreateMeetingAQueueOfAnotherStackWithOtherAttributes_failsAsAConflict() {
        URI moto = MotoServer.freshEndpoint();
        Queues queues =
                ContractTargets.aws(moto, "eu-west-1", progress::add).ports().get(Queues.class);
        queues.createQueue("taken-queue", 30, 345_600, owned("other"));

        assertThatThrownBy(() -> queues.createQueue("taken-queue", 60, 345_600, owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("conflict: queue taken-queue already exists and belongs to stack 'other'");
    }
}
