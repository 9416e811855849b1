package io.lambdaform.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.FuzzyMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the Stack's variables (default, then the chosen Environment, then --values) and interpolates
 * {@code ${var.NAME}} and {@code ${env.NAME}} (or {@code ${env.NAME:-default}}) in every string value of the other
 * documents; {@code $${} writes a literal {@code ${}. A string that is exactly one reference takes the variable's
 * type, so {@code memorySize: ${var.memory}} stays a number. Every problem is reported at the user's text.
 */
final class Variables {
    private static final Pattern NAME = Pattern.compile("^(var|env)\\.([A-Za-z_][A-Za-z0-9_]*)(:-(.*))?$");
    static final String VARIABLES_POINTER = "/spec/variables";
    static final String ALLOWED_ENVIRONMENT_POINTER = "/spec/allowedEnvironmentVariables";
    /**
     * Characters that substitution may put into a set's values, in all: 8 MiB. The reader's limits bound the text
     * before substitution; a long variable repeated in many strings (or through YAML aliases) would otherwise expand
     * a megabyte of manifests into gigabytes.
     */
    static final long MAX_SUBSTITUTED = 8L * 1024 * 1024;

    private final Map<String, Declaration> declarations = new TreeMap<>();
    private final Map<String, JsonNode> values = new TreeMap<>();
    private final Map<String, String> environmentUsed = new TreeMap<>();
    private final Set<String> unresolved = new HashSet<>();
    private final Set<String> sensitiveVariables = new TreeSet<>();
    private final Set<String> sensitiveValues = new TreeSet<>();
    private final Set<String> allowedEnvironment = new TreeSet<>();
    private final Map<String, String> processEnvironment;
    private final Problems problems;
    private final FuzzyMatcher suggestions;
    /** Uses of variables that have no value, by variable. */
    private final Map<String, List<Position>> missing = new TreeMap<>();

    private final Set<String> environmentNames = new TreeSet<>();
    /** Characters substitution has put into values so far; past {@link #MAX_SUBSTITUTED}, nothing more is. */
    private long substituted;

    private boolean substitutionRefused;
    private boolean environmentChosen;

    private record Declaration(String type, Optional<JsonNode> defaultValue, Position position, boolean sensitive) {}

    private Variables(Map<String, String> processEnvironment, Problems problems, FuzzyMatcher suggestions) {
        this.processEnvironment = processEnvironment;
        this.problems = problems;
        this.suggestions = suggestions;
    }

    /** Resolves the values; problems go to {@code problems}. */
    static Variables resolve(
            List<YamlDocument> documents,
            ManifestInputs inputs,
            Optional<YamlDocument> valuesFile,
            Optional<YamlDocument> sensitiveValuesFile,
            Problems problems,
            FuzzyMatcher suggestions) {
        Variables variables = new Variables(inputs.processEnvironment(), problems, suggestions);
        Map<String, YamlDocument> environments = new LinkedHashMap<>();
        for (YamlDocument document : documents) {
            String kind = document.root().path("kind").asText();
            if (kind.equals(DocumentKind.STACK_NAME) && variables.declarations.isEmpty()) {
                variables.declare(document);
            } else if (kind.equals(DocumentKind.ENVIRONMENT_NAME)
                    && document.root().path("name").isTextual()) {
                environments.putIfAbsent(document.root().path("name").asText(), document);
            }
        }
        variables.declarations.forEach((name, d) -> d.defaultValue().ifPresent(v -> variables.values.put(name, v)));
        variables.environmentNames.addAll(environments.keySet());
        variables.environmentChosen = inputs.environment().isPresent();
        if (inputs.environment().isPresent()) {
            String wanted = inputs.environment().get();
            YamlDocument environment = environments.get(wanted);
            if (environment == null) {
                problems.add(Diagnostic.inFile(
                        "",
                        "no Environment named '" + wanted + "' in the manifests"
                                + (environments.isEmpty()
                                        ? "; declare one with kind: Environment"
                                        : " (known: " + String.join(", ", environments.keySet()) + ")")
                                + suggestions.suggest(wanted, environments.keySet())));
            } else {
                variables.assign(environment, "/spec/values");
            }
        }
        valuesFile.ifPresent(file -> variables.assignFile(file, false));
        sensitiveValuesFile.ifPresent(file -> variables.assignFile(file, true));
        variables.values.forEach((name, value) -> {
            if (variables.sensitiveVariables.contains(name)) {
                variables.sensitiveValues.add(value.isTextual() ? value.asText() : value.toString());
            }
        });
        return variables;
    }

    private void assignFile(YamlDocument file, boolean sensitive) {
        if (!file.root().isObject()) {
            problems.at(file.start(), "a values file must be a mapping of variable names to values");
            return;
        }
        assign(file, "");
        if (sensitive) {
            file.root().fieldNames().forEachRemaining(sensitiveVariables::add);
        }
    }

    private void declare(YamlDocument stack) {
        stack.root().at(ALLOWED_ENVIRONMENT_POINTER).forEach(n -> allowedEnvironment.add(n.asText()));
        JsonNode declared = stack.root().at(VARIABLES_POINTER);
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String pointer = YamlDocument.child(VARIABLES_POINTER, entry.getKey());
            JsonNode spec = entry.getValue();
            Optional<JsonNode> defaultValue = Optional.ofNullable(spec.get("default"));
            String type = spec.path("type").asText("string");
            boolean sensitive = spec.path("sensitive").asBoolean(false);
            Declaration declaration = new Declaration(type, defaultValue, stack.keyAt(pointer), sensitive);
            declarations.put(entry.getKey(), declaration);
            if (sensitive) {
                sensitiveVariables.add(entry.getKey());
            }
            defaultValue.ifPresent(v ->
                    checkType(entry.getKey(), declaration, v, stack.valueAt(YamlDocument.child(pointer, "default"))));
        }
    }

    private void assign(YamlDocument document, String base) {
        for (Iterator<Map.Entry<String, JsonNode>> it = document.root().at(base).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String pointer = YamlDocument.child(base, name);
            Declaration declaration = declarations.get(name);
            if (declaration == null) {
                problems.at(
                        document.keyAt(pointer),
                        "unknown variable '" + name + "'; declare it under the Stack's" + " spec.variables"
                                + suggestions.suggest(name, declarations.keySet()));
                continue;
            }
            if (checkType(name, declaration, entry.getValue(), document.valueAt(pointer))) {
                values.put(name, entry.getValue());
            }
        }
    }

    private boolean checkType(String name, Declaration declaration, JsonNode value, Position position) {
        boolean ok = switch (declaration.type()) {
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber();
            case "boolean" -> value.isBoolean();
            default -> value.isTextual();
        };
        if (!ok) {
            problems.at(
                    position,
                    "variable '" + name + "' is declared as " + declaration.type() + " but this value is "
                            + SchemaValidator.kindName(value));
        }
        return ok;
    }

    /**
     * The document with every reference in its string values replaced; the Stack's declarations are left as they
     * are. {@code unresolvedPointers} receives the pointers of values whose references could not be resolved (already
     * reported), so that later checks do not report them again.
     */
    YamlDocument interpolate(YamlDocument document, Set<String> unresolvedPointers) {
        unresolved.clear();
        JsonNode root = interpolate(document, document.root(), Pointer.ROOT);
        unresolvedPointers.addAll(unresolved);
        return document.withRoot(root);
    }

    /** A JSON pointer built only when asked for: most values hold no reference and need none. */
    private record Pointer(Pointer parent, String segment) {
        static final Pointer ROOT = new Pointer(null, null);

        Pointer child(String key) {
            return new Pointer(this, key);
        }

        @Override
        public String toString() {
            return parent == null ? "" : YamlDocument.child(parent.toString(), segment);
        }
    }

    private JsonNode interpolate(YamlDocument document, JsonNode node, Pointer pointer) {
        if (pointer.parent() != null
                && pointer.parent().parent() != null
                && pointer.parent().parent().parent() == null
                && pointer.toString().equals(VARIABLES_POINTER)
                && document.root().path("kind").asText().equals(DocumentKind.STACK_NAME)) {
            return node;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields()
                    .forEachRemaining(
                            e -> copy.set(e.getKey(), interpolate(document, e.getValue(), pointer.child(e.getKey()))));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(interpolate(document, node.get(i), pointer.child(Integer.toString(i))));
            }
            return copy;
        }
        if (!node.isTextual() || !node.asText().contains("${")) {
            return node;
        }
        String at = pointer.toString();
        return substitute(node.asText(), document.valueAt(at), at);
    }

    /**
     * The text with its references replaced, scanning it once: {@code $${} writes {@code ${}, and {@code ${…}} is a
     * reference up to the first {@code }}. (A regular expression rescanned the rest of the text from every {@code ${}
     * that no {@code }} closes: a string of them took minutes.)
     */
    private JsonNode substitute(String text, Position position, String pointer) {
        StringBuilder result = new StringBuilder();
        JsonNode only = null;
        int references = 0;
        boolean wholeText = false;
        int last = 0;
        int from = 0;
        while (true) {
            int open = text.indexOf("${", from);
            if (open < 0) {
                break;
            }
            if (open - 1 >= from && text.charAt(open - 1) == '$') {
                result.append(text, last, open - 1).append("${");
                last = open + 2;
                from = open + 2;
                continue;
            }
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                // No reference can follow; what is left may still hold literals ($${).
                result.append(text.substring(last).replace("$${", "${"));
                last = text.length();
                break;
            }
            references++;
            JsonNode value = lookup(text.substring(open + 2, close).strip(), position);
            if (value == null) {
                unresolved.add(pointer);
                return JsonNodeFactory.instance.textNode(text);
            }
            String piece = value.isTextual() ? value.asText() : value.toString();
            if (!withinSubstitutionLimit(piece.length(), position, pointer)) {
                unresolved.add(pointer);
                return JsonNodeFactory.instance.textNode(text);
            }
            only = value;
            wholeText = open == 0 && close == text.length() - 1;
            result.append(text, last, open).append(piece);
            last = close + 1;
            from = close + 1;
        }
        result.append(text.substring(last));
        return references == 1 && wholeText ? only : JsonNodeFactory.instance.textNode(result.toString());
    }

    /**
     * Whether {@code length} more substituted characters stay within the set's limit; the first value that passes it
     * is reported (at the field), and every later substitution is refused without another report.
     */
    private boolean withinSubstitutionLimit(int length, Position position, String pointer) {
        if (!substitutionRefused && substituted + length <= MAX_SUBSTITUTED) {
            substituted += length;
            return true;
        }
        if (!substitutionRefused) {
            substitutionRefused = true;
            problems.at(
                    position,
                    "'" + SchemaValidator.fieldName(pointer) + "' passes the limit on substituted text: the values of a"
                            + " manifest set may hold at most " + MAX_SUBSTITUTED / (1024 * 1024) + " MiB ("
                            + String.format("%,d", MAX_SUBSTITUTED) + " characters) in all once their variables are"
                            + " substituted; use a long variable in fewer places (YAML aliases repeat it too)");
        }
        return false;
    }

    private JsonNode lookup(String reference, Position position) {
        Matcher name = NAME.matcher(reference);
        if (!name.matches()) {
            problems.at(
                    position,
                    "'${" + reference + "}' is not a reference Lambdaform knows: use ${var.NAME} for a"
                            + " variable or ${env.NAME} for an environment variable (write $${ for a literal ${)");
            return null;
        }
        String key = name.group(2);
        if (name.group(1).equals("env")) {
            Optional<String> denied = CredentialVariables.reason(key);
            if (denied.isPresent() && !allowedEnvironment.contains(key)) {
                problems.at(
                        position,
                        "${env." + key + "} is refused: " + denied.get() + ", which manifests may not"
                                + " read. If this manifest set really needs it, list " + key + " under the Stack's"
                                + " spec.allowedEnvironmentVariables (its value is still never shown)");
                return null;
            }
            String value = processEnvironment.get(key);
            if (value == null && name.group(3) == null) {
                problems.at(
                        position,
                        "environment variable " + key + " is not set (${env." + key + "}); set it,"
                                + " or give a default: ${env." + key + ":-value}");
                return null;
            }
            String resolved = value != null ? value : name.group(4);
            if (value != null) {
                sensitiveValues.add(value);
                environmentUsed.put(key, "");
            } else {
                environmentUsed.put(key, "default:" + resolved);
            }
            return JsonNodeFactory.instance.textNode(resolved);
        }
        if (name.group(3) != null) {
            problems.at(
                    position,
                    "${var." + key + ":-...} is not supported: give the variable a default under the"
                            + " Stack's spec.variables instead");
            return null;
        }
        if (!declarations.containsKey(key)) {
            problems.at(
                    position,
                    "undefined variable '" + key + "' in ${var." + key + "}; declare it under the Stack's"
                            + " spec.variables" + suggestions.suggest(key, declarations.keySet()));
            return null;
        }
        JsonNode value = values.get(key);
        if (value == null) {
            missing.computeIfAbsent(key, k -> new ArrayList<>()).add(position);
            return null;
        }
        return value;
    }

    /**
     * One problem per variable without a value, at its first use, naming the other uses: leaving out --env is one
     * mistake, however many places use the variables. Called once every document is interpolated.
     */
    void reportMissing() {
        Comparator<Position> order = Comparator.comparing(
                        (Position p) -> p.file().displayName())
                .thenComparingInt(Position::line)
                .thenComparingInt(Position::column);
        missing.forEach((key, uses) -> {
            List<Position> sorted = uses.stream().distinct().sorted(order).toList();
            String how;
            if (sensitiveVariables.contains(key)) {
                how = ": give it in a --sensitive-values file, a YAML mapping written from your CI's secrets (" + key
                        + ": …), whose values are never shown; a secret does not belong in the manifests, a --values"
                        + " file or a default";
            } else if (!environmentChosen && !environmentNames.isEmpty()) {
                how = ": choose an Environment with --env (this set has " + String.join(", ", environmentNames)
                        + "), set it in a --values file, or give it a default";
            } else {
                how = ": set it in the Environment chosen with --env, in a --values file, or give it a default";
            }
            StringBuilder others = new StringBuilder();
            if (sorted.size() > 1) {
                List<String> shown = sorted.subList(1, Math.min(sorted.size(), 4)).stream()
                        .map(Position::toString)
                        .toList();
                others.append(" (also used at ").append(String.join(", ", shown));
                if (sorted.size() > 4) {
                    others.append(" and ").append(sorted.size() - 4).append(" more places");
                }
                others.append(')');
            }
            String what = sensitiveVariables.contains(key) ? "sensitive variable '" : "variable '";
            problems.at(sorted.get(0), what + key + "' has no value" + how + others);
        });
        missing.clear();
    }

    /**
     * What the digest of a set's inputs covers besides the files: the values of the variables that are not sensitive,
     * and which environment variables were read. Sensitive values and values read from the environment are left out:
     * a saved plan must not let anyone confirm a guess of them offline (see docs/gitops.md, "Saved plans").
     */
    String fingerprint() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach(
                (name, value) -> shown.put(name, sensitiveVariables.contains(name) ? "(sensitive)" : value.toString()));
        return shown.toString() + environmentUsed;
    }

    /** The variables whose values are sensitive. */
    Set<String> sensitiveVariableNames() {
        return Collections.unmodifiableSet(sensitiveVariables);
    }

    /** The values that must never be shown: everything read from the environment and every sensitive variable's. */
    Set<String> sensitiveValues() {
        return Collections.unmodifiableSet(sensitiveValues);
    }
}
