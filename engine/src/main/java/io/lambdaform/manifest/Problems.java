package io.lambdaform.manifest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects every problem found while reading a manifest set, so that one run reports them all. */
public final class Problems {
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<Position> positions = new HashSet<>();

    public void add(Diagnostic diagnostic) {
        diagnostics.add(diagnostic);
        diagnostic.position().ifPresent(positions::add);
    }

    /** Whether a problem was reported at {@code position}. */
    public boolean reportedAt(Position position) {
        return positions.contains(position);
    }

    public void at(Position position, String message) {
        add(Diagnostic.at(position, message));
    }

    public int size() {
        return diagnostics.size();
    }

    public boolean isEmpty() {
        return diagnostics.isEmpty();
    }

    public List<Diagnostic> sorted() {
        return diagnostics.stream().distinct().sorted(Diagnostic.ORDER).toList();
    }
}
