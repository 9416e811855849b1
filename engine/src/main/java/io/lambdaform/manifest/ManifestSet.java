package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Stack;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of reading a manifest set: the desired stack when there is no problem, and every diagnostic found.
 *
 * @param digest SHA-256 over every manifest file's path and content, and the files they point to
 */
public record ManifestSet(Optional<Stack> stack, List<Diagnostic> diagnostics, String digest) {
    public ManifestSet {
        requireNonNull(stack, "stack is null");
        diagnostics = List.copyOf(diagnostics);
        requireNonNull(digest, "digest is null");
    }

    public boolean valid() {
        return diagnostics.isEmpty() && stack.isPresent();
    }
}
