package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.bucket.Buckets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@link Buckets} port in the local cloud: buckets kept in the state's "buckets" section, holding no objects. It
 * refuses what S3 refuses: a second bucket of one name, tagging a bucket that does not exist.
 */
public final class LocalBuckets implements Buckets {
    static final LocalState.Section<State> SECTION = new LocalState.Section<>("buckets", "bucket", State.class);

    private final LocalCloud cloud;
    private final LocalRecords<State> records;

    @Inject
    public LocalBuckets(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.records = new LocalRecords<>(
                cloud,
                SECTION,
                name -> LocalCloud.refused("NoSuchBucket", "The specified bucket does not exist: " + name));
    }

    @Override
    public Optional<State> find(String name) {
        return records.find(name);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return records.inventory(stackName, except);
    }

    @Override
    public State createBucket(String name, SortedMap<String, String> tags) {
        State created = new State(name, State.arn(cloud.describe().partition(), name), tags);
        cloud.store().update(state -> {
            if (state.get(SECTION, name).isPresent()) {
                throw LocalCloud.refused(
                        "BucketAlreadyOwnedByYou",
                        "Your previous request to create the named bucket succeeded and you already own it: " + name);
            }
            state.put(SECTION, name, created);
            return state;
        });
        return created;
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        records.change(name, bucket -> new State(bucket.name(), bucket.arn(), Tags.merge(bucket.tags(), tags)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        records.change(name, bucket -> new State(bucket.name(), bucket.arn(), Tags.without(bucket.tags(), tagKeys)));
    }

    /** A local bucket holds no objects: the local cloud keeps packages itself, whatever their size. */
    @Override
    public SortedSet<String> objects(String bucket, String prefix) {
        return new TreeSet<>();
    }

    @Override
    public void deleteObjects(String bucket, Collection<String> keys) {}

    /** A local bucket holds no objects, so S3's refusal of a non-empty bucket never applies; one gone is done. */
    @Override
    public void deleteBucket(String name) {
        records.delete(name);
    }
}
