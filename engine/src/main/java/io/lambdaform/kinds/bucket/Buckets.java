package io.lambdaform.kinds.bucket;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import java.util.SortedMap;

/**
 * The port for S3 buckets: created empty, tagged, deleted only when empty (Lambdaform never deletes data). Every
 * mutation returns once S3 has made it.
 */
public interface Buckets extends Port<Buckets.State> {
    /**
     * A bucket as the target reports it.
     *
     * @param arn {@code arn:<partition>:s3:::<name>}
     */
    record State(String name, String arn, SortedMap<String, String> tags) implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(arn, "arn is null");
            tags = Collections2.sortedCopy(tags);
        }

        /** The ARN of the bucket {@code name} in {@code partition}: buckets have no region or account in theirs. */
        public static String arn(String partition, String name) {
            return "arn:" + partition + ":s3:::" + name;
        }
    }

    /** Creates the bucket in the target's region, with its tags. */
    State createBucket(String name, SortedMap<String, String> tags);

    /**
     * Deletes the bucket; one that is already gone is done. One that holds objects is refused with a user error:
     * Lambdaform does not delete data.
     */
    void deleteBucket(String name);
}
