package io.lambdaform.kinds.bucket;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Resource;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The port for S3 buckets: created empty, tagged, deleted only when empty (Lambdaform never deletes data, but the
 * packages it staged). Every mutation returns once S3 has made it. The stack's code bucket ({@link Bucket#codeBucket})
 * is found with the keys of the stack's staged packages ({@link #find(Resource, String)}).
 */
public interface Buckets extends Port<Buckets.State> {
    /**
     * A bucket as the target reports it.
     *
     * @param arn {@code arn:<partition>:s3:::<name>}
     * @param staged the keys under the stack's folder of staged packages ({@link CodeStaging#prefix}), read for the
     *     stack's code bucket only
     */
    record State(String name, String arn, SortedMap<String, String> tags, SortedSet<String> staged)
            implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(arn, "arn is null");
            tags = Collections2.sortedCopy(tags);
            staged = Collections2.sortedCopy(staged == null ? Set.of() : staged);
        }

        /** A bucket read without its staged packages. */
        public State(String name, String arn, SortedMap<String, String> tags) {
            this(name, arn, tags, new TreeSet<>());
        }

        public State withStaged(SortedSet<String> keys) {
            return new State(name, arn, tags, keys);
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

    /** The keys of the objects under {@code prefix} (every page); none when the bucket does not exist. */
    SortedSet<String> objects(String bucket, String prefix);

    /** Deletes the objects; those already gone are done. */
    void deleteObjects(String bucket, Collection<String> keys);

    /**
     * The bucket the manifests declare; the stack's code bucket with the keys of the stack's staged packages in it
     * ({@link CodeStaging#prefix}).
     */
    @Override
    default Optional<State> find(Resource declared, String stackName) {
        Optional<State> found = find(declared.name());
        if (found.isPresent() && declared instanceof Bucket bucket && bucket.codeBucket()) {
            return Optional.of(found.get().withStaged(objects(bucket.name(), CodeStaging.prefix(stackName))));
        }
        return found;
    }
}
