package io.lambdaform.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The parts of {@code schemas/} that enumerate the kinds, written from {@link Kinds} so that nobody keeps them by
 * hand: {@code manifest.schema.json} (the document kinds, and which schema each dispatches to) and, in
 * {@code plan.schema.json}, the resource types and operation names a plan may hold. The build runs {@link #main} on
 * the top-level {@code schemas/} folder and on the copy in the classes; on CI ({@code CI=true}) a file that is out of
 * date fails the build instead, so that what is committed is what the code enumerates.
 */
public final class SchemaEnumerations {
    static final String MANIFEST_SCHEMA = "manifest.schema.json";
    static final String PLAN_SCHEMA = "plan.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaEnumerations() {}

    /** Updates the schemas in each folder given; with {@code --check}, fails instead when one is out of date. */
    public static void main(String[] args) throws IOException {
        boolean check = List.of(args).contains("--check")
                || "true".equalsIgnoreCase(System.getenv().getOrDefault("CI", ""));
        List<String> stale = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                continue;
            }
            Path folder = Path.of(arg);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            stale.addAll(update(folder.resolve(MANIFEST_SCHEMA), SchemaEnumerations::manifest, check));
            stale.addAll(update(folder.resolve(PLAN_SCHEMA), SchemaEnumerations::plan, check));
        }
        if (!stale.isEmpty()) {
            throw new IllegalStateException("schemas out of date with the registered kinds: " + String.join(", ", stale)
                    + "; run 'mvn -B -DskipTests package' without CI=true, and commit them");
        }
    }

    private static List<String> update(Path file, UnaryOperator<ObjectNode> writer, boolean check) throws IOException {
        String before = Files.readString(file, StandardCharsets.UTF_8);
        String after = text(writer.apply((ObjectNode) JSON.readTree(before)));
        if (after.equals(before)) {
            return List.of();
        }
        if (check) {
            return List.of(file.toString());
        }
        Files.writeString(file, after, StandardCharsets.UTF_8);
        return List.of();
    }

    /** {@code manifest.schema.json}: the kinds as manifests write them, each dispatching to its own schema. */
    static ObjectNode manifest(ObjectNode schema) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ArrayNode names = json.arrayNode();
        ArrayNode dispatch = json.arrayNode();
        for (String name : DocumentKind.manifestNames()) {
            names.add(name);
            ObjectNode branch = dispatch.addObject();
            branch.putObject("if").putObject("properties").putObject("kind").put("const", name);
            branch.putObject("then").put("$ref", DocumentKind.schemaName(name) + ".schema.json");
        }
        ((ObjectNode) schema.with("properties").with("kind")).set("enum", names);
        schema.set("allOf", dispatch);
        return schema;
    }

    /** {@code plan.schema.json}: the types of resources a plan names, and the operations it may hold. */
    static ObjectNode plan(ObjectNode schema) {
        ArrayNode types = JsonNodeFactory.instance.arrayNode();
        Kinds.ALL.stream().map(ResourceKind::label).forEach(types::add);
        ArrayNode operations = JsonNodeFactory.instance.arrayNode();
        Kinds.operationTypes().stream().map(Operation.Type::name).forEach(operations::add);
        ObjectNode operation = (ObjectNode) schema.at("/properties/operations/items/properties");
        ((ObjectNode) operation.get("type")).set("enum", types.deepCopy());
        ((ObjectNode) operation.get("operation")).set("enum", operations);
        ((ObjectNode) schema.at("/properties/conflicts/items/properties/type")).set("enum", types);
        return schema;
    }

    /** Two spaces of indentation, {@code "key": value}, one array item per line, a final newline. */
    static String text(JsonNode tree) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        try {
            return JSON.writer(printer).writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
