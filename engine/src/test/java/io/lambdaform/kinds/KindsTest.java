package io.lambdaform.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.role.RoleKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of kinds keeps the order planning and dependencies rely on. */
class KindsTest {
    @Test
    void theKinds_areRegisteredInCreationOrder_withTheirOperationNamesOnce() {
        assertThat(Kinds.ALL).containsExactly(RoleKind.KIND, FunctionKind.KIND);
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
}
