package io.lambdaform.cloud.local;

import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.RoleState;
import java.util.Map;
import java.util.TreeMap;

/** Everything the local cloud knows, as stored in {@code state.json}. */
record LocalState(int version, Map<String, RoleState> roles, Map<String, FunctionState> functions) {
    static final int CURRENT_VERSION = 1;

    LocalState {
        roles = new TreeMap<>(roles == null ? Map.of() : roles);
        functions = new TreeMap<>(functions == null ? Map.of() : functions);
    }

    static LocalState empty() {
        return new LocalState(CURRENT_VERSION, Map.of(), Map.of());
    }
}
