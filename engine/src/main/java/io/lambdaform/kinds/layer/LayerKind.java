package io.lambdaform.kinds.layer;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.bucket.BucketKind;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lambda layers: read from {@code kind: Layer} documents, published as a new version only when what the newest version
 * holds (its contents, by their digest, and its runtimes, architectures, description and license) differs from the
 * manifest, before the functions that name them; the versions the stack published that no function of the stack uses
 * once applied are deleted after the functions' operations (the inventory lists them as {@code layer:N}). A function
 * that names the layer gets the ARN of the version the plan keeps, or of the one the apply publishes
 * ({@link #versionArnAfterApply}).
 */
public final class LayerKind extends AbstractResourceKind<Layer, Layers.State, Layers> {
    public static final LayerKind KIND = new LayerKind();

    /** How a plan writes the version an apply publishes, whose number is known only then. */
    public static final String PUBLISHED = "(known after apply)";

    private LayerKind() {
        super("Layer", 0, Layer.class, Layers.class, LayerOperation.class);
    }

    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.PARALLELOGRAM;
    }

    /** {@code arn:aws:lambda:us-east-1:123456789012:layer:name:3}, a version's ARN or the layer's. */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("lambda", "layer:").map(Layer::layerOf);
    }

    // Reading

    @Override
    public Optional<Layer> read(ReadContext document) {
        int before = document.problemCount();
        Optional<CodeSource> code = FunctionKind.code(document, document.spec().path("code"));
        List<String> runtimes = Specs.list(document.spec().path("compatibleRuntimes"));
        for (int i = 0; i < runtimes.size(); i++) {
            if (!FunctionKind.supportsRuntime(runtimes.get(i))
                    && !document.hasProblemAt("/spec/compatibleRuntimes/" + i)) {
                document.problemAt(
                        "/spec/compatibleRuntimes/" + i, "'" + runtimes.get(i) + "' is not a Lambda runtime");
            }
        }
        if (document.problemCount() > before || code.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Layer(
                document.name(),
                code.get(),
                runtimes,
                Specs.list(document.spec().path("compatibleArchitectures")),
                Specs.text(document.spec(), "description").orElse(""),
                Specs.text(document.spec(), "licenseInfo")));
    }

    // Planning

    /**
     * The version that already holds what the manifest declares, when the newest version does and this stack
     * published it; empty when the plan publishes one.
     */
    public static Optional<Layers.Version> existing(Layer layer, Optional<Layers.State> live, PlanBuilder plan) {
        Optional<Layers.Version> latest = live.flatMap(Layers.State::latest);
        if (latest.isEmpty()
                || !latest.get().owner().filter(plan.stack().name()::equals).isPresent()
                || !sameMetadata(latest.get(), layer)) {
            return Optional.empty();
        }
        String source = plan.source(layer.code()).sourceSha256();
        return latest.filter(v -> v.sourceSha256().filter(source::equals).isPresent());
    }

    private static boolean sameMetadata(Layers.Version version, Layer layer) {
        return version.compatibleRuntimes().equals(layer.compatibleRuntimes())
                && version.compatibleArchitectures().equals(layer.compatibleArchitectures())
                && version.shownDescription().equals(layer.description())
                && version.licenseInfo().equals(layer.licenseInfo().orElse(""));
    }

    /**
     * The ARN of the version of the stack's layer {@code name} that a function naming it runs once the plan is
     * applied: the version kept, or, when the apply publishes one, the layer's ARN followed by {@link #PUBLISHED}
     * ({@link #resolve} gives the published version's ARN at apply).
     */
    public static String versionArnAfterApply(String name, PlanBuilder plan) {
        Layer layer = plan.declared(KIND, name)
                .orElseThrow(() -> new IllegalStateException("no layer " + name + " was read"));
        Optional<Layers.State> live = plan.live(KIND, name);
        return existing(layer, live, plan)
                .map(Layers.Version::arn)
                .orElseGet(() -> live.map(Layers.State::arn)
                                .orElseGet(() -> plan.target().arn("lambda", "layer:" + name))
                        + ":" + PUBLISHED);
    }

    /** Whether a layer entry of a plan names the version the apply publishes. */
    public static boolean isPublished(String arn) {
        return arn.endsWith(":" + PUBLISHED);
    }

    /**
     * A layer entry as planned, with the version this apply published in place of {@link #PUBLISHED}; a user error
     * when none was (an earlier apply failed in between).
     */
    public static String resolve(String planned, ApplyContext target, ResourceKey user) {
        if (!isPublished(planned)) {
            return planned;
        }
        String layerArn = planned.substring(0, planned.length() - PUBLISHED.length() - 1);
        String name = layerArn.substring(layerArn.lastIndexOf(':') + 1);
        return target.recall(publishedKey(name))
                .orElseThrow(() -> LambdaformException.user(user + " was to use the version of layer " + name
                        + " this apply publishes, and none was published: plan again"));
    }

    /** The key an apply remembers the ARN of the version it published under ({@code ApplyContext.remember}). */
    public static String publishedKey(String name) {
        return "published-layer-version:" + name;
    }

    /** A package is needed to publish: unless the newest version holds these contents and settings already. */
    @Override
    public boolean needsPackage(Layer desired, Optional<Layers.State> live, SourceDigest source) {
        Optional<Layers.Version> latest = live.flatMap(Layers.State::latest);
        return latest.isEmpty()
                || latest.get().owner().isEmpty()
                || !sameMetadata(latest.get(), desired)
                || !latest.get()
                        .sourceSha256()
                        .filter(source.sourceSha256()::equals)
                        .isPresent();
    }

    @Override
    public void plan(Layer layer, Optional<Layers.State> live, PlanBuilder plan) {
        if (existing(layer, live, plan).isPresent()) {
            return;
        }
        DeploymentPackage code = plan.code(layer.code());
        String stack = plan.stack().name();
        Optional<Layers.Version> latest = live.flatMap(Layers.State::latest);
        List<FieldChange> changes = new ArrayList<>();
        String source = FunctionKind.abbreviated(code.sourceSha256());
        if (latest.isEmpty()) {
            changes.add(FieldChange.set("version", "(new: code " + source + ")"));
            changes.add(FieldChange.set("compatibleRuntimes", list(layer.compatibleRuntimes())));
            changes.add(FieldChange.set("compatibleArchitectures", list(layer.compatibleArchitectures())));
            changes.add(FieldChange.set("description", FieldChange.quoted(layer.description())));
            layer.licenseInfo().ifPresent(l -> changes.add(FieldChange.set("licenseInfo", FieldChange.quoted(l))));
        } else {
            Layers.Version current = latest.get();
            changes.add(FieldChange.change("version", String.valueOf(current.number()), "(new)"));
            String was = current.sourceSha256().map(FunctionKind::abbreviated).orElse("(not recorded)");
            if (!was.equals(source)) {
                changes.add(FieldChange.change("code", was, source));
            }
            change(changes, "compatibleRuntimes", list(current.compatibleRuntimes()), list(layer.compatibleRuntimes()));
            change(
                    changes,
                    "compatibleArchitectures",
                    list(current.compatibleArchitectures()),
                    list(layer.compatibleArchitectures()));
            change(
                    changes,
                    "description",
                    FieldChange.quoted(current.shownDescription()),
                    FieldChange.quoted(layer.description()));
            change(
                    changes,
                    "licenseInfo",
                    FieldChange.quoted(current.licenseInfo()),
                    FieldChange.quoted(layer.licenseInfo().orElse("")));
            if (!current.owner().filter(stack::equals).isPresent()) {
                changes.add(FieldChange.change("owner", current.owner().orElse("(none)"), stack));
            }
        }
        ResourceKey key = key(layer.name());
        Optional<CodeStaging> staging = CodeStaging.of(plan.stack(), code, key);
        List<Integer> dependencies = new ArrayList<>();
        staging.flatMap(s -> plan.last(BucketKind.key(s.bucket()))).ifPresent(dependencies::add);
        plan.add(
                key,
                new PublishLayerVersion(
                        layer.name(),
                        layer.code(),
                        code.codeSha256(),
                        code.sourceSha256(),
                        layer.compatibleRuntimes(),
                        layer.compatibleArchitectures(),
                        Layers.Version.description(stack, code.sourceSha256(), layer.description()),
                        layer.licenseInfo(),
                        staging,
                        changes),
                dependencies);
    }

    /** The package of the newest version once applied, which the stack's code bucket keeps staged if it was. */
    @Override
    public Set<String> codeAfterApply(Layer desired, Optional<Layers.State> live, PlanBuilder plan) {
        String codeSha256 = existing(desired, live, plan)
                .map(Layers.Version::codeSha256)
                .orElseGet(() -> plan.code(desired.code()).codeSha256());
        return codeSha256.isEmpty() ? Set.of() : Set.of(codeSha256);
    }

    private static void change(List<FieldChange> changes, String field, String before, String after) {
        if (!before.equals(after)) {
            changes.add(FieldChange.change(field, before, after));
        }
    }

    private static String list(List<String> values) {
        return "[" + String.join(", ", values) + "]";
    }

    /** The inventory lists each version the stack published: pruning reads each to know its ARN and owner. */
    @Override
    public boolean prunesFromLiveState() {
        return true;
    }

    /**
     * Deletes a version the stack published ({@code layer:N}), once every function has moved off it, unless a layer
     * the manifests declare keeps it as its newest, or a function of the stack uses it once applied ($LATEST, or a
     * version it published).
     */
    @Override
    public void prune(String name, Optional<Layers.State> live, PlanBuilder plan) {
        String layer = Layer.layerOf(name);
        Optional<Long> number = Layer.versionOf(name);
        Optional<Layers.Version> version = live.flatMap(Layers.State::latest);
        if (number.isEmpty() || version.isEmpty()) {
            return;
        }
        Optional<Layer> declared = plan.declared(KIND, layer);
        if (declared.isPresent()) {
            Optional<Layers.State> whole = plan.live(KIND, layer);
            boolean managed = whole.flatMap(Layers.State::latest)
                    .flatMap(Layers.Version::owner)
                    .filter(plan.stack().name()::equals)
                    .isPresent();
            if (!managed
                    || existing(declared.get(), whole, plan)
                            .filter(v -> v.number() == number.get())
                            .isPresent()) {
                return;
            }
        }
        if (usedByFunctions(version.get().arn(), plan)) {
            return;
        }
        plan.add(key(name), new DeleteLayerVersion(layer, number.get()), plan.operationsAbove(KIND));
    }

    /** Whether a function the manifests declare runs the version once applied, or one of its versions runs it. */
    private static boolean usedByFunctions(String versionArn, PlanBuilder plan) {
        for (Function function : plan.stack().resources(FunctionKind.KIND)) {
            if (FunctionKind.layersAfterApply(function, plan).contains(versionArn)) {
                return true;
            }
            boolean published = plan
                    .live(FunctionKind.KIND, function.name())
                    .flatMap(FunctionState::versions)
                    .orElse(List.of())
                    .stream()
                    .map(FunctionVersion::settings)
                    .anyMatch(s -> s.layers().contains(versionArn));
            if (published) {
                return true;
            }
        }
        return false;
    }

    // Operations

    /** An operation on a layer or one of its versions, carried out through {@link Layers}. */
    sealed interface LayerOperation extends Operation {}

    /**
     * Publishes a version of the package as planned (CodeSha256 {@code codeSha256}); the apply remembers its ARN for
     * the functions that name the layer ({@link #publishedKey}).
     */
    @Operation.Named(value = "PublishLayerVersion", action = Operation.Action.CREATE)
    record PublishLayerVersion(
            String name,
            CodeSource code,
            String codeSha256,
            String sourceSha256,
            List<String> compatibleRuntimes,
            List<String> compatibleArchitectures,
            String description,
            Optional<String> licenseInfo,
            Optional<CodeStaging> staging,
            List<FieldChange> changes)
            implements LayerOperation {
        PublishLayerVersion {
            requireNonNull(staging, "staging is null");
            requireNonNull(name, "name is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(sourceSha256, "sourceSha256 is null");
            compatibleRuntimes = List.copyOf(compatibleRuntimes);
            compatibleArchitectures = List.copyOf(compatibleArchitectures);
            requireNonNull(description, "description is null");
            requireNonNull(licenseInfo, "licenseInfo is null");
            changes = List.copyOf(changes);
        }

        @Override
        public ResourceKey key() {
            return LayerKind.key(name);
        }

        @Override
        public String summary() {
            return "publish version (code " + FunctionKind.abbreviated(sourceSha256) + ")"
                    + staging.map(s -> " (staged in " + s + ")").orElse("");
        }

        @Override
        public void apply(ApplyContext target) {
            DeploymentPackage zip = target.packageAsPlanned(key(), code, codeSha256);
            Layers.Version version = target.port(Layers.class)
                    .publishLayerVersion(new Layers.NewVersion(
                            name, zip, compatibleRuntimes, compatibleArchitectures, description, licenseInfo, staging));
            target.remember(publishedKey(name), version.arn());
            target.progress(key() + ": published version " + version.number());
        }
    }

    /** Deletes a version the stack published that no function of the stack uses any more. */
    @Operation.Named(value = "DeleteLayerVersion", effect = Operation.Effect.DELETES)
    record DeleteLayerVersion(String layer, long version) implements LayerOperation {
        DeleteLayerVersion {
            requireNonNull(layer, "layer is null");
        }

        @Override
        public ResourceKey key() {
            return LayerKind.key(Layer.versionName(layer, version));
        }

        @Override
        public String summary() {
            return "delete version " + version;
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Layers.class).deleteLayerVersion(layer, version);
        }
    }
}
