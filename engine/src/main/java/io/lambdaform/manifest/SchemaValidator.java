package io.lambdaform.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.Quoted;
import io.lambdaform.model.Sensitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validates documents against the JSON Schemas in {@code schemas/} (on the classpath), the single source of truth,
 * and turns each violation into a diagnostic in the user's terms, at the offending key or value.
 */
public final class SchemaValidator {
    public static final List<String> KINDS = DocumentKind.manifestNames();

    private static final Map<String, JsonNode> SCHEMA_DOCUMENTS = new ConcurrentHashMap<>();

    /**
     * The compiled schemas, loaded on a thread of their own from construction on: loading them takes about a fifth of
     * a second, which overlaps the command line's parsing and the reading of the manifests instead of adding to it.
     */
    private final CompletableFuture<Map<String, JsonSchema>> schemas;

    public SchemaValidator() {
        this.schemas = new CompletableFuture<>();
        Thread loader = new Thread(
                () -> {
                    try {
                        schemas.complete(loadAll());
                    } catch (RuntimeException | Error e) {
                        schemas.completeExceptionally(e);
                    }
                },
                "lambdaform-schemas");
        loader.setDaemon(true);
        loader.start();
    }

    private static Map<String, JsonSchema> loadAll() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        return KINDS.stream()
                .collect(Collectors.toUnmodifiableMap(k -> k, k -> load(factory, config, DocumentKind.schemaName(k))));
    }

    private JsonSchema schema(String kind) {
        try {
            return schemas.join().get(kind);
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private static JsonSchema load(JsonSchemaFactory factory, SchemaValidatorsConfig config, String name) {
        JsonSchema schema = factory.getSchema(SchemaLocation.of("classpath:schemas/" + name + ".schema.json"), config);
        schema.initializeValidators();
        return schema;
    }

    /** Checks one document; returns true when it is valid and can be built into the model. */
    public boolean validate(YamlDocument document, Problems problems) {
        return validate(document, problems, Set.of(), Sensitive.NONE, FuzzyMatcher.forManifestSet());
    }

    /**
     * Checks one document, leaving out values at {@code skip} pointers (their problem was already reported); a problem
     * with a value that holds a sensitive value names the field and the rule, never the value, anything derived from
     * it, or a suggestion close to it. Suggestions are paid from {@code suggestions}, the set's budget.
     */
    public boolean validate(
            YamlDocument document, Problems problems, Set<String> skip, Sensitive sensitive, FuzzyMatcher suggestions) {
        JsonNode root = document.root();
        if (!root.isObject()) {
            problems.at(
                    document.start(),
                    "a manifest document must be a mapping with 'kind', 'name' and 'spec', found " + typeName(root));
            return false;
        }
        JsonNode kind = root.get("kind");
        if (kind == null) {
            problems.at(
                    document.start(),
                    "missing 'kind': expected one of " + String.join(", ", KINDS) + " (if this file is not a Lambdaform"
                            + " manifest, name the folder of your manifests instead of one that holds other YAML)");
            return false;
        }
        JsonSchema schema = kind.isTextual() ? schema(kind.asText()) : null;
        if (schema == null) {
            problems.at(
                    document.valueAt("/kind"),
                    "unknown kind " + kind + ": expected one of " + String.join(", ", KINDS)
                            + suggestions.suggest(kind.asText(), KINDS));
            return false;
        }
        Set<ValidationMessage> messages = schema.validate(root);
        for (ValidationMessage message : dropRedundant(messages)) {
            String at = message.getInstanceLocation().toString();
            if (!atOrUnderAny(skip, at)) {
                report(document, message, problems, sensitive, suggestions);
            }
        }
        return messages.isEmpty();
    }

    /**
     * A failing {@code not}/{@code oneOf} branch also reports its inner failures; keep the most specific ones: a
     * {@code oneOf} goes when a more specific message is at its value or under it, and a {@code type} goes when a
     * {@code oneOf} is at its value. Sorted locations make it linear in the messages (thousands in a hostile document).
     */
    private static List<ValidationMessage> dropRedundant(Set<ValidationMessage> messages) {
        TreeSet<String> specific = new TreeSet<>();
        Set<String> oneOfs = new HashSet<>();
        for (ValidationMessage message : messages) {
            String type = message.getType();
            String at = message.getInstanceLocation().toString();
            if (type.equals("oneOf")) {
                oneOfs.add(at);
            } else if (!type.equals("type") && !type.equals("const")) {
                specific.add(at);
            }
        }
        List<ValidationMessage> kept = new ArrayList<>(messages);
        kept.removeIf(m -> m.getType().equals("oneOf")
                && hasAtOrUnder(specific, m.getInstanceLocation().toString()));
        kept.removeIf(m -> m.getType().equals("type")
                && oneOfs.contains(m.getInstanceLocation().toString()));
        return kept;
    }

    /** Whether {@code pointer} is one of {@code pointers} or under one: its ancestors are looked up, one per level. */
    private static boolean atOrUnderAny(Set<String> pointers, String pointer) {
        if (pointers.isEmpty()) {
            return false;
        }
        for (int end = pointer.length(); end >= 0; end = pointer.lastIndexOf('/', end - 1)) {
            if (pointers.contains(pointer.substring(0, end))) {
                return true;
            }
            if (end == 0) {
                break;
            }
        }
        return false;
    }

    /** Whether {@code locations} holds {@code location} or a location under it. */
    private static boolean hasAtOrUnder(TreeSet<String> locations, String location) {
        String first = locations.ceiling(location);
        if (first != null && first.equals(location)) {
            return true;
        }
        String under = locations.ceiling(location + "/");
        return under != null && under.startsWith(location + "/");
    }

    private static void report(
            YamlDocument document,
            ValidationMessage message,
            Problems problems,
            Sensitive sensitive,
            FuzzyMatcher suggestions) {
        String pointer = message.getInstanceLocation().toString();
        String field = fieldName(pointer);
        String kind = document.root().path("kind").asText();
        JsonNode instance = message.getInstanceNode();
        Object[] arguments = message.getArguments() == null ? new Object[0] : message.getArguments();
        if (instance != null
                && sensitive.appearsIn(instance.isValueNode() ? instance.asText() : instance.toString())
                && !message.getType().equals("additionalProperties")
                && !message.getType().equals("required")) {
            problems.at(
                    document.valueAt(pointer),
                    "'" + field + "' holds a sensitive value that fails the schema's '"
                            + message.getType() + "' check"
                            + (arguments.length > 0
                                            && !message.getType().equals("type")
                                            && !message.getType().equals("enum")
                                    ? " (" + arguments[0] + ")"
                                    : "")
                            + "; the value is not shown");
            return;
        }
        switch (message.getType()) {
            case "additionalProperties" -> {
                String property = message.getProperty();
                Set<String> allowed = allowedProperties(message);
                String where = field.isEmpty() ? kind : kind + " " + field;
                problems.at(
                        document.keyAt(YamlDocument.child(pointer, property)),
                        "unknown field '" + property
                                + "' in " + where + suggestions.suggest(property, allowed)
                                + (allowed.isEmpty() ? "" : " (allowed: " + String.join(", ", allowed) + ")"));
            }
            case "required" ->
                problems.at(
                        document.keyAt(pointer),
                        "missing required field '" + qualified(field, message.getProperty()) + "'");
            case "type" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' must be "
                                + article(String.valueOf(arguments.length > 1 ? arguments[1] : "?")) + ", found "
                                + typeName(instance));
            case "enum" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' has " + shown(instance)
                                + ", expected one of " + enumValues(message.getSchemaNode())
                                + suggestions.suggest(instance.asText(), enumList(message.getSchemaNode())));
            case "const" ->
                problems.at(document.valueAt(pointer), "'" + field + "' must be " + message.getSchemaNode());
            case "minimum", "exclusiveMinimum" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' is " + instance + ", below the minimum of " + arguments[0] + limitHint(field));
            case "maximum", "exclusiveMaximum" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' is " + instance + ", above the maximum of " + arguments[0] + limitHint(field));
            case "pattern" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' has " + shown(instance) + ", which does not match the required pattern "
                                + arguments[0]);
            case "maxLength" ->
                problems.at(
                        document.valueAt(pointer), "'" + field + "' is longer than " + arguments[0] + " characters");
            case "minLength" -> problems.at(document.valueAt(pointer), "'" + field + "' must not be empty");
            case "maxItems" ->
                problems.at(document.valueAt(pointer), "'" + field + "' has more than " + arguments[0] + " items");
            case "minItems" ->
                problems.at(document.valueAt(pointer), "'" + field + "' needs at least " + arguments[0] + " item(s)");
            case "maxProperties" ->
                problems.at(document.valueAt(pointer), "'" + field + "' has more than " + arguments[0] + " entries");
            case "uniqueItems" -> problems.at(document.valueAt(pointer), "'" + field + "' lists a value twice");
            case "not" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' sets fields that exclude each " + "other: "
                                + String.join(" and ", requiredOf(message.getSchemaNode())) + "; keep one");
            case "oneOf" ->
                problems.at(
                        document.valueAt(pointer),
                        "'" + field + "' has " + shown(instance) + ", expected " + shapes(message.getSchemaNode()));
            default -> problems.at(document.valueAt(pointer), "'" + field + "': " + stripPath(message));
        }
    }

    /** "/spec/layers/0" → "spec.layers[0]". */
    static String fieldName(String pointer) {
        StringBuilder name = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            String key = part.replace("~1", "/").replace("~0", "~");
            if (key.chars().allMatch(Character::isDigit)) {
                name.append('[').append(key).append(']');
            } else {
                name.append(name.length() == 0 ? "" : ".").append(key);
            }
        }
        return name.toString();
    }

    private static String qualified(String field, String property) {
        return field.isEmpty() ? property : field + "." + property;
    }

    /** The properties a schema declares next to the 'additionalProperties' that rejected a field. */
    private static Set<String> allowedProperties(ValidationMessage message) {
        String location = message.getSchemaLocation().toString();
        int hash = location.indexOf('#');
        String file = location.substring(0, hash).replace("classpath:", "");
        String fragment = location.substring(hash + 1);
        String parent = fragment.substring(0, fragment.lastIndexOf('/'));
        Set<String> names = new TreeSet<>();
        streamNames(schemaDocument(file).at(parent).path("properties")).forEach(names::add);
        return names;
    }

    private static JsonNode schemaDocument(String resource) {
        return SCHEMA_DOCUMENTS.computeIfAbsent(resource, r -> {
            try (var in = SchemaValidator.class.getClassLoader().getResourceAsStream(r)) {
                return in == null ? JsonNodeFactory.instance.objectNode() : new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String enumValues(JsonNode schemaNode) {
        return String.join(", ", enumList(schemaNode));
    }

    private static List<String> enumList(JsonNode schemaNode) {
        List<String> values = new ArrayList<>();
        if (schemaNode != null && schemaNode.isArray()) {
            schemaNode.forEach(v -> values.add(v.asText()));
        }
        return values;
    }

    private static List<String> requiredOf(JsonNode schemaNode) {
        List<String> names = new ArrayList<>();
        if (schemaNode != null) {
            schemaNode.path("required").forEach(n -> names.add(n.asText()));
        }
        return names;
    }

    private static String shapes(JsonNode oneOf) {
        List<String> shapes = new ArrayList<>();
        if (oneOf != null && oneOf.isArray()) {
            for (JsonNode branch : oneOf) {
                if (branch.has("const")) {
                    shapes.add(branch.get("const").toString());
                } else if (branch.has("type")) {
                    String type = branch.get("type").isArray()
                            ? streamText(branch.get("type")).collect(Collectors.joining(" or "))
                            : branch.get("type").asText();
                    if (branch.has("properties")) {
                        type += " with " + streamNames(branch.get("properties")).collect(Collectors.joining(", "));
                    }
                    shapes.add(type);
                } else if (branch.has("$ref")) {
                    String ref = branch.get("$ref").asText();
                    shapes.add(ref.substring(ref.lastIndexOf('/') + 1));
                }
            }
        }
        return shapes.isEmpty() ? "another shape" : String.join(", or ", shapes);
    }

    private static Stream<String> streamText(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values.stream();
    }

    private static Stream<String> streamNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names.stream();
    }

    private static String limitHint(String field) {
        if (field.endsWith("memorySize")) {
            return " (Lambda accepts 128 to 10240 MB)";
        }
        if (field.endsWith("timeout")) {
            return " (Lambda accepts 1 to 900 seconds)";
        }
        if (field.endsWith("ephemeralStorage.size")) {
            return " (Lambda accepts 512 to 10240 MB)";
        }
        return "";
    }

    private static String shown(JsonNode node) {
        if (node == null) {
            return "no value";
        }
        return node.isTextual() ? "'" + Quoted.shortened(node.asText()) + "'" : Quoted.shortened(node.toString());
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            default -> "a " + type;
        };
    }

    /** The kind of a value, without the value: "a string", "an integer", ... */
    static String kindName(JsonNode node) {
        String name = typeName(node);
        int paren = name.indexOf(" (");
        return paren > 0 && !name.startsWith("nothing") ? name.substring(0, paren) : name;
    }

    static String typeName(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing (null)";
        }
        if (node.isIntegralNumber()) {
            return "an integer (" + node + ")";
        }
        if (node.isNumber()) {
            return "a number (" + node + ")";
        }
        if (node.isTextual()) {
            return "a string ('" + Quoted.shortened(node.asText()) + "')";
        }
        if (node.isBoolean()) {
            return "a boolean (" + node + ")";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "a mapping";
    }

    private static String stripPath(ValidationMessage message) {
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        return colon > 0 && text.startsWith("/") ? text.substring(colon + 2) : text;
    }
}
