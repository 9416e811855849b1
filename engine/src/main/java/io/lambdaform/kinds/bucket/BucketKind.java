package io.lambdaform.kinds.bucket;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.Tagging;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * S3 buckets, a source of triggers: read from {@code kind: Bucket} documents, created with their tags, tagged and
 * untagged like every kind, and deleted when no longer declared, after every operation on the kinds above (a trigger
 * that reads from the bucket goes first). A bucket that holds objects is not deleted: that is the user's call.
 */
public final class BucketKind extends AbstractResourceKind<Bucket, Buckets.State, Buckets> {
    public static final BucketKind KIND = new BucketKind();

    private BucketKind() {
        super("Bucket", 0, Bucket.class, Buckets.class, BucketOperation.class);
    }

    /** The key of the bucket with that name. */
    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    // Reading

    @Override
    public Optional<Bucket> read(ReadContext document) {
        return Optional.of(
                new Bucket(document.name(), Specs.strings(document.spec().path("tags"))));
    }

    // Planning

    @Override
    public void plan(Bucket desired, Optional<Buckets.State> live, PlanBuilder plan) {
        ResourceKey key = key(desired.name());
        SortedMap<String, String> tags = new TreeMap<>(plan.stack().resourceTags(desired.tags()));
        plan.markSensitive(key, tags, List.of());
        if (live.isEmpty()) {
            List<FieldChange> changes = new ArrayList<>();
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            plan.add(key, new CreateBucket(desired.name(), tags, changes));
            return;
        }
        Tagging.plan(key, live.get().tags(), tags, plan);
    }

    /** Deletes the bucket once every operation on the kinds above it is done (a trigger reading from it, say). */
    @Override
    public void prune(String name, Optional<Buckets.State> live, PlanBuilder plan) {
        plan.add(key(name), new DeleteBucket(name), plan.operationsAbove(KIND));
    }

    // Operations

    /** An operation on one bucket: its key is the bucket's name, and it runs through {@link Buckets}. */
    sealed interface BucketOperation extends Operation {
        String name();

        @Override
        default ResourceKey key() {
            return BucketKind.key(name());
        }
    }

    @Operation.Named(value = "CreateBucket", effect = Operation.Effect.CREATES)
    record CreateBucket(String name, SortedMap<String, String> tags, List<FieldChange> changes)
            implements BucketOperation {
        CreateBucket {
            requireNonNull(name, "name is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "create bucket";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Buckets.class).createBucket(name, tags);
        }
    }

    @Operation.Named(value = "DeleteBucket", effect = Operation.Effect.DELETES)
    record DeleteBucket(String name) implements BucketOperation {
        DeleteBucket {
            requireNonNull(name, "name is null");
        }

        @Override
        public String summary() {
            return "delete bucket (only if it is empty)";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Buckets.class).deleteBucket(name);
        }
    }
}
