package io.lambdaform.kinds.bucket;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.SortedMap;

/**
 * An S3 bucket as the manifests declare it, so that a trigger can point at a bucket the stack makes:
 *
 * <pre>{@code
 * kind: Bucket
 * name: orders-uploads-123456789012
 * spec:
 *   tags: {team: orders}
 * }</pre>
 *
 * Its name is global across every AWS account, so it usually carries something of the account or the stack.
 */
public record Bucket(String name, SortedMap<String, String> tags) implements Resource {
    public Bucket {
        requireNonNull(name, "name is null");
        tags = Collections2.sortedCopy(tags);
    }
}
