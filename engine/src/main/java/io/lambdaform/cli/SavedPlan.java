package io.lambdaform.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import io.lambdaform.plan.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A plan saved by {@code plan --out}, read back for {@code apply FILE}: what it was computed from, and what it
 * would do. It holds no secret values; apply reads them again from the recorded inputs.
 */
final class SavedPlan {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode tree;
    private final PlanInputs inputs;

    private SavedPlan(Path file, JsonNode tree, PlanInputs inputs) {
        this.file = file;
        this.tree = tree;
        this.inputs = inputs;
    }

    /** Whether {@code path} looks like a saved plan rather than a manifest. */
    static boolean isPlanFile(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".json");
    }

    static SavedPlan read(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw LambdaformException.user("cannot read the saved plan " + file + ": " + e.getMessage());
        }
        if (tree.path("formatVersion").asInt(0) != PlanJsonRenderer.FORMAT_VERSION || !tree.has("inputs")) {
            throw LambdaformException.user(file + " is not a plan saved by 'lambdaform plan --out' (format "
                    + PlanJsonRenderer.FORMAT_VERSION + ")");
        }
        JsonNode recorded = tree.get("inputs");
        List<String> paths = new ArrayList<>();
        recorded.path("paths").forEach(p -> paths.add(p.asText()));
        TreeSet<String> adopt = new TreeSet<>();
        recorded.path("adopt").forEach(a -> adopt.add(a.asText()));
        return new SavedPlan(file, tree, new PlanInputs(paths, text(recorded, "env"), text(recorded, "values"), adopt,
                recorded.path("manifestsDigest").asText()));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    PlanInputs inputs() {
        return inputs;
    }

    List<Path> paths() {
        return inputs.paths().stream().map(Path::of).toList();
    }

    InputOptions inputOptions() {
        InputOptions options = new InputOptions();
        options.environment = inputs.environment().orElse(null);
        options.values = inputs.values().map(Path::of).orElse(null);
        return options;
    }

    /**
     * Refuses with a "stale plan" error unless the manifests and the live state are what they were when the plan was
     * made, so that the fresh plan's operations are exactly the saved ones.
     */
    void requireCurrent(String manifestsDigest, Plan fresh) {
        List<String> reasons = new ArrayList<>();
        if (!inputs.manifestsDigest().equals(manifestsDigest)) {
            reasons.add("the manifests (or the variable values) changed");
        }
        JsonNode target = tree.path("target");
        if (!target.path("kind").asText().equals(fresh.target().kind())
                || !target.path("account").asText().equals(fresh.target().accountId())
                || !target.path("region").asText().equals(fresh.target().region())) {
            reasons.add("it was made for target " + target.path("kind").asText() + " (account "
                    + target.path("account").asText() + ", region " + target.path("region").asText()
                    + "), not this one (" + fresh.target() + ")");
        }
        JsonNode live = tree.path("liveFingerprint");
        TreeSet<String> changed = new TreeSet<>();
        live.fieldNames().forEachRemaining(key -> {
            if (!live.get(key).asText().equals(fresh.liveFingerprint().get(key))) {
                changed.add(key);
            }
        });
        fresh.liveFingerprint().keySet().stream().filter(k -> !live.has(k)).forEach(changed::add);
        if (!changed.isEmpty()) {
            reasons.add("the live state changed: " + String.join(", ", changed));
        }
        JsonNode freshTree = PlanJsonRenderer.tree(fresh, inputs);
        if (reasons.isEmpty() && (!freshTree.path("operations").equals(tree.path("operations"))
                || !freshTree.path("conflicts").equals(tree.path("conflicts")))) {
            reasons.add("the operations it would take now differ (the code or other files changed)");
        }
        if (!reasons.isEmpty()) {
            throw LambdaformException.user("stale plan " + file + ": " + String.join("; ", reasons)
                    + ". Nothing was changed; run plan again");
        }
    }
}
