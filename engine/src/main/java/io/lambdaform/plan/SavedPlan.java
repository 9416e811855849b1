package io.lambdaform.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.LambdaformException;
import io.lambdaform.resource.DeploymentPackage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plan saved by {@code plan --out}, read back for {@code apply FILE}: what it was computed from, and what it
 * would do. It holds no secret values; apply reads them again from the recorded inputs.
 */
public final class SavedPlan {
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
    public static boolean isPlanFile(Path path) {
        return Files.isRegularFile(path) && hasPlanName(path);
    }

    /** Whether {@code path} is named as a saved plan is ({@code *.json}): how apply tells one from manifests. */
    public static boolean hasPlanName(Path path) {
        return path.getFileName().toString().endsWith(".json");
    }

    public static SavedPlan read(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw LambdaformException.user("cannot read the saved plan " + file + ": " + e.getMessage());
        }
        JsonNode version = tree.path("formatVersion");
        if (version.isInt() && version.asInt() != PlanDocument.FORMAT_VERSION) {
            throw LambdaformException.user(file + " is a plan of plan format version " + version.asInt()
                    + "; this Lambdaform reads format version " + PlanDocument.FORMAT_VERSION
                    + ". Plan again with this version, or apply it with the Lambdaform that saved it");
        }
        if (!version.isInt() || !tree.has("inputs")) {
            throw LambdaformException.user(file + " is not a plan saved by 'lambdaform plan --out' (plan format"
                    + " version " + PlanDocument.FORMAT_VERSION + ")");
        }
        JsonNode recorded = tree.get("inputs");
        List<String> paths = new ArrayList<>();
        recorded.path("paths").forEach(p -> paths.add(p.asText()));
        TreeSet<String> adopt = new TreeSet<>();
        recorded.path("adopt").forEach(a -> adopt.add(a.asText()));
        return new SavedPlan(
                file,
                tree,
                new PlanInputs(
                        paths,
                        text(recorded, "env"),
                        text(recorded, "values"),
                        text(recorded, "sensitiveValues"),
                        text(recorded, "root"),
                        adopt,
                        recorded.path("manifestsDigest").asText(),
                        recorded.path("payloadGates").asBoolean(true)));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    public PlanInputs inputs() {
        return inputs;
    }

    public List<Path> paths() {
        return inputs.paths().stream().map(Path::of).toList();
    }

    /**
     * Refuses with a "stale plan" error, naming what changed, unless the plan file is as plan --out wrote it and the
     * manifests and the live state are what they were then, so that the fresh plan's operations are exactly the saved
     * ones. Both sides are compared as written, sensitive values masked.
     */
    public void requireCurrent(String manifestsDigest, Plan fresh) {
        List<String> reasons = new ArrayList<>();
        JsonNode recordedOperations = tree.path("inputs").path("operationsDigest");
        if (recordedOperations.isTextual()
                && !recordedOperations
                        .asText()
                        .equals(PlanDocument.operationsDigest(tree.path("operations"), fresh.sensitive()))) {
            reasons.add("the plan file was edited after 'plan --out' wrote it (its operations no longer match the"
                    + " digest recorded with them)");
        }
        if (!inputs.manifestsDigest().equals(manifestsDigest)) {
            reasons.add("the manifests (or the variable values) changed");
        }
        JsonNode target = tree.path("target");
        if (!target.path("kind").asText().equals(fresh.target().kind())
                || !target.path("account").asText().equals(fresh.target().accountId())
                || !target.path("region").asText().equals(fresh.target().region())) {
            reasons.add("it was made for target " + target.path("kind").asText() + " (account "
                    + target.path("account").asText() + ", region "
                    + target.path("region").asText()
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
        JsonNode freshTree;
        try {
            freshTree = JSON.readTree(fresh.sensitive().redact(PlanDocument.render(fresh, inputs)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (reasons.isEmpty() && !freshTree.path("conflicts").equals(tree.path("conflicts"))) {
            reasons.add("the conflicts differ now");
        }
        if (reasons.isEmpty() && !freshTree.path("operations").equals(tree.path("operations"))) {
            Optional<String> rezipped =
                    rezipped(tree.path("operations"), freshTree.path("operations"), fresh.packages());
            if (rezipped.isPresent()) {
                throw LambdaformException.user("the saved plan " + file + " was made on a machine that zips code to"
                        + " other bytes than this one: " + rezipped.get() + ". Nothing was changed; plan again here,"
                        + " or apply the plan on the machine that made it");
            }
            reasons.add("the operations it would take now differ ("
                    + differences(tree.path("operations"), freshTree.path("operations"))
                    + "): files the manifests point to (such as code) changed, or sensitive values did");
        }
        if (!reasons.isEmpty()) {
            throw LambdaformException.user(
                    "stale plan " + file + ": " + String.join("; ", reasons) + ". Nothing was changed; run plan again");
        }
    }

    /**
     * When the operations differ only in the CodeSha256 of packages that hold the same files as the packages the plan
     * recorded (the same source digest, zipped to other bytes here: another deflater), says so for each resource.
     */
    private Optional<String> rezipped(JsonNode saved, JsonNode now, SortedMap<String, DeploymentPackage> packages) {
        Map<String, DeploymentPackage> here = new TreeMap<>();
        Map<String, String> there = new TreeMap<>();
        tree.path("inputs").path("packages").fields().forEachRemaining(recorded -> {
            String source = recorded.getValue().path("sourceSha256").asText();
            packages.values().stream()
                    .filter(code -> code.sourceSha256().equals(source)
                            && !code.codeSha256().equals(recorded.getKey()))
                    .findFirst()
                    .ifPresent(code -> {
                        here.put(recorded.getKey(), code);
                        there.put(
                                recorded.getKey(),
                                recorded.getValue().path("deflater").asText());
                    });
        });
        if (here.isEmpty()) {
            return Optional.empty();
        }
        JsonNode rewritten = saved.deepCopy();
        TreeMap<String, String> resources = new TreeMap<>();
        rewritten.forEach(op -> op.path("changes").forEach(change -> {
            for (String side : List.of("before", "after")) {
                DeploymentPackage code = here.get(change.path(side).asText());
                if (change.path(side).isTextual() && code != null) {
                    resources.putIfAbsent(
                            op.path("type").asText() + " " + op.path("name").asText(),
                            change.path(side).asText());
                    ((ObjectNode) change).put(side, code.codeSha256());
                }
            }
        }));
        if (resources.isEmpty() || !rewritten.equals(now)) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        resources.forEach((resource, savedSha256) -> {
            DeploymentPackage code = here.get(savedSha256);
            String deflaters = there.get(savedSha256).equals(code.deflater())
                    ? "deflated by another build of " + code.deflater() + " than where the plan was made"
                    : "deflated by " + code.deflater() + " here, by " + there.get(savedSha256)
                            + " where the plan was made";
            lines.add("the code of " + resource + " holds the same files, but zips to CodeSha256 " + code.codeSha256()
                    + " here instead of " + savedSha256 + " (" + deflaters + ")");
        });
        return Optional.of(String.join("; ", lines));
    }

    /** Which resources' operations differ, as "function hello: saved [...], now [...]". */
    private static String differences(JsonNode saved, JsonNode now) {
        Map<String, List<JsonNode>> before = byResource(saved);
        Map<String, List<JsonNode>> after = byResource(now);
        TreeSet<String> resources = new TreeSet<>(before.keySet());
        resources.addAll(after.keySet());
        List<String> lines = new ArrayList<>();
        for (String resource : resources) {
            List<JsonNode> a = before.getOrDefault(resource, List.of());
            List<JsonNode> b = after.getOrDefault(resource, List.of());
            if (a.equals(b)) {
                continue;
            }
            List<String> namesBefore =
                    a.stream().map(o -> o.path("operation").asText()).toList();
            List<String> namesAfter =
                    b.stream().map(o -> o.path("operation").asText()).toList();
            lines.add(resource + ": "
                    + (namesBefore.equals(namesAfter)
                            ? "the changes of " + namesBefore + " differ"
                            : "saved " + namesBefore + ", now " + namesAfter));
        }
        return String.join("; ", lines);
    }

    private static Map<String, List<JsonNode>> byResource(JsonNode operations) {
        Map<String, List<JsonNode>> groups = new TreeMap<>();
        operations.forEach(op -> groups.computeIfAbsent(
                        op.path("type").asText() + " " + op.path("name").asText(), k -> new ArrayList<>())
                .add(op));
        return groups;
    }
}
