package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a plan was computed from, as recorded in a saved plan: the manifest paths as given, the environment, the
 * values file, the adopted names, and the digest of the manifests and resolved variables.
 */
record PlanInputs(List<String> paths, Optional<String> environment, Optional<String> values, SortedSet<String> adopt,
        String manifestsDigest) {
    PlanInputs {
        paths = List.copyOf(paths);
        requireNonNull(environment, "environment is null");
        requireNonNull(values, "values is null");
        adopt = new TreeSet<>(adopt);
        requireNonNull(manifestsDigest, "manifestsDigest is null");
    }
}
