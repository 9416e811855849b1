package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.layer.Layer;
import io.lambdaform.kinds.layer.Layers;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * The {@link Layers} port in the local cloud: layers kept in the state's "layers" section with their versions, each
 * version's package stored in the code folder as a function's is, versions numbered as Lambda numbers them (never a
 * number twice, even once deleted). Functions that name a version get it mounted under their {@code opt} folder when
 * invoked ({@link LayerMount}).
 */
public final class LocalLayers implements Layers {
    static final LocalState.Section<State> SECTION = new LocalState.Section<>("layers", "layer", State.class);

    /** The highest version number each layer ever had. */
    static final LocalState.Section<Long> VERSION_NUMBERS =
            new LocalState.Section<>("layer-version-numbers", "layer version number", Long.class);

    private static final SortedMap<String, JsonNode> EMPTY = new TreeMap<>();

    private final LocalCloud cloud;

    @Inject
    public LocalLayers(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** A layer by its name, or one of its versions by {@code layer:N}; a layer without versions is none. */
    @Override
    public Optional<State> find(String name) {
        Optional<State> layer = cloud.store().read().get(SECTION, Layer.layerOf(name));
        Optional<Long> version = Layer.versionOf(name);
        if (version.isPresent()) {
            return layer.flatMap(l -> l.only(version.get()));
        }
        return layer.filter(l -> !l.versions().isEmpty());
    }

    /**
     * The versions the stack published ({@code layer:N}) of the layers whose newest version is the stack's, and of
     * the layers the manifests declare ({@code except}), as on AWS.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        SortedSet<String> names = new TreeSet<>();
        cloud.store().read().all(SECTION).forEach((name, layer) -> {
            if (except.contains(name) || stackName.equals(layer.tags().get(Stack.OWNER_TAG))) {
                layer.versions().stream()
                        .filter(v -> v.owner().filter(stackName::equals).isPresent())
                        .forEach(v -> names.add(Layer.versionName(name, v.number())));
            }
        });
        return names;
    }

    /** A layer carries no tags: its owner is recorded in each version it publishes, which nothing else changes. */
    @Override
    public void tag(String name, Map<String, String> tags) {}

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        if (tagKeys.contains(Stack.OWNER_TAG)) {
            throw notReleasable(name);
        }
    }

    static LambdaformException notReleasable(String name) {
        return LambdaformException.user("layer " + Layer.layerOf(name) + " cannot be released: its versions record"
                + " their owner in their descriptions, which Lambda never changes. Keep it declared, or let the stack"
                + " delete it (remove it from spec.release and from the manifests)");
    }

    @Override
    public Version publishLayerVersion(NewVersion version) {
        String hex = LocalCloud.hex(version.code().codeSha256());
        cloud.store().storeCode(hex, version.code().zip());
        String arn = cloud.describe().arn("lambda", "layer:" + version.layer());
        Version[] published = new Version[1];
        cloud.store().update(state -> {
            Optional<State> live = state.get(SECTION, version.layer());
            long number = Math.max(
                            state.get(VERSION_NUMBERS, version.layer()).orElse(0L),
                            live.flatMap(State::latest).map(Version::number).orElse(0L))
                    + 1;
            published[0] = new Version(
                    number,
                    arn + ":" + number,
                    version.code().codeSha256(),
                    version.code().size(),
                    version.description(),
                    version.compatibleRuntimes(),
                    version.compatibleArchitectures(),
                    version.licenseInfo().orElse(""));
            List<Version> versions = new ArrayList<>(live.map(State::versions).orElse(List.of()));
            versions.add(published[0]);
            // Stored again under the lock, in case a deletion in another process removed it meanwhile.
            cloud.store().storeCode(hex, version.code().zip());
            state.put(SECTION, version.layer(), new State(version.layer(), arn, versions));
            state.put(VERSION_NUMBERS, version.layer(), number);
            return state;
        });
        return published[0];
    }

    /** Deletes the version, and its package when nothing else uses it; one already gone is done. */
    @Override
    public void deleteLayerVersion(String layer, long version) {
        cloud.store().update(state -> {
            Optional<State> live = state.get(SECTION, layer);
            Optional<Version> deleted = live.flatMap(l -> l.only(version)).flatMap(State::latest);
            if (deleted.isEmpty()) {
                return state;
            }
            List<Version> kept = live.get().versions().stream()
                    .filter(v -> v.number() != version)
                    .toList();
            if (kept.isEmpty()) {
                state.remove(SECTION, layer);
            } else {
                state.put(SECTION, layer, new State(layer, live.get().arn(), kept));
            }
            String hex = LocalCloud.hex(deleted.get().codeSha256());
            if (!LocalFunctions.usedCode(state).contains(hex)) {
                cloud.store().removeCode(hex);
            }
            return state;
        });
    }

    @Override
    public Optional<Version> findVersion(String versionArn) {
        return version(cloud.store().read(), versionArn);
    }

    /** The version an ARN names in {@code state}: one of this local cloud's layers, by name and number. */
    static Optional<Version> version(LocalState state, String versionArn) {
        Matcher arn = VERSION_ARN.matcher(versionArn);
        if (!arn.matches()) {
            return Optional.empty();
        }
        return state.get(SECTION, arn.group(2))
                .filter(l -> l.arn().equals(arn.group(1)))
                .flatMap(l -> l.only(Long.parseLong(arn.group(3))))
                .flatMap(State::latest);
    }

    /** The hex digests of the packages of every layer version, read from the records as they are. */
    static Set<String> usedCode(LocalState state) {
        Set<String> used = new HashSet<>();
        state.sections()
                .getOrDefault(SECTION.name(), EMPTY)
                .values()
                .forEach(layer -> layer.path("versions").forEach(v -> {
                    String sha256 = v.path("codeSha256").asText("");
                    if (!sha256.isEmpty()) {
                        used.add(LocalCloud.hex(sha256));
                    }
                }));
        return used;
    }
}
