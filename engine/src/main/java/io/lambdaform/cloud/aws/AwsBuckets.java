package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.bucket.Buckets;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The {@link Buckets} port on S3: CreateBucket (in the run's region) then PutBucketTagging, HeadBucket and
 * GetBucketTagging to find one, GetBucketTagging and PutBucketTagging (or DeleteBucketTagging) to tag and untag,
 * DeleteBucket, which S3 refuses while the bucket holds objects. S3 tags a bucket only after creating it: a create
 * whose response was lost finds the bucket without tags, which is then this run's.
 */
public final class AwsBuckets implements Buckets {
    private final ServiceClients clients;
    private final StackTaggedResources tagged;
    private final AwsCloud cloud;

    @Inject
    public AwsBuckets(ServiceClients clients, StackTaggedResources tagged, AwsCloud cloud) {
        this.clients = requireNonNull(clients, "clients is null");
        this.tagged = requireNonNull(tagged, "tagged is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** HeadBucket, then GetBucketTagging; a bucket of that name in another account or region is an error. */
    @Override
    public Optional<State> find(String name) {
        S3Client s3 = clients.s3();
        String what = "S3 HeadBucket " + name;
        try {
            s3.headBucket(r -> r.bucket(name));
        } catch (NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 301 || e.statusCode() == 403) {
                throw new LambdaformException(
                        LambdaformException.Category.USER,
                        what + ": the bucket exists but "
                                + (e.statusCode() == 301
                                        ? "in another region"
                                        : "may not be"
                                                + " read (it belongs to another account, or the deploying identity lacks"
                                                + " s3:ListBucket)")
                                + " (HTTP " + e.statusCode() + "). Bucket names are global across"
                                + " every AWS account: give the bucket another name",
                        e.requestId(),
                        e);
            }
            throw AwsCloud.wrap(what, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return Optional.of(new State(name, arn(name), tags(name)));
    }

    /** The bucket's tags; none when S3 answers NoSuchTagSet. */
    private SortedMap<String, String> tags(String name) {
        S3Client s3 = clients.s3();
        String what = "S3 GetBucketTagging " + name;
        SortedMap<String, String> tags = new TreeMap<>();
        try {
            s3.getBucketTagging(r -> r.bucket(name)).tagSet().forEach(t -> tags.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (!AwsErrors.hasCode(e, "NoSuchTagSet")) {
                throw AwsCloud.wrap(what, e);
            }
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return tags;
    }

    private String arn(String name) {
        return State.arn(cloud.describe().partition(), name);
    }

    /**
     * On AWS one paged Resource Groups Tagging API call ({@code s3:bucket}, the stack's tag); against a custom endpoint
     * (emulators do not all implement GetResources) ListBuckets plus GetBucketTagging for each bucket not excepted,
     * several at a time.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        TreeSet<String> names = new TreeSet<>();
        if (cloud.config().endpoint().isEmpty()) {
            names.addAll(tagged.of(stackName, "s3:bucket").keySet());
        } else {
            S3Client s3 = clients.s3();
            List<String> all = new ArrayList<>();
            AwsErrors.run(
                    "S3 ListBuckets",
                    () -> s3.listBucketsPaginator(r -> {}).buckets().forEach(b -> {
                        if (!except.contains(b.name())) {
                            all.add(b.name());
                        }
                    }));
            names.addAll(AwsCloud.filterInParallel(
                    all, name -> stackName.equals(tags(name).get(Stack.OWNER_TAG))));
        }
        names.removeAll(except);
        return names;
    }

    @Override
    public State createBucket(String name, SortedMap<String, String> tags) {
        S3Client s3 = clients.s3();
        String what = "S3 CreateBucket " + name;
        String region = cloud.describe().region();
        try {
            s3.createBucket(r -> {
                r.bucket(name);
                // us-east-1 is S3's default location, which it refuses to be named.
                if (!region.equals(Region.US_EAST_1.id())) {
                    r.createBucketConfiguration(c -> c.locationConstraint(region));
                }
            });
        } catch (BucketAlreadyOwnedByYouException e) {
            existingBucket(what, name, tags, e, cloud.retries().attemptsOfLastCall() > 1);
        } catch (BucketAlreadyExistsException e) {
            throw new LambdaformException(
                    LambdaformException.Category.USER,
                    what + ": bucket " + name + " already exists in another AWS account: bucket names are global"
                            + " across every account. Give the bucket another name (with the account id or the stack's"
                            + " name in it, say)",
                    e.requestId(),
                    e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        putTags(name, tags);
        return new State(name, arn(name), tags);
    }

    /**
     * A bucket of ours that exists already: S3 tags it only after creating it, so one without tags that an earlier
     * attempt of this very call may have made is this run's; else the rule of every kind ({@link
     * AwsCloud#alreadyExists}).
     */
    private void existingBucket(
            String what, String name, SortedMap<String, String> tags, S3Exception e, boolean retried) {
        SortedMap<String, String> live = tags(name);
        if (retried && live.isEmpty()) {
            cloud.progress()
                    .onProgress(what + ": it already exists, without tags (the response to an earlier attempt was"
                            + " lost); continuing");
            return;
        }
        cloud.alreadyExists(what, "bucket", name, tags, live, List.of(), retried, e, name);
    }

    @Override
    public void tag(String name, Map<String, String> tags) {
        SortedMap<String, String> all = tags(name);
        all.putAll(tags);
        putTags(name, all);
    }

    /** S3 replaces a bucket's tag set as a whole: the tags kept are read, then written back. */
    @Override
    public void untag(String name, Collection<String> tagKeys) {
        SortedMap<String, String> kept = tags(name);
        kept.keySet().removeAll(tagKeys);
        putTags(name, kept);
    }

    private void putTags(String name, Map<String, String> tags) {
        S3Client s3 = clients.s3();
        if (tags.isEmpty()) {
            AwsErrors.run("S3 DeleteBucketTagging " + name, () -> s3.deleteBucketTagging(r -> r.bucket(name)));
            return;
        }
        List<Tag> set = tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
        AwsErrors.run(
                "S3 PutBucketTagging " + name,
                () -> s3.putBucketTagging(r -> r.bucket(name).tagging(t -> t.tagSet(set))));
    }

    /** ListObjectsV2 of the prefix, every page; none when the bucket does not exist. */
    @Override
    public SortedSet<String> objects(String bucket, String prefix) {
        S3Client s3 = clients.s3();
        SortedSet<String> keys = new TreeSet<>();
        try {
            s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                    .contents()
                    .forEach(o -> keys.add(o.key()));
        } catch (NoSuchBucketException e) {
            return new TreeSet<>();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("S3 ListObjectsV2 " + bucket + "/" + prefix, e);
        }
        return keys;
    }

    /** DeleteObject of each key (S3 answers a key already gone as deleted). */
    @Override
    public void deleteObjects(String bucket, Collection<String> keys) {
        S3Client s3 = clients.s3();
        for (String key : keys) {
            AwsErrors.run(
                    "S3 DeleteObject " + bucket + "/" + key,
                    () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
        }
    }

    @Override
    public void deleteBucket(String name) {
        S3Client s3 = clients.s3();
        String what = "S3 DeleteBucket " + name;
        try {
            s3.deleteBucket(r -> r.bucket(name));
        } catch (NoSuchBucketException e) {
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (S3Exception e) {
            if (AwsErrors.hasCode(e, "BucketNotEmpty")) {
                throw new LambdaformException(
                        LambdaformException.Category.USER,
                        what + ": bucket " + name + " holds objects, and Lambdaform does not delete data. Empty it"
                                + " first (aws s3 rm s3://" + name + " --recursive, and its object versions if"
                                + " versioning is on), or keep it: release it from the stack (spec.release)",
                        e.requestId(),
                        e);
            }
            throw AwsCloud.wrap(what, e);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }
}
