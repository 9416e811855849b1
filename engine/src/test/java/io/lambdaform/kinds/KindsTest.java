package io.lambdaform.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.LinkedKeyBinding;
import com.google.inject.spi.Message;
import io.lambdaform.cloud.aws.AwsCloudModule;
import io.lambdaform.cloud.local.LocalCloudModule;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.kinds.bucket.BucketKind;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.layer.LayerKind;
import io.lambdaform.kinds.loggroup.LogGroupKind;
import io.lambdaform.kinds.queue.QueueKind;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.role.RoleOperations;
import io.lambdaform.kinds.topic.TopicKind;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one list of kinds keeps the order planning and dependencies rely on. */
class KindsTest {
    @Test
    void theKinds_areRegisteredInCreationOrder_withTheirOperationNamesOnce() {
        assertThat(Kinds.ALL)
                .containsExactly(
                        RoleKind.KIND,
                        BucketKind.KIND,
                        QueueKind.KIND,
                        TopicKind.KIND,
                        LayerKind.KIND,
                        LogGroupKind.KIND,
                        FunctionKind.KIND,
                        AliasKind.KIND,
                        TriggerKind.KIND);
        assertThat(Kinds.operationTypes().stream().map(t -> t.name()))
                .doesNotHaveDuplicates()
                .contains("CreateRole", "TagResource", "CreateFunction", "DeleteFunction");
    }

    @Test
    void aKindRegisteredBeforeOneItDependsOn_isRefused() {
        assertThatThrownBy(() -> Kinds.inRankOrder(List.of(FunctionKind.KIND, RoleKind.KIND)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ascending rank: role (rank 0) comes after function (rank 1)");
        assertThatThrownBy(() -> Kinds.inRankOrder(List.of(RoleKind.KIND, RoleKind.KIND)))
                .hasMessageContaining("two kinds are registered as role");
    }

    @Test
    void everyTarget_bindsEveryKindsPort_toTheAdapterNamedAfterIt() {
        for (Module adapters : List.of(AwsCloudModule.adapters(), LocalCloudModule.adapters())) {
            Map<Key<?>, Class<?>> bound = new HashMap<>();
            for (Element element : Elements.getElements(adapters)) {
                if (element instanceof LinkedKeyBinding<?> binding) {
                    bound.put(
                            binding.getKey(),
                            binding.getLinkedKey().getTypeLiteral().getRawType());
                }
                assertThat(element).as("no error binding %s", adapters).isNotInstanceOf(Message.class);
            }
            for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                assertThat(bound.get(Key.get(kind.port())))
                        .as("%s adapter of %s", adapters, kind)
                        .isNotNull()
                        .matches(kind.port()::isAssignableFrom);
            }
        }
        assertThat(Elements.getElements(AwsCloudModule.adapters()).toString()).contains("AwsFunctions");
    }

    @Test
    void aTargetWithoutAnAdapterForAKind_failsAtStartUp_namingTheClassItLookedFor() {
        Module missing = Kinds.adapters(KindsTestModule.class, "Nowhere");

        assertThat(Elements.getElements(missing))
                .filteredOn(e -> e instanceof Message)
                .map(e -> ((Message) e).getMessage())
                .contains("no adapter of the port Roles for KindsTestModule: expected a class"
                        + " io.lambdaform.kinds.NowhereRoles implementing it");
    }

    /** A target module in this package, which holds no adapter. */
    private static final class KindsTestModule extends AbstractModule {}

    @Test
    void operationNames_areDeclaredOnce_onTheirRecords() {
        assertThat(RoleKind.KIND.operationTypes())
                .extracting(Operation.Type::name)
                .startsWith("CreateRole")
                .endsWith("TagResource", "UntagResource", "DeleteRole");
        assertThat(Operation.Type.of(RoleOperations.AttachRolePolicy.class).effect())
                .isEqualTo(Operation.Effect.CHANGES);
        assertThat(FunctionKind.KIND.label()).isEqualTo("function");
    }
}
