package io.lambdaform.manifest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem found while reading a manifest set, so that one run reports them all, and the warnings
 * apart: they are shown, and count for nothing else.
 */
public final class Problems {
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<Position> positions = new HashSet<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

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

    /** Adds a warning at {@code position}: it makes nothing invalid. */
    public void warnAt(Position position, String message) {
        warnings.add(Diagnostic.warningAt(position, message));
    }

    public int size() {
        return diagnostics.size();
    }

    public boolean isEmpty() {
        return diagnostics.isEmpty();
    }

    /** The problems, in the order of the files and positions. */
    public List<Diagnostic> sorted() {
        return diagnostics.stream().distinct().sorted(Diagnostic.ORDER).toList();
    }

    /** The warnings, in the order of the files and positions. */
    public List<Diagnostic> warnings() {
        return warnings.stream().distinct().sorted(Diagnostic.ORDER).toList();
    }
}
