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
 *
 * @param codeBucket whether it is the stack's code bucket ({@code spec.codeBucket} of the Stack), where packages over
 *     Lambda's direct-upload limit are staged: created for the stack when it does not exist, used as it is when it
 *     does, its staged packages that nothing of the stack runs any more deleted
 */
public record Bucket(String name, SortedMap<String, String> tags, boolean codeBucket) implements Resource {
    public Bucket {
        requireNonNull(name, "name is null");
        tags = Collections2.sortedCopy(tags);
    }

    /** A bucket a Bucket document declares. */
    public Bucket(String name, SortedMap<String, String> tags) {
        this(name, tags, false);
    }
}
