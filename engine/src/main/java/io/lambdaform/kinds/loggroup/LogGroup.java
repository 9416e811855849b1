package io.lambdaform.kinds.loggroup;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.List;
import java.util.SortedMap;

/**
 * A CloudWatch Logs log group as the manifests declare it, so that a function's logs expire: Lambda creates
 * {@code /aws/lambda/<function>} at the first invocation with no retention when nobody made it first.
 *
 * <pre>{@code
 * kind: LogGroup
 * name: /aws/lambda/orders-dev-create
 * spec:
 *   retentionInDays: 14     # absent: kept forever
 *   tags: {team: orders}
 * }</pre>
 *
 * @param retentionInDays one of {@link #RETENTION_DAYS}, or {@link #NEVER_EXPIRE}
 */
public record LogGroup(String name, int retentionInDays, SortedMap<String, String> tags) implements Resource {
    /** No retention policy: CloudWatch keeps the events forever. */
    public static final int NEVER_EXPIRE = 0;

    /** The retentions CloudWatch Logs accepts (PutRetentionPolicy), in days. */
    public static final List<Integer> RETENTION_DAYS = List.of(
            1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    public LogGroup {
        requireNonNull(name, "name is null");
        if (retentionInDays != NEVER_EXPIRE && !RETENTION_DAYS.contains(retentionInDays)) {
            throw new IllegalArgumentException("not a retention CloudWatch Logs accepts: " + retentionInDays);
        }
        tags = Collections2.sortedCopy(tags);
    }

    /** The retention as plans show it: {@code 14 days}, or {@code never expire}. */
    public static String shown(int retentionInDays) {
        return retentionInDays == NEVER_EXPIRE ? "never expire" : retentionInDays + " days";
    }
}
