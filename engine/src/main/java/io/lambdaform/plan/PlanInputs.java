package io.lambdaform.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a plan was computed from, as recorded in a saved plan: the manifest paths as given, the environment, the
 * values files (by path), the root, the adopted names, and the digest of the manifests and the non-sensitive variable
 * values, and whether payload gates were off ({@code --no-payload-gate}).
 */
public record PlanInputs(
        List<String> paths,
        Optional<String> environment,
        Optional<String> values,
        Optional<String> sensitiveValues,
        Optional<String> root,
        SortedSet<String> adopt,
        String manifestsDigest,
        boolean payloadGates) {
    /** Inputs of a plan with payload gates on. */
    public PlanInputs(
            List<String> paths,
            Optional<String> environment,
            Optional<String> values,
            Optional<String> sensitiveValues,
            Optional<String> root,
            SortedSet<String> adopt,
            String manifestsDigest) {
        this(paths, environment, values, sensitiveValues, root, adopt, manifestsDigest, true);
    }

    public PlanInputs {
        paths = List.copyOf(paths);
        requireNonNull(environment, "environment is null");
        requireNonNull(values, "values is null");
        requireNonNull(sensitiveValues, "sensitiveValues is null");
        requireNonNull(root, "root is null");
        adopt = new TreeSet<>(adopt);
        requireNonNull(manifestsDigest, "manifestsDigest is null");
    }
}
