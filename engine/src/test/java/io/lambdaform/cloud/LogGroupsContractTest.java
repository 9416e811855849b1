package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.loggroup.LogGroup;
import io.lambdaform.kinds.loggroup.LogGroups;
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

/** The {@link LogGroups} port's contract, on the local cloud and on moto. */
class LogGroupsContractTest {
    @TempDir
    Path work;

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private TestTarget<?> target(String target) {
        return ContractTargets.empty(target, work, "eu-west-1", progress::add);
    }

    private LogGroups groups(String target) {
        return target(target).ports().get(LogGroups.class);
    }

    private static TreeMap<String, String> owned(String stack) {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, stack, "team", "core"));
    }

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createLogGroup_isFound_withItsArnTagsAndNoRetention(String name) {
        TestTarget<?> target = target(name);
        LogGroups groups = target.ports().get(LogGroups.class);
        assertThat(groups.find("/aws/lambda/fn")).isEmpty();

        LogGroups.State created = groups.createLogGroup("/aws/lambda/fn", owned("s1"));

        String account = target.cloud().describe().accountId();
        assertThat(created.arn()).isEqualTo("arn:aws:logs:eu-west-1:" + account + ":log-group:/aws/lambda/fn");
        assertThat(groups.find("/aws/lambda/fn")).contains(created);
        assertThat(created.retentionInDays()).isEqualTo(LogGroup.NEVER_EXPIRE);
        assertThat(created.tags()).containsEntry(Stack.OWNER_TAG, "s1").containsEntry("team", "core");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void find_matchesTheExactName_notAGroupItPrefixes(String target) {
        LogGroups groups = groups(target);
        groups.createLogGroup("/aws/lambda/fn-2", owned("s1"));

        assertThat(groups.find("/aws/lambda/fn")).isEmpty();
        assertThat(groups.find("/aws/lambda/fn-2")).isPresent();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void createLogGroup_ofAGroupThatExists_isRefused(String target) {
        LogGroups groups = groups(target);
        groups.createLogGroup("/dup", owned("other"));

        assertThatThrownBy(() -> groups.createLogGroup("/dup", owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("/dup");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void retention_isSetAndRemoved_andTagsAreReadBack(String target) {
        LogGroups groups = groups(target);
        groups.createLogGroup("/retained", owned("s1"));

        groups.setRetention("/retained", 14);
        assertThat(groups.find("/retained").orElseThrow().retentionInDays()).isEqualTo(14);
        groups.setRetention("/retained", LogGroup.NEVER_EXPIRE);
        groups.tag("/retained", Map.of("env", "dev"));
        groups.untag("/retained", List.of("team"));

        LogGroups.State read = groups.find("/retained").orElseThrow();
        assertThat(read.retentionInDays()).isEqualTo(LogGroup.NEVER_EXPIRE);
        assertThat(read.tags()).containsExactly(Map.entry("env", "dev"), Map.entry(Stack.OWNER_TAG, "s1"));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void inventory_listsOnlyTheStacksOwnGroups_butThoseExcepted(String target) {
        LogGroups groups = groups(target);
        groups.createLogGroup("/mine/a", owned("mine"));
        groups.createLogGroup("/mine/b", owned("mine"));
        groups.createLogGroup("/theirs", owned("theirs"));
        groups.createLogGroup("/nobodys", new TreeMap<>());

        assertThat(groups.inventory("mine", Set.of())).containsExactly("/mine/a", "/mine/b");
        assertThat(groups.inventory("mine", Set.of("/mine/a"))).containsExactly("/mine/b");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void changingAGroupThatDoesNotExist_isRefused(String target) {
        LogGroups groups = groups(target);

        assertThatThrownBy(() -> groups.setRetention("/none", 7)).isInstanceOf(LambdaformException.class);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void deleteLogGroup_removesIt_andDeletingItAgainSucceeds(String target) {
        LogGroups groups = groups(target);
        groups.createLogGroup("/deleted", owned("s1"));

        groups.deleteLogGroup("/deleted");
        groups.deleteLogGroup("/deleted");

        assertThat(groups.find("/deleted")).isEmpty();
        assertThat(groups.inventory("s1", Set.of())).isEmpty();
    }

    @Test
    void onMoto_aCreateWhoseResponseIsLost_carriesOnWithTheGroupItMade() {
        URI moto = MotoServer.freshEndpoint();
        try (FaultProxy proxy = FaultProxy.to(moto).start()) {
            proxy.script("logs:CreateLogGroup", FaultProxy.Fault.LOST_RESPONSE);
            LogGroups groups = ContractTargets.aws(proxy.endpoint(), "eu-west-1", progress::add)
                    .ports()
                    .get(LogGroups.class);

            LogGroups.State created = groups.createLogGroup("/lost", owned("s1"));

            assertThat(proxy.requests("logs:CreateLogGroup")).isEqualTo(2);
            assertThat(groups.find("/lost")).contains(created);
        }
    }

    @Test
    void onMoto_aCreateMeetingAGroupWithoutTheStacksTag_failsAsAConflict() {
        LogGroups groups = ContractTargets.aws(MotoServer.freshEndpoint(), "eu-west-1", progress::add)
                .ports()
                .get(LogGroups.class);
        groups.createLogGroup("/taken", new TreeMap<>());

        assertThatThrownBy(() -> groups.createLogGroup("/taken", owned("s1")))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("conflict: log group /taken already exists and has no lambdaform:stack tag");
    }

    @Test
    void onMoto_theInventoryIsAskedForOnlyWhenTheStackDeclaresAGroup_andLocallyAlways() {
        assertThat(ContractTargets.aws(MotoServer.freshEndpoint(), "eu-west-1", progress::add)
                        .ports()
                        .get(LogGroups.class)
                        .inventoriesWhenNoneDeclared())
                .isFalse();
        assertThat(groups(ContractTargets.LOCAL).inventoriesWhenNoneDeclared()).isTrue();
    }
}
