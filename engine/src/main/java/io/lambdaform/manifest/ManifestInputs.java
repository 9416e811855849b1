package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What besides the manifest files decides the desired state.
 *
 * @param environment the Environment document to take variable values from ({@code --env})
 * @param valuesFile a YAML mapping of variable values that override the environment's ({@code --values})
 * @param sensitiveValuesFile like {@code valuesFile}, and every value in it is sensitive ({@code --sensitive-values})
 * @param processEnvironment the variables {@code ${env.NAME}} reads
 * @param root the folder every file a manifest points to must be inside ({@code --root}); empty: the git work tree
 *     that holds the manifests, else the folder of the manifests
 */
public record ManifestInputs(
        Optional<String> environment,
        Optional<Path> valuesFile,
        Optional<Path> sensitiveValuesFile,
        Map<String, String> processEnvironment,
        Optional<Path> root) {
    public static final ManifestInputs NONE =
            new ManifestInputs(Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty());

    public ManifestInputs {
        requireNonNull(environment, "environment is null");
        requireNonNull(valuesFile, "valuesFile is null");
        requireNonNull(sensitiveValuesFile, "sensitiveValuesFile is null");
        processEnvironment = Map.copyOf(processEnvironment);
        requireNonNull(root, "root is null");
    }

    public ManifestInputs(
            Optional<String> environment, Optional<Path> valuesFile, Map<String, String> processEnvironment) {
        this(environment, valuesFile, Optional.empty(), processEnvironment, Optional.empty());
    }
}
