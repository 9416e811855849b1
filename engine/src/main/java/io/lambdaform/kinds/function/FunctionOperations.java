package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.layer.LayerKind;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/** The operations of a function plan, each carried out through the {@link Functions} port. */
public final class FunctionOperations {

    private FunctionOperations() {}

    /** How a summary says where a package is staged: " (staged in s3://bucket/key)". */
    static String staged(Optional<CodeStaging> staging) {
        return staging.map(s -> " (staged in " + s + ")").orElse("");
    }

    /** An operation on one function: its key derives from the function's name. */
    sealed interface FunctionOperation extends Operation {
        String name();

        @Override
        default ResourceKey key() {
            return FunctionKind.key(name());
        }

        /** The image, or the package as planned (CodeSha256 {@code codeSha256}) where the plan stages it. */
        default FunctionPackage planned(
                Optional<CodeSource> code,
                String codeSha256,
                Optional<CodeStaging> staging,
                Optional<String> image,
                ApplyContext target) {
            if (image.isPresent()) {
                return new FunctionPackage.Image(image.get());
            }
            DeploymentPackage zip = target.packageAsPlanned(key(), code.orElseThrow(), codeSha256);
            return new FunctionPackage.Zip(zip, staging);
        }

        /** The settings with the layer versions this apply published in place of {@link LayerKind#PUBLISHED}. */
        default FunctionSettings resolved(FunctionSettings settings, ApplyContext target) {
            return settings.withLayers(settings.layers().stream()
                    .map(l -> LayerKind.resolve(l, target, key()))
                    .toList());
        }
    }

    /**
     * @param code the code of its zip package; empty for a function that runs an image
     * @param codeSha256 the CodeSha256 of the package the plan was computed from; apply refuses another
     * @param image the URI of the container image it runs; empty for a zip package
     */
    @Operation.Named(value = "CreateFunction", effect = Operation.Effect.CREATES)
    public record CreateFunction(
            String name,
            String roleArn,
            FunctionSettings settings,
            Optional<CodeSource> code,
            String codeSha256,
            Optional<CodeStaging> staging,
            Optional<String> image,
            SortedMap<String, String> tags,
            List<FieldChange> changes)
            implements FunctionOperation {
        public CreateFunction {
            requireNonNull(image, "image is null");
            requireNonNull(name, "name is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(settings, "settings is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(staging, "staging is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "create function" + staged(staging);
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class)
                    .createFunction(new NewFunction(
                            name,
                            roleArn,
                            resolved(settings, target),
                            planned(code, codeSha256, staging, image, target),
                            tags));
        }
    }

    /**
     * Replaces the code; Lambda changes the architectures only here, together with the code. The function is then
     * tagged with the package's source digest and CodeSha256.
     */
    @Operation.Named("UpdateFunctionCode")
    public record UpdateFunctionCode(
            String name,
            Optional<CodeSource> code,
            String codeSha256,
            String sourceSha256,
            List<String> architectures,
            Optional<CodeStaging> staging,
            Optional<String> image,
            List<FieldChange> changes)
            implements FunctionOperation {
        public UpdateFunctionCode {
            requireNonNull(image, "image is null");
            requireNonNull(name, "name is null");
            requireNonNull(code, "code is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(sourceSha256, "sourceSha256 is null");
            architectures = List.copyOf(architectures);
            requireNonNull(staging, "staging is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "update code" + staged(staging);
        }

        @Override
        public void apply(ApplyContext target) {
            FunctionPackage planned = planned(code, codeSha256, staging, image, target);
            Functions functions = target.port(Functions.class);
            functions.updateFunctionCode(name, planned, architectures);
            if (planned instanceof FunctionPackage.Zip zip) {
                functions.tagFunction(name, FunctionKind.codeTags(zip.pkg()));
            }
        }
    }

    @Operation.Named("UpdateFunctionConfiguration")
    public record UpdateFunctionConfiguration(
            String name, String roleArn, FunctionSettings settings, List<FieldChange> changes)
            implements FunctionOperation {
        public UpdateFunctionConfiguration {
            requireNonNull(name, "name is null");
            requireNonNull(roleArn, "roleArn is null");
            requireNonNull(settings, "settings is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "update configuration";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).updateFunctionConfiguration(name, roleArn, resolved(settings, target));
        }
    }

    /** Reserves concurrency for the function (PutFunctionConcurrency); 0 stops every invocation. */
    @Operation.Named("PutFunctionConcurrency")
    public record PutFunctionConcurrency(String name, int reserved, List<FieldChange> changes)
            implements FunctionOperation {
        public PutFunctionConcurrency {
            requireNonNull(name, "name is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "reserve concurrency " + reserved;
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).putConcurrency(name, reserved);
        }
    }

    /** Sets how Lambda retries asynchronous invocations and where it sends their outcome. */
    @Operation.Named("PutFunctionEventInvokeConfig")
    public record PutFunctionEventInvokeConfig(
            String name, FunctionSettings.AsyncInvokeConfig async, List<FieldChange> changes)
            implements FunctionOperation {
        public PutFunctionEventInvokeConfig {
            requireNonNull(name, "name is null");
            requireNonNull(async, "async is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "set asynchronous invocation";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).putEventInvokeConfig(name, async);
        }
    }

    /** Whether Lambda stops the function when it finds it in a recursive loop (PutFunctionRecursionConfig). */
    @Operation.Named("PutFunctionRecursionConfig")
    public record PutFunctionRecursionConfig(String name, String recursiveLoop, List<FieldChange> changes)
            implements FunctionOperation {
        public PutFunctionRecursionConfig {
            requireNonNull(name, "name is null");
            requireNonNull(recursiveLoop, "recursiveLoop is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "set recursive loop " + recursiveLoop;
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).putRecursionConfig(name, recursiveLoop);
        }
    }

    /** When Lambda moves the function to a new runtime version, or the one it stays on (PutRuntimeManagementConfig). */
    @Operation.Named("PutRuntimeManagementConfig")
    public record PutRuntimeManagementConfig(
            String name, FunctionSettings.RuntimeManagement management, List<FieldChange> changes)
            implements FunctionOperation {
        public PutRuntimeManagementConfig {
            requireNonNull(name, "name is null");
            requireNonNull(management, "management is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "update runtime on " + management.updateRuntimeOn();
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).putRuntimeManagementConfig(name, management);
        }
    }

    @Operation.Named(value = "DeleteFunction", effect = Operation.Effect.DELETES)
    public record DeleteFunction(String name) implements FunctionOperation {
        public DeleteFunction {
            requireNonNull(name, "name is null");
        }

        @Override
        public String summary() {
            return "delete function";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).deleteFunction(name);
        }
    }

    /**
     * Publishes $LATEST as a version, provided it runs the planned package; the apply remembers its number for the
     * aliases that move to it ({@link FunctionKind.Release#publishedKey}).
     */
    @Operation.Named(value = "PublishVersion", action = Operation.Action.CREATE)
    public record PublishVersion(String name, String codeSha256, String sourceSha256, List<FieldChange> changes)
            implements FunctionOperation {
        public PublishVersion {
            requireNonNull(name, "name is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(sourceSha256, "sourceSha256 is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "publish version (code " + FunctionKind.abbreviated(sourceSha256) + ")";
        }

        @Override
        public void apply(ApplyContext target) {
            String version = target.port(Functions.class)
                    .publishVersion(name, codeSha256, FunctionVersion.description(sourceSha256));
            target.remember(FunctionKind.Release.publishedKey(name), version);
            target.progress(key() + ": published version " + version);
        }
    }

    /** Deletes a version no alias uses, beyond the newest the function keeps. */
    @Operation.Named(value = "DeleteVersion", action = Operation.Action.DELETE)
    public record DeleteVersion(String name, String version) implements FunctionOperation {
        public DeleteVersion {
            requireNonNull(name, "name is null");
            requireNonNull(version, "version is null");
        }

        @Override
        public String summary() {
            return "delete version " + version;
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Functions.class).deleteVersion(name, version);
        }
    }
}
