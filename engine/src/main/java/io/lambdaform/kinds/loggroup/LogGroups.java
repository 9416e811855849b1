package io.lambdaform.kinds.loggroup;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import java.util.SortedMap;

/**
 * The port for CloudWatch Logs log groups: created with their tags, their retention set or removed, deleted with the
 * events they hold. Every mutation returns once CloudWatch Logs has accepted it.
 */
public interface LogGroups extends Port<LogGroups.State> {
    /**
     * A log group as the target reports it.
     *
     * @param arn {@code arn:<partition>:logs:<region>:<account>:log-group:<name>}
     * @param retentionInDays its retention policy, or {@link LogGroup#NEVER_EXPIRE} when it has none
     */
    record State(String name, String arn, int retentionInDays, SortedMap<String, String> tags) implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(arn, "arn is null");
            tags = Collections2.sortedCopy(tags);
        }
    }

    /** Creates the log group with its tags and no retention policy. */
    State createLogGroup(String name, SortedMap<String, String> tags);

    /**
     * Sets the retention (PutRetentionPolicy), or removes it when {@link LogGroup#NEVER_EXPIRE}
     * (DeleteRetentionPolicy).
     */
    void setRetention(String name, int retentionInDays);

    /** Deletes the log group and the events it holds; one that is already gone is done. */
    void deleteLogGroup(String name);
}
