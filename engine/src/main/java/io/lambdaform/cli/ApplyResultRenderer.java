package io.lambdaform.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanDocument;
import io.lambdaform.resource.Operation;

/** Renders what apply (or destroy) did, for machines (json, format version 1) and pull requests (markdown). */
final class ApplyResultRenderer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ApplyResultRenderer() {}

    /** "succeeded", "failed", "no-changes" or "conflicts". */
    static String status(Plan plan, ApplyResult result) {
        if (!plan.conflicts().isEmpty()) {
            return "conflicts";
        }
        if (result == null) {
            return "no-changes";
        }
        if (result.stoppedBy().isPresent()) {
            return "stopped";
        }
        return result.succeeded() ? "succeeded" : "failed";
    }

    static String json(Plan plan, ApplyResult result, String verb) {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", PlanDocument.FORMAT_VERSION);
        root.put("command", verb.toLowerCase());
        root.put("stack", plan.stackName());
        root.put("status", status(plan, result));
        root.set("plan", PlanDocument.tree(plan, null));
        ArrayNode outcomes = root.putArray("results");
        if (result != null) {
            for (ApplyResult.Outcome outcome : result.outcomes()) {
                ObjectNode node = outcomes.addObject();
                node.put("id", outcome.operation().id());
                node.put("status", outcome.status().name().toLowerCase());
                outcome.error().ifPresentOrElse(e -> node.put("error", e), () -> node.putNull("error"));
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String markdown(Plan plan, ApplyResult result, String verb) {
        StringBuilder md = new StringBuilder("### Lambdaform " + verb.toLowerCase() + ": stack `" + plan.stackName()
                + "` on " + plan.target().kind() + " (account " + plan.target().accountId() + ", region "
                + plan.target().region() + ")\n\n");
        String status = status(plan, result);
        md.append(
                switch (status) {
                    case "no-changes" -> "**No changes.** The target matches the manifests.\n";
                    case "conflicts" ->
                        "**Nothing was changed:** " + plan.conflicts().size() + " conflict(s).\n";
                    case "succeeded" -> "**" + verb + " complete:** " + plan.summary() + ".\n";
                    case "stopped" ->
                        "**" + verb + " stopped by " + result.stoppedBy().get() + ":** "
                                + result.withStatus(ApplyResult.Status.SUCCEEDED)
                                        .size() + " of " + result.outcomes().size() + " operation(s) done.\n";
                    default ->
                        "**" + verb + " failed:** "
                                + result.withStatus(ApplyResult.Status.SUCCEEDED)
                                        .size() + " of " + result.outcomes().size() + " operation(s) done.\n";
                });
        if (result != null) {
            md.append("\n| Status | Resource | Operation | Error |\n| --- | --- | --- | --- |\n");
            for (ApplyResult.Outcome outcome : result.outcomes()) {
                Operation operation = outcome.operation().operation();
                md.append("| ")
                        .append(outcome.status().name().toLowerCase().replace('_', ' '))
                        .append(" | ")
                        .append(operation.key().type())
                        .append(" `")
                        .append(operation.key().name())
                        .append("` | ")
                        .append(plan.summary(operation).replace("|", "\\|"))
                        .append(" | ")
                        .append(outcome.error()
                                .map(e -> e.replace("|", "\\|").replace("\n", " "))
                                .orElse(""))
                        .append(" |\n");
            }
        }
        return md.toString();
    }
}
