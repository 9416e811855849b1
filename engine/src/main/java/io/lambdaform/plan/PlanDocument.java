package io.lambdaform.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.Note;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The public plan format: a plan as stable, machine-readable JSON (format version 1; described by
 * schemas/plan.schema.json and docs/cli.md), as {@code plan --format json} prints it and {@code plan --out} saves it.
 */
public final class PlanDocument {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanDocument() {}

    public static String render(Plan plan) {
        return render(plan, null);
    }

    /** The plan, with what it was computed from when {@code inputs} is given (as a saved plan records it). */
    public static String render(Plan plan, PlanInputs inputs) {
        try {
            return JSON.writeValueAsString(tree(plan, inputs)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the operations as a saved plan writes them (sensitive values masked). */
    static String operationsDigest(JsonNode operations, Sensitive sensitive) {
        try {
            byte[] text = sensitive.redact(JSON.writeValueAsString(operations)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode tree(Plan plan, PlanInputs inputs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.put("stack", plan.stackName());
        ObjectNode target = root.putObject("target");
        target.put("kind", plan.target().kind());
        target.put("location", plan.target().location());
        target.put("account", plan.target().accountId());
        target.put("region", plan.target().region());
        ObjectNode summary = root.putObject("summary");
        Plan.Summary counts = plan.summary();
        summary.put("create", counts.create());
        summary.put("update", counts.update());
        summary.put("delete", counts.delete());
        summary.put("conflicts", plan.conflicts().size());
        ArrayNode conflicts = root.putArray("conflicts");
        for (Conflict conflict : plan.conflicts()) {
            ObjectNode node = conflicts.addObject();
            node.put("type", conflict.key().type());
            node.put("name", conflict.key().name());
            conflict.owner().ifPresentOrElse(o -> node.put("owner", o), () -> node.putNull("owner"));
            node.put("message", conflict.message());
        }
        if (!plan.notes().isEmpty()) {
            // Only when there are some: plans of stacks without triggers keep their format byte for byte.
            ArrayNode notes = root.putArray("notes");
            for (Note note : plan.notes()) {
                ObjectNode node = notes.addObject();
                node.put("type", note.key().type());
                node.put("name", note.key().name());
                node.put("category", note.category().label());
                node.put("message", note.message());
            }
        }
        ArrayNode operations = root.putArray("operations");
        for (PlannedOperation op : plan.operations()) {
            ObjectNode node = operations.addObject();
            node.put("id", op.id());
            node.put("type", op.operation().key().type());
            node.put("name", op.operation().key().name());
            node.put("operation", op.operation().type().name());
            node.put("action", op.operation().action().name().toLowerCase());
            node.put("summary", plan.summary(op.operation()));
            ArrayNode dependsOn = node.putArray("dependsOn");
            op.dependsOn().forEach(dependsOn::add);
            ArrayNode changes = node.putArray("changes");
            for (FieldChange change : plan.changes(op.operation())) {
                ObjectNode c = changes.addObject();
                c.put("field", change.field());
                change.before().ifPresentOrElse(b -> c.put("before", b), () -> c.putNull("before"));
                change.after().ifPresentOrElse(a -> c.put("after", a), () -> c.putNull("after"));
            }
        }
        if (inputs != null) {
            ObjectNode recorded = root.putObject("inputs");
            ArrayNode paths = recorded.putArray("paths");
            inputs.paths().forEach(paths::add);
            inputs.environment().ifPresentOrElse(e -> recorded.put("env", e), () -> recorded.putNull("env"));
            inputs.values().ifPresentOrElse(v -> recorded.put("values", v), () -> recorded.putNull("values"));
            inputs.sensitiveValues()
                    .ifPresentOrElse(
                            v -> recorded.put("sensitiveValues", v), () -> recorded.putNull("sensitiveValues"));
            inputs.root().ifPresentOrElse(v -> recorded.put("root", v), () -> recorded.putNull("root"));
            ArrayNode adopt = recorded.putArray("adopt");
            inputs.adopt().forEach(adopt::add);
            if (!inputs.payloadGates()) {
                recorded.put("payloadGates", false);
            }
            recorded.put("manifestsDigest", inputs.manifestsDigest());
            recorded.put("operationsDigest", operationsDigest(root.get("operations"), plan.sensitive()));
            ObjectNode packages = recorded.putObject("packages");
            plan.packages()
                    .forEach((codeSha256, code) -> packages.putObject(codeSha256)
                            .put("sourceSha256", code.sourceSha256())
                            .put("deflater", code.deflater()));
            ObjectNode live = root.putObject("liveFingerprint");
            plan.liveFingerprint().forEach(live::put);
        }
        return root;
    }
}
