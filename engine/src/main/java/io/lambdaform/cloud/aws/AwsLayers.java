package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.lambdaform.LambdaformException;
import io.lambdaform.Memo;
import io.lambdaform.kinds.layer.Layer;
import io.lambdaform.kinds.layer.Layers;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.LayersListItem;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The {@link Layers} port on Lambda: PublishLayerVersion, DeleteLayerVersion, a layer read with ListLayerVersions
 * (every page, once per run and layer, shared by the layer and its versions), the stack's layers found with ListLayers
 * (each layer's newest version names its owner), a version named by ARN read with GetLayerVersion (by the layer's ARN
 * and the number, which Lambda and emulators alike answer). Lambda cannot tag layers: the owner and the digest of
 * the contents are written at the start of each version's description ({@link Layers.Version#description}).
 */
@Singleton
public final class AwsLayers implements Layers {
    private final LambdaClient lambda;
    private final AwsCloud cloud;
    private final AwsCodeStaging staging;
    /** Each layer's versions, as listed once per run (forgotten when this run publishes or deletes one). */
    private final Memo<String, List<Version>> versions = Memo.keepingFailures();
    /** The versions named by ARN, read once per run. */
    private final Memo<String, Optional<Version>> byArn = Memo.keepingFailures();

    @Inject
    public AwsLayers(LambdaClient lambda, AwsCloud cloud, AwsCodeStaging staging) {
        this.lambda = requireNonNull(lambda, "lambda is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.staging = requireNonNull(staging, "staging is null");
    }

    /**
     * A layer, its newest version read with GetLayerVersion besides (ListLayerVersions tells no CodeSha256, by which
     * the stack's code bucket keeps a staged package); a version of it, by {@code layer:N}, as listed.
     */
    @Override
    public Optional<State> find(String name) {
        String layer = Layer.layerOf(name);
        List<Version> listed = new ArrayList<>(versions.get(layer, this::listVersions));
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> version = Layer.versionOf(name);
        if (version.isEmpty()) {
            Version newest = listed.stream()
                    .max(Comparator.comparingLong(Version::number))
                    .orElseThrow();
            findVersion(newest.arn()).ifPresent(v -> listed.set(listed.indexOf(newest), v));
        }
        State state = new State(layer, layerArn(listed.get(0).arn()), listed);
        return version.isPresent() ? state.only(version.get()) : Optional.of(state);
    }

    private List<Version> listVersions(String layer) {
        List<Version> listed = new ArrayList<>();
        try {
            lambda.listLayerVersionsPaginator(r -> r.layerName(layer))
                    .layerVersions()
                    .forEach(v -> listed.add(version(v)));
        } catch (ResourceNotFoundException e) {
            return List.of();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda ListLayerVersions " + layer, e);
        }
        return listed;
    }

    /** A layer's ARN: its version's without the number. */
    private static String layerArn(String versionArn) {
        return versionArn.substring(0, versionArn.lastIndexOf(':'));
    }

    private static Version version(LayerVersionsListItem v) {
        return new Version(
                v.version() == null ? 0 : v.version(),
                AwsCloud.nullToEmpty(v.layerVersionArn()),
                "",
                0,
                AwsCloud.nullToEmpty(v.description()),
                v.compatibleRuntimesAsStrings(),
                v.compatibleArchitecturesAsStrings(),
                v.licenseInfo());
    }

    /**
     * ListLayers (every page): each layer's newest version tells its owner; the versions the stack published of
     * those layers and of the declared ones ({@code except}), from their ListLayerVersions.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        List<LayersListItem> all = new ArrayList<>();
        AwsErrors.run(
                "Lambda ListLayers",
                () -> lambda.listLayersPaginator(r -> {}).layers().forEach(all::add));
        SortedSet<String> names = new TreeSet<>();
        for (LayersListItem layer : all) {
            String name = layer.layerName();
            String latest = layer.latestMatchingVersion() == null
                    ? ""
                    : AwsCloud.nullToEmpty(layer.latestMatchingVersion().description());
            boolean ours = new Version(0, "", "", 0, latest, List.of(), List.of(), "")
                    .owner()
                    .filter(stackName::equals)
                    .isPresent();
            if (name == null || !(ours || except.contains(name))) {
                continue;
            }
            versions.get(name, this::listVersions).stream()
                    .filter(v -> v.owner().filter(stackName::equals).isPresent())
                    .forEach(v -> names.add(Layer.versionName(name, v.number())));
        }
        return names;
    }

    /** Lambda cannot tag a layer: its owner is recorded in each version it publishes. */
    @Override
    public void tag(String name, Map<String, String> tags) {}

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        if (tagKeys.contains(Stack.OWNER_TAG)) {
            throw LambdaformException.user("layer " + Layer.layerOf(name) + " cannot be released: its versions record"
                    + " their owner in their descriptions, which Lambda never changes. Keep it declared, or let the"
                    + " stack delete it (remove it from spec.release and from the manifests)");
        }
    }

    /**
     * PublishLayerVersion with the zip in the request. A publish whose response was lost and that the SDK retried
     * makes two versions of the same contents: the older is pruned by the next apply.
     */
    @Override
    public Version publishLayerVersion(NewVersion version) {
        String what = "Lambda PublishLayerVersion " + version.layer();
        versions.forget(version.layer());
        version.staging().ifPresent(s -> staging.upload(s, version.code()));
        PublishLayerVersionResponse published = AwsErrors.call(
                what,
                () -> lambda.publishLayerVersion(r -> r.layerName(version.layer())
                        .content(c -> version.staging()
                                .ifPresentOrElse(
                                        s -> c.s3Bucket(s.bucket()).s3Key(s.key()),
                                        () -> c.zipFile(SdkBytes.fromByteArray(
                                                version.code().zip()))))
                        .compatibleRuntimesWithStrings(version.compatibleRuntimes())
                        .compatibleArchitecturesWithStrings(version.compatibleArchitectures())
                        .description(version.description())
                        .licenseInfo(version.licenseInfo().orElse(null))));
        versions.forget(version.layer());
        return new Version(
                published.version() == null ? 0 : published.version(),
                AwsCloud.nullToEmpty(published.layerVersionArn()),
                published.content() == null
                        ? ""
                        : AwsCloud.nullToEmpty(published.content().codeSha256()),
                published.content() == null || published.content().codeSize() == null
                        ? 0
                        : published.content().codeSize(),
                AwsCloud.nullToEmpty(published.description()),
                published.compatibleRuntimesAsStrings(),
                published.compatibleArchitecturesAsStrings(),
                published.licenseInfo());
    }

    /** DeleteLayerVersion; a version already gone is done (Lambda answers so, and emulators may say not found). */
    @Override
    public void deleteLayerVersion(String layer, long version) {
        String what = "Lambda DeleteLayerVersion " + Layer.versionName(layer, version);
        find(Layer.versionName(layer, version)).flatMap(State::latest).ifPresent(v -> byArn.forget(v.arn()));
        versions.forget(layer);
        try {
            lambda.deleteLayerVersion(r -> r.layerName(layer).versionNumber(version));
        } catch (ResourceNotFoundException e) {
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        } finally {
            versions.forget(layer);
        }
    }

    /** GetLayerVersion of the layer's ARN and the number; empty when Lambda has no such version. */
    @Override
    public Optional<Version> findVersion(String versionArn) {
        return byArn.get(versionArn, this::getVersion);
    }

    private Optional<Version> getVersion(String versionArn) {
        Matcher arn = VERSION_ARN.matcher(versionArn);
        if (!arn.matches()) {
            return Optional.empty();
        }
        GetLayerVersionResponse v;
        try {
            v = lambda.getLayerVersion(r -> r.layerName(arn.group(1)).versionNumber(Long.parseLong(arn.group(3))));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetLayerVersion " + versionArn, e);
        }
        if (v.layerVersionArn() == null) {
            return Optional.empty();
        }
        return Optional.of(new Version(
                v.version() == null ? 0 : v.version(),
                v.layerVersionArn(),
                v.content() == null ? "" : AwsCloud.nullToEmpty(v.content().codeSha256()),
                v.content() == null || v.content().codeSize() == null
                        ? 0
                        : v.content().codeSize(),
                AwsCloud.nullToEmpty(v.description()),
                v.compatibleRuntimesAsStrings(),
                v.compatibleArchitecturesAsStrings(),
                v.licenseInfo()));
    }
}
