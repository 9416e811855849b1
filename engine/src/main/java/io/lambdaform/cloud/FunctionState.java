package io.lambdaform.cloud;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.model.FunctionSettings;
import java.util.SortedMap;

/**
 * A function as the target reports it.
 *
 * @param state Lambda's State (Pending, Active, Inactive, Failed)
 * @param lastUpdateStatus Lambda's LastUpdateStatus (InProgress, Successful, Failed)
 */
public record FunctionState(
        String name,
        String arn,
        String roleArn,
        FunctionSettings settings,
        String codeSha256,
        long codeSize,
        SortedMap<String, String> tags,
        String state,
        String lastUpdateStatus) {

    public FunctionState {
        requireNonNull(name, "name is null");
        requireNonNull(arn, "arn is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        tags = Collections2.sortedCopy(tags);
        requireNonNull(state, "state is null");
        requireNonNull(lastUpdateStatus, "lastUpdateStatus is null");
    }
}
