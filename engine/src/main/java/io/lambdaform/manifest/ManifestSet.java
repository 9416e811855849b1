package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The outcome of reading a manifest set: the desired stack when there is no problem, and every diagnostic found: the
 * problems, and apart the warnings, which make nothing invalid.
 *
 * @param digest SHA-256 over every manifest file's path and content and the variable values, sensitive values masked
 * @param sensitive the values that must never be shown, known even when the set has problems, so that no diagnostic
 *     quotes one
 * @param root the folder the set belongs to: {@code --root}, else the git work tree of the manifests, else their
 *     folder (files the manifests name must stay inside it; the local cloud keeps its state there by default)
 * @param files every manifest file read and every file or folder the manifests name (code, events, build inputs),
 *     absolute: what a change to makes the set change ({@code stacks --changed-since})
 */
public record ManifestSet(
        Optional<Stack> stack,
        List<Diagnostic> diagnostics,
        List<Diagnostic> warnings,
        String digest,
        Sensitive sensitive,
        Path root,
        SortedSet<Path> files) {
    public ManifestSet {
        requireNonNull(stack, "stack is null");
        diagnostics = List.copyOf(diagnostics);
        warnings = List.copyOf(warnings);
        requireNonNull(digest, "digest is null");
        requireNonNull(sensitive, "sensitive is null");
        requireNonNull(root, "root is null");
        files = Collections.unmodifiableSortedSet(new TreeSet<>(files));
    }

    /** A set that read no file. */
    public ManifestSet(
            Optional<Stack> stack,
            List<Diagnostic> diagnostics,
            List<Diagnostic> warnings,
            String digest,
            Sensitive sensitive,
            Path root) {
        this(stack, diagnostics, warnings, digest, sensitive, root, new TreeSet<>());
    }

    public boolean valid() {
        return diagnostics.isEmpty() && stack.isPresent();
    }
}
