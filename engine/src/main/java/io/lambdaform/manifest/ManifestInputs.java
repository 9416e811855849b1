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
 * @param processEnvironment the variables {@code ${env.NAME}} reads
 */
public record ManifestInputs(Optional<String> environment, Optional<Path> valuesFile,
        Map<String, String> processEnvironment) {
    public static final ManifestInputs NONE = new ManifestInputs(Optional.empty(), Optional.empty(), Map.of());

    public ManifestInputs {
        requireNonNull(environment, "environment is null");
        requireNonNull(valuesFile, "valuesFile is null");
        processEnvironment = Map.copyOf(processEnvironment);
    }
}
