package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A function as the target reports it.
 *
 * @param state Lambda's State (Pending, Active, Inactive, Failed)
 * @param lastUpdateStatus Lambda's LastUpdateStatus (InProgress, Successful, Failed)
 * @param versions its published versions, oldest first, each with the aliases routing to it; empty when they were not
 *     read (a function that does not publish is read without them)
 * @param imageUri the container image it runs (PackageType Image); empty for a zip package
 */
public record FunctionState(
        String name,
        String arn,
        String roleArn,
        FunctionSettings settings,
        String codeSha256,
        long codeSize,
        SortedMap<String, String> tags,
        String state,
        String lastUpdateStatus,
        Optional<List<FunctionVersion>> versions,
        Optional<String> imageUri)
        implements LiveResource {

    public FunctionState {
        requireNonNull(name, "name is null");
        requireNonNull(arn, "arn is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        tags = Collections2.sortedCopy(tags);
        requireNonNull(state, "state is null");
        requireNonNull(lastUpdateStatus, "lastUpdateStatus is null");
        // A record of the local cloud written before versions existed has none.
        versions = versions == null ? Optional.empty() : versions.map(List::copyOf);
        // Nor an image.
        imageUri = imageUri == null ? Optional.empty() : imageUri;
    }

    /** A function of a zip package, with its versions as read. */
    public FunctionState(
            String name,
            String arn,
            String roleArn,
            FunctionSettings settings,
            String codeSha256,
            long codeSize,
            SortedMap<String, String> tags,
            String state,
            String lastUpdateStatus,
            Optional<List<FunctionVersion>> versions) {
        this(
                name,
                arn,
                roleArn,
                settings,
                codeSha256,
                codeSize,
                tags,
                state,
                lastUpdateStatus,
                versions,
                Optional.empty());
    }

    /** A function read without its versions. */
    public FunctionState(
            String name,
            String arn,
            String roleArn,
            FunctionSettings settings,
            String codeSha256,
            long codeSize,
            SortedMap<String, String> tags,
            String state,
            String lastUpdateStatus) {
        this(name, arn, roleArn, settings, codeSha256, codeSize, tags, state, lastUpdateStatus, Optional.empty());
    }

    /** This function as running the image {@code uri} (its CodeSha256 the image's digest, as Lambda reports it). */
    public FunctionState withImage(String uri, String newCodeSha256, FunctionSettings newSettings) {
        return new FunctionState(
                name,
                arn,
                roleArn,
                newSettings,
                newCodeSha256,
                0,
                tags,
                state,
                "Successful",
                versions,
                Optional.of(uri));
    }

    public FunctionState withVersions(List<FunctionVersion> newVersions) {
        return new FunctionState(
                name,
                arn,
                roleArn,
                settings,
                codeSha256,
                codeSize,
                tags,
                state,
                lastUpdateStatus,
                Optional.of(newVersions),
                imageUri);
    }

    /** The function as read without its versions (one that does not publish). */
    public FunctionState withoutVersions() {
        return new FunctionState(
                name,
                arn,
                roleArn,
                settings,
                codeSha256,
                codeSize,
                tags,
                state,
                lastUpdateStatus,
                Optional.empty(),
                imageUri);
    }

    /** After a code update: the new package and architectures, the update done. */
    public FunctionState withCode(String newCodeSha256, long newCodeSize, FunctionSettings newSettings) {
        return new FunctionState(
                name,
                arn,
                roleArn,
                newSettings,
                newCodeSha256,
                newCodeSize,
                tags,
                state,
                "Successful",
                versions,
                imageUri);
    }

    /** After a configuration update: the new role and settings, the update done. */
    public FunctionState withConfiguration(String newRoleArn, FunctionSettings newSettings) {
        return new FunctionState(
                name,
                arn,
                newRoleArn,
                newSettings,
                codeSha256,
                codeSize,
                tags,
                state,
                "Successful",
                versions,
                imageUri);
    }

    public FunctionState withTags(SortedMap<String, String> newTags) {
        return new FunctionState(
                name,
                arn,
                roleArn,
                settings,
                codeSha256,
                codeSize,
                newTags,
                state,
                lastUpdateStatus,
                versions,
                imageUri);
    }
}
