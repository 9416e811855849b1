package io.lambdaform.kinds.bucket;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.LambdaformException;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.Collections2;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.Fingerprints;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.Tagging;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * S3 buckets, a source of triggers: read from {@code kind: Bucket} documents, created with their tags, tagged and
 * untagged like every kind, and deleted when no longer declared, after every operation on the kinds above (a trigger
 * that reads from the bucket goes first). A bucket that holds objects is not deleted: that is the user's call.
 *
 * <p>The stack's code bucket ({@code spec.codeBucket} of the Stack) is a bucket too: created with the stack's tags
 * when it does not exist, used as it is (untagged by the plan, and no conflict) when it exists without the stack's
 * tag; the packages staged there that no function or layer of the stack runs once the plan is applied are deleted.
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

    @Override
    public Link.Shape shape() {
        return Link.Shape.CYLINDER;
    }

    /** {@code arn:aws:s3:::name}; not an object's ARN ({@code name/key}). */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.region().isEmpty()
                        && arn.account().isEmpty()
                        && !arn.resource().contains("/")
                ? arn.named("s3", "")
                : Optional.empty();
    }

    // Reading

    @Override
    public Optional<Bucket> read(ReadContext document) {
        return Optional.of(
                new Bucket(document.name(), Specs.strings(document.spec().path("tags"))));
    }

    /** The stack's code bucket ({@code spec.codeBucket}), unless a Bucket document declares it. */
    @Override
    public List<Bucket> readStack(ReadContext stack) {
        Optional<String> name = Specs.text(stack.spec(), "codeBucket");
        if (name.isEmpty() || stack.hasProblemAt("/spec/codeBucket")) {
            return List.of();
        }
        if (stack.sensitive().appearsIn(name.get())) {
            stack.problemAt(
                    "/spec/codeBucket",
                    "a bucket's name cannot hold a sensitive value: names appear in ARNs, logs and every plan. Take it"
                            + " from a variable that an Environment or --values sets");
            return List.of();
        }
        if (stack.declared(manifestName()).contains(name.get())) {
            stack.problemAt(
                    "/spec/codeBucket",
                    "bucket '" + name.get() + "' is declared as a Bucket too: the code bucket is the stack's own"
                            + " (created when it does not exist, used as it is when it does); name another bucket, or"
                            + " remove its Bucket document");
            return List.of();
        }
        return List.of(new Bucket(name.get(), new TreeMap<>(), true));
    }

    /** The stack's code bucket is used as it is found, whoever owns it. */
    @Override
    public boolean mayManage(Bucket desired, Buckets.State live, String stackName, boolean adopted) {
        return desired.codeBucket() || mayManage(live, stackName, adopted);
    }

    /** Its tags and ARN; the staged packages of the stack's code bucket only when there are some. */
    @Override
    public JsonNode fingerprint(Optional<Bucket> desired, Buckets.State live, Sensitive sensitive) {
        ObjectNode tree = (ObjectNode) Fingerprints.tree(live);
        if (live.staged().isEmpty()) {
            tree.remove("staged");
        }
        return tree;
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
        if (!desired.codeBucket() || ownedBy(live.get(), plan.stack().name())) {
            Tagging.plan(key, live.get().tags(), tags, plan);
        }
        if (desired.codeBucket() && !live.get().staged().isEmpty()) {
            Set<String> kept = new TreeSet<>();
            plan.codeAfterApply()
                    .forEach(c -> kept.add(CodeStaging.key(plan.stack().name(), c)));
            SortedSet<String> unused = new TreeSet<>(live.get().staged());
            unused.removeAll(kept);
            if (!unused.isEmpty()) {
                plan.add(key, new DeleteStagedCode(desired.name(), unused));
            }
        }
    }

    /** Deletes the bucket once every operation on the kinds above it is done (a trigger reading from it, say). */
    @Override
    public void prune(String name, Optional<Buckets.State> live, PlanBuilder plan) {
        plan.add(
                key(name),
                new DeleteBucket(name, CodeStaging.prefix(plan.stack().name())),
                plan.operationsAbove(KIND));
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

    /**
     * Deletes the bucket, once the packages the stack staged there are (a code bucket the stack made is deleted with
     * it); S3 refuses while it holds anything else.
     */
    @Operation.Named(value = "DeleteBucket", effect = Operation.Effect.DELETES)
    record DeleteBucket(String name, String stagedPrefix) implements BucketOperation {
        DeleteBucket {
            requireNonNull(name, "name is null");
            requireNonNull(stagedPrefix, "stagedPrefix is null");
        }

        @Override
        public String summary() {
            return "delete bucket (only if it is empty)";
        }

        @Override
        public void apply(ApplyContext target) {
            Buckets buckets = target.port(Buckets.class);
            SortedSet<String> staged = buckets.objects(name, stagedPrefix);
            if (!staged.isEmpty()) {
                buckets.deleteObjects(name, staged);
                target.progress(key() + ": deleted the stack's " + staged.size() + " staged package(s)");
            }
            buckets.deleteBucket(name);
        }
    }

    /**
     * Deletes the packages staged in the stack's code bucket that no function or layer of the stack runs once the
     * plan is applied (Lambda keeps its own copy of a package it was given), as best it can: a failure is said, and
     * the next plan tries again.
     */
    @Operation.Named(value = "DeleteStagedCode", action = Operation.Action.DELETE)
    record DeleteStagedCode(String name, SortedSet<String> keys) implements BucketOperation {
        DeleteStagedCode {
            requireNonNull(name, "name is null");
            keys = Collections2.sortedCopy(keys);
        }

        @Override
        public String summary() {
            return "delete " + keys.size() + " staged package(s) nothing of the stack runs any more";
        }

        @Override
        public List<FieldChange> changes() {
            return keys.stream().map(k -> FieldChange.remove("staged", k)).toList();
        }

        @Override
        public void apply(ApplyContext target) {
            try {
                target.port(Buckets.class).deleteObjects(name, keys);
            } catch (LambdaformException e) {
                target.progress(key() + ": the staged packages were not all deleted (" + e.getMessage()
                        + "); the next apply tries again");
            }
        }
    }
}
