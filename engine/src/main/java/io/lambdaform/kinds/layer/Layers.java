package io.lambdaform.kinds.layer;

import static java.util.Objects.requireNonNull;

import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Stack;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The port for Lambda layers. Lambda cannot tag a layer or its versions, and a version cannot change once published:
 * each version Lambdaform publishes records its owner stack and the digest of its contents at the start of its
 * description ({@code lambdaform:stack=orders source=<sha256> shared helpers}); the layer belongs to the stack that
 * published its newest version. A layer's resource name is its own; a version's is {@code layer:N}
 * ({@link Layer#versionName}), which is how the inventory lists the versions a stack published, for pruning. Every
 * mutation returns once Lambda has made it.
 */
public interface Layers extends Port<Layers.State> {
    /** The ARN of a layer version: {@code arn:aws:lambda:<region>:<account>:layer:<name>:<version>}. */
    Pattern VERSION_ARN = Pattern.compile(
            "^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:layer:([a-zA-Z0-9_-]{1,140})):([0-9]{1,9})$");

    /**
     * A published version as the target reports it.
     *
     * @param number Lambda's version number: 1, 2, ...; never reused, even once deleted
     * @param arn the version's ARN, what a function's {@code Layers} names
     * @param description its whole description, owner and contents first when Lambdaform published it
     */
    record Version(
            long number,
            String arn,
            String codeSha256,
            long codeSize,
            String description,
            List<String> compatibleRuntimes,
            List<String> compatibleArchitectures,
            String licenseInfo) {
        private static final Pattern MARK =
                Pattern.compile("^lambdaform:stack=(\\S+) source=([A-Za-z0-9+/=]{1,64})(?: (.*))?$", Pattern.DOTALL);

        public Version {
            requireNonNull(arn, "arn is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(description, "description is null");
            compatibleRuntimes = compatibleRuntimes == null
                    ? List.of()
                    : compatibleRuntimes.stream().sorted().distinct().toList();
            compatibleArchitectures = compatibleArchitectures == null
                    ? List.of()
                    : compatibleArchitectures.stream().sorted().distinct().toList();
            licenseInfo = licenseInfo == null ? "" : licenseInfo;
        }

        /** The description Lambdaform gives a version it publishes for {@code stack}. */
        public static String description(String stack, String sourceSha256, String description) {
            return "lambdaform:stack=" + stack + " source=" + sourceSha256
                    + (description.isEmpty() ? "" : " " + description);
        }

        /** The stack that published it, as its description records; empty for a version another tool published. */
        public Optional<String> owner() {
            Matcher mark = MARK.matcher(description);
            return mark.matches() ? Optional.of(mark.group(1)) : Optional.empty();
        }

        /** The digest of its contents, as its description records; empty when Lambdaform did not publish it. */
        public Optional<String> sourceSha256() {
            Matcher mark = MARK.matcher(description);
            return mark.matches() ? Optional.of(mark.group(2)) : Optional.empty();
        }

        /** Its description as the manifest wrote it: without what Lambdaform records first. */
        public String shownDescription() {
            Matcher mark = MARK.matcher(description);
            return mark.matches() ? (mark.group(3) == null ? "" : mark.group(3)) : description;
        }
    }

    /**
     * A layer as the target reports it: its versions, oldest first (one version, for a version's name).
     *
     * @param arn the layer's ARN, without a version
     */
    record State(String name, String arn, List<Version> versions) implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(arn, "arn is null");
            versions = versions.stream()
                    .sorted(Comparator.comparingLong(Version::number))
                    .toList();
        }

        /** The newest version, which a function that names the layer runs. */
        public Optional<Version> latest() {
            return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        }

        /** The owner tag, as the newest version's description records it: what every kind's ownership reads. */
        @Override
        public SortedMap<String, String> tags() {
            SortedMap<String, String> tags = new TreeMap<>();
            latest().flatMap(Version::owner).ifPresent(owner -> tags.put(Stack.OWNER_TAG, owner));
            return tags;
        }

        /** This layer with the one version of that number, if it has it: a version's live state. */
        public Optional<State> only(long number) {
            return versions.stream()
                    .filter(v -> v.number() == number)
                    .findFirst()
                    .map(v -> new State(name, arn, List.of(v)));
        }
    }

    /**
     * What PublishLayerVersion needs.
     *
     * @param description the whole description, owner and contents first ({@link Version#description})
     * @param staging where the package is staged, over Lambda's direct-upload limit; empty when it goes in the request
     */
    record NewVersion(
            String layer,
            DeploymentPackage code,
            List<String> compatibleRuntimes,
            List<String> compatibleArchitectures,
            String description,
            Optional<String> licenseInfo,
            Optional<CodeStaging> staging) {
        public NewVersion {
            requireNonNull(layer, "layer is null");
            requireNonNull(code, "code is null");
            compatibleRuntimes = List.copyOf(compatibleRuntimes);
            compatibleArchitectures = List.copyOf(compatibleArchitectures);
            requireNonNull(description, "description is null");
            requireNonNull(licenseInfo, "licenseInfo is null");
            requireNonNull(staging, "staging is null");
        }

        /** A version whose package goes in the request. */
        public NewVersion(
                String layer,
                DeploymentPackage code,
                List<String> compatibleRuntimes,
                List<String> compatibleArchitectures,
                String description,
                Optional<String> licenseInfo) {
            this(layer, code, compatibleRuntimes, compatibleArchitectures, description, licenseInfo, Optional.empty());
        }
    }

    /**
     * Publishes a version of the layer (creating the layer with its first) and returns it; a package staged in the
     * stack's code bucket is uploaded there first, unless it is already.
     */
    Version publishLayerVersion(NewVersion version);

    /** Deletes a version; one already gone is done. Functions that use it keep running its copy, as on Lambda. */
    void deleteLayerVersion(String layer, long version);

    /**
     * The version a version ARN names, or empty when the target has no such version (it was deleted, or never
     * existed): what a function that names a layer by ARN is checked against.
     */
    Optional<Version> findVersion(String versionArn);
}
