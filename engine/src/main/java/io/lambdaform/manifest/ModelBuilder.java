package io.lambdaform.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Function;
import io.lambdaform.model.FunctionSettings;
import io.lambdaform.model.Kind;
import io.lambdaform.model.Payload;
import io.lambdaform.model.Role;
import io.lambdaform.model.RoleRef;
import io.lambdaform.model.Sensitive;
import io.lambdaform.model.Stack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Builds the desired {@link Stack} from schema-valid documents, with the checks a schema cannot express: one Stack,
 * unique names, references between documents, Lambda's environment limits, handler versus runtime, and the files
 * the manifests point to.
 */
final class ModelBuilder {
    /** Lambda's limit on the total size of a function's environment variables. */
    static final int MAX_ENVIRONMENT_BYTES = 4096;

    static final Set<String> RESERVED_ENVIRONMENT_KEYS = Set.of(
            "_HANDLER",
            "_X_AMZN_TRACE_ID",
            "AWS_DEFAULT_REGION",
            "AWS_REGION",
            "AWS_EXECUTION_ENV",
            "AWS_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_XRAY_CONTEXT_MISSING",
            "AWS_XRAY_DAEMON_ADDRESS",
            "LAMBDA_TASK_ROOT",
            "LAMBDA_RUNTIME_DIR",
            "TZ");

    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/.+$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Problems problems;
    private final ConfinedFiles files;
    private final Sensitive sensitive;
    private final Map<String, YamlDocument> stacks = new LinkedHashMap<>();
    private final Map<String, YamlDocument> roles = new LinkedHashMap<>();
    private final Map<String, YamlDocument> functions = new LinkedHashMap<>();
    private final Map<String, YamlDocument> payloads = new LinkedHashMap<>();
    private final Map<String, YamlDocument> environments = new LinkedHashMap<>();
    /** Every uniquely named document of a known kind, valid or not: semantic checks run on all of them. */
    private final List<YamlDocument> documents = new ArrayList<>();

    ModelBuilder(Problems problems, ConfinedFiles files, Sensitive sensitive) {
        this.problems = problems;
        this.files = files;
        this.sensitive = sensitive;
    }

    /**
     * Registers a document's kind and name, even a schema-invalid one: references to it do not dangle, and its
     * semantic checks still run, so one run reports every problem.
     */
    void add(YamlDocument document, boolean schemaValid) {
        Optional<Kind> known = Kind.named(document.root().path("kind").asText(""));
        if (known.isEmpty()) {
            return; // the schema validator reports an unknown kind
        }
        Kind kind = known.get();
        JsonNode nameNode = document.root().path("name");
        if (!nameNode.isTextual()) {
            if (schemaValid) {
                problems.at(document.start(), "missing 'name'");
            }
            return;
        }
        if (sensitive.appearsIn(nameNode.asText())) {
            problems.at(
                    document.valueAt("/name"),
                    "a name cannot hold a sensitive value (one read with ${env.…}, a"
                            + " sensitive variable's or a secret): names appear in ARNs, logs and every plan. Take it from a"
                            + " variable that an Environment or --values sets");
        }
        JsonNode path = document.root().path("spec").path("path");
        if (kind == Kind.ROLE && path.isTextual() && sensitive.appearsIn(path.asText())) {
            problems.at(
                    document.valueAt("/spec/path"),
                    "a role's path cannot hold a sensitive value: it is part of"
                            + " the role's ARN, which appears in logs and every plan");
        }
        Map<String, YamlDocument> index = switch (kind) {
            case STACK -> stacks;
            case ROLE -> roles;
            case FUNCTION -> functions;
            case PAYLOAD -> payloads;
            case ENVIRONMENT -> environments;
        };
        if (kind == Kind.ENVIRONMENT) {
            index.putIfAbsent(nameNode.asText(), document);
            return;
        }
        String name = nameNode.asText();
        YamlDocument first = index.putIfAbsent(name, document);
        if (first != null) {
            problems.at(
                    document.valueAt("/name"),
                    "duplicate " + kind.manifestName() + " name '" + name + "': already declared at "
                            + first.valueAt("/name"));
            return;
        }
        if (kind == Kind.STACK && stacks.size() > 1) {
            YamlDocument firstStack = stacks.values().iterator().next();
            problems.at(
                    document.valueAt("/kind"),
                    "more than one Stack in this manifest set: another is declared at " + firstStack.valueAt("/kind")
                            + "; a set deploys exactly one stack");
            return;
        }
        documents.add(document);
    }

    /** Builds the stack; a missing Stack is reported only when every file could be read (else it is a consequence). */
    Optional<Stack> build(String firstFile, boolean allFilesRead) {
        if (stacks.isEmpty() && allFilesRead) {
            problems.add(Diagnostic.inFile(
                    firstFile,
                    "no Stack document in this manifest set; add one, for example:"
                            + "\n    kind: Stack\n    name: my-app\n    spec:\n      region: us-east-1"));
        }
        String stackName = null;
        Optional<String> region = Optional.empty();
        Map<String, String> stackTags = Map.of();
        List<Role> roleModels = new ArrayList<>();
        List<Function> functionModels = new ArrayList<>();
        List<Payload> payloadModels = new ArrayList<>();
        for (YamlDocument document : documents) {
            String name = document.root().get("name").asText();
            JsonNode spec = document.root().path("spec");
            switch (Kind.named(document.root().path("kind").asText()).orElseThrow()) {
                case STACK -> {
                    stackName = name;
                    region = text(spec, "region");
                    stackTags = strings(spec.path("tags"));
                }
                case ROLE -> roleModels.add(role(name, spec));
                case FUNCTION -> function(document, name, spec).ifPresent(functionModels::add);
                case PAYLOAD -> payload(document, name, spec).ifPresent(payloadModels::add);
                case ENVIRONMENT -> throw new IllegalStateException("environments are not model documents");
            }
        }
        if (!problems.isEmpty() || stackName == null) {
            return Optional.empty();
        }
        return Optional.of(new Stack(
                stackName, region, new TreeMap<>(stackTags), roleModels, functionModels, payloadModels, sensitive));
    }

    private Role role(String name, JsonNode spec) {
        String trust;
        if (spec.path("assumeRolePolicyDocument").isObject()) {
            trust = spec.get("assumeRolePolicyDocument").toString();
        } else {
            List<String> services = new ArrayList<>();
            spec.path("trustedServices").forEach(s -> services.add(s.asText()));
            trust = trustPolicy(services.isEmpty() ? List.of("lambda.amazonaws.com") : services);
        }
        Map<String, String> inline = new TreeMap<>();
        spec.path("inlinePolicies")
                .fields()
                .forEachRemaining(e -> inline.put(e.getKey(), e.getValue().toString()));
        Set<String> managed = new TreeSet<>();
        spec.path("managedPolicyArns").forEach(a -> managed.add(a.asText()));
        return new Role(
                name,
                text(spec, "path").orElse(Role.DEFAULT_PATH),
                text(spec, "description").orElse(""),
                trust,
                new TreeSet<>(managed),
                new TreeMap<>(inline),
                new TreeMap<>(strings(spec.path("tags"))),
                spec.path("maxSessionDuration").asInt(Role.DEFAULT_MAX_SESSION_DURATION),
                text(spec, "permissionsBoundary"));
    }

    /** The trust policy that lets the given service principals assume a role. */
    static String trustPolicy(List<String> services) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("Effect", "Allow");
        ObjectNode principal = statement.putObject("Principal");
        if (services.size() == 1) {
            principal.put("Service", services.get(0));
        } else {
            ArrayNode list = principal.putArray("Service");
            services.forEach(list::add);
        }
        statement.put("Action", "sts:AssumeRole");
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("Version", "2012-10-17");
        document.putArray("Statement").add(statement);
        return document.toString();
    }

    private Optional<Function> function(YamlDocument document, String name, JsonNode spec) {
        int before = problemCount();
        String runtime = spec.path("runtime").asText();
        String handler = spec.path("handler").asText();
        if (spec.path("handler").isTextual()) {
            Runtimes.checkHandler(runtime, handler)
                    .ifPresent(m -> problems.at(
                            document.valueAt("/spec/handler"),
                            sensitive.appearsIn(handler)
                                    ? "the handler holds a sensitive value that is not a valid handler"
                                            + " for runtime " + sensitive.mask(runtime)
                                    : m));
        }
        RoleRef role = spec.path("role").isTextual()
                ? roleRef(document, spec.get("role").asText())
                : null;
        Optional<CodeSource> code = code(document, spec.path("code"));
        code.ifPresent(c -> checkHandlerFile(document, c, runtime, handler));

        Map<String, String> environment = new TreeMap<>();
        TreeSet<String> secrets = new TreeSet<>();
        int environmentBytes = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            String pointer = YamlDocument.child("/spec/environment", key);
            if (RESERVED_ENVIRONMENT_KEYS.contains(key) || key.startsWith("AWS_LAMBDA_")) {
                problems.at(
                        document.keyAt(pointer),
                        "environment variable '" + key + "' is reserved by Lambda and cannot be set; rename it");
            }
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                if (value.path("secret").asBoolean(false)) {
                    secrets.add(key);
                }
                value = value.get("value");
                if (value == null) {
                    continue; // the schema reports the missing value
                }
            }
            String text = value.asText();
            environment.put(key, text);
            environmentBytes +=
                    key.getBytes(StandardCharsets.UTF_8).length + text.getBytes(StandardCharsets.UTF_8).length;
        }
        if (environmentBytes > MAX_ENVIRONMENT_BYTES) {
            problems.at(
                    document.keyAt("/spec/environment"),
                    "environment variables take " + environmentBytes
                            + " bytes in total; Lambda allows at most 4 KB (" + MAX_ENVIRONMENT_BYTES
                            + " bytes of keys and values). Move large values to a parameter store or a file in the package");
        }

        List<String> architectures = new ArrayList<>();
        spec.path("architectures").forEach(a -> architectures.add(a.asText()));
        List<String> layers = new ArrayList<>();
        spec.path("layers").forEach(l -> layers.add(l.asText()));

        FunctionSettings settings = new FunctionSettings(
                runtime,
                handler,
                text(spec, "description").orElse(""),
                spec.path("memorySize").asInt(FunctionSettings.DEFAULT_MEMORY_SIZE),
                spec.path("timeout").asInt(FunctionSettings.DEFAULT_TIMEOUT),
                new TreeMap<>(environment),
                architectures.isEmpty() ? FunctionSettings.DEFAULT_ARCHITECTURES : architectures,
                spec.path("ephemeralStorage").path("size").asInt(FunctionSettings.DEFAULT_EPHEMERAL_STORAGE),
                layers,
                text(spec.path("tracingConfig"), "mode"),
                text(spec, "kmsKeyArn"),
                text(spec.path("deadLetterConfig"), "targetArn"),
                vpc(spec.path("vpcConfig")),
                logging(spec.path("loggingConfig")),
                fileSystems(spec.path("fileSystemConfigs")),
                text(spec.path("snapStart"), "applyOn"));
        if (problemCount() > before || code.isEmpty() || role == null) {
            return Optional.empty();
        }
        return Optional.of(
                new Function(name, code.get(), role, settings, secrets, new TreeMap<>(strings(spec.path("tags")))));
    }

    private RoleRef roleRef(YamlDocument document, String role) {
        if (role.contains("${")) {
            return new RoleRef.StackRole(role);
        }
        if (role.startsWith("arn:")) {
            if (!ROLE_ARN.matcher(role).matches()) {
                problems.at(
                        document.valueAt("/spec/role"),
                        "role '" + role + "' is not a role ARN: expected arn:aws:iam::<12-digit account>:role/<name>");
            }
            return new RoleRef.External(role);
        }
        if (!roles.containsKey(role)) {
            problems.at(
                    document.valueAt("/spec/role"),
                    "role '" + role + "' is not a Role of this manifest set;"
                            + " declare it (kind: Role) or give the ARN of a role managed elsewhere"
                            + (sensitive.appearsIn(role) ? "" : FuzzyMatcher.suggestion(role, roles.keySet())));
        }
        return new RoleRef.StackRole(role);
    }

    private Optional<CodeSource> code(YamlDocument document, JsonNode code) {
        if (!code.isTextual() && !code.path("path").isTextual()) {
            return Optional.empty();
        }
        String pointer = code.isObject() ? "/spec/code/path" : "/spec/code";
        String relative = code.isObject() ? code.get("path").asText() : code.asText();
        List<String> excludes = new ArrayList<>();
        code.path("exclude").forEach(e -> excludes.add(e.asText()));
        Optional<Path> resolved = files.resolve(
                document, relative, ConfinedFiles.Want.FILE_OR_FOLDER, document.valueAt(pointer), problems);
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Path path = resolved.get();
        CodeSource.Kind kind;
        if (Files.isDirectory(path)) {
            kind = CodeSource.Kind.FOLDER;
        } else {
            String lower = path.getFileName().toString().toLowerCase();
            kind = lower.endsWith(".zip") || lower.endsWith(".jar") ? CodeSource.Kind.ARCHIVE : CodeSource.Kind.FILE;
        }
        for (int i = 0; i < excludes.size(); i++) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + excludes.get(i));
            } catch (IllegalArgumentException e) {
                problems.at(
                        document.valueAt("/spec/code/exclude/" + i),
                        "code.exclude pattern is not a valid glob" + " (check its brackets and braces)");
            }
        }
        if (kind != CodeSource.Kind.FOLDER && !excludes.isEmpty()) {
            problems.at(document.valueAt("/spec/code/exclude"), "code.exclude applies only when code.path is a folder");
        }
        return Optional.of(new CodeSource(path.normalize(), kind, excludes));
    }

    private void checkHandlerFile(YamlDocument document, CodeSource code, String runtime, String handler) {
        List<String> candidates = Runtimes.handlerFiles(runtime, handler);
        if (candidates.stream()
                .anyMatch(c -> c.startsWith("/")
                        || c.startsWith("\\")
                        || c.equals("..")
                        || c.startsWith("../")
                        || c.contains("/../"))) {
            problems.at(
                    document.valueAt("/spec/handler"),
                    "the handler's module must be a file inside the code:" + " no absolute path and no '..'");
            return;
        }
        if (candidates.isEmpty() || code.kind() == CodeSource.Kind.ARCHIVE) {
            return;
        }
        boolean found = code.kind() == CodeSource.Kind.FILE
                ? candidates.contains(code.path().getFileName().toString())
                : candidates.stream()
                        .anyMatch(c -> Files.isRegularFile(code.path().resolve(c)));
        if (!found) {
            problems.at(
                    document.valueAt("/spec/handler"),
                    sensitive.appearsIn(handler)
                            ? "the handler holds a sensitive value, and the code has no file for it"
                            : "handler '" + handler + "' needs " + candidates.get(0) + " in the code, but "
                                    + code.path().getFileName() + " has no such file");
        }
    }

    private Optional<Payload> payload(YamlDocument document, String name, JsonNode spec) {
        int before = problemCount();
        String function = spec.path("function").asText();
        if (spec.path("function").isTextual() && !function.contains("${") && !functions.containsKey(function)) {
            problems.at(
                    document.valueAt("/spec/function"),
                    "function '" + function
                            + "' is not a Function of this manifest set"
                            + (sensitive.appearsIn(function)
                                    ? ""
                                    : FuzzyMatcher.suggestion(function, functions.keySet())));
        }
        String event = "{}";
        if (spec.has("event")) {
            event = spec.get("event").toString();
        } else if (spec.path("eventFile").isTextual()) {
            String written = spec.get("eventFile").asText();
            Position at = document.valueAt("/spec/eventFile");
            Optional<Path> file = files.resolve(document, written, ConfinedFiles.Want.FILE, at, problems);
            if (file.isPresent()) {
                event = readEvent(file.get(), written, at).orElse(event);
            }
        }
        JsonNode expect = spec.path("expect");
        Optional<Payload.Outcome> outcome = text(expect, "outcome")
                .map(o -> o.equals("success") ? Payload.Outcome.SUCCESS : Payload.Outcome.FUNCTION_ERROR);
        Optional<String> result =
                expect.has("result") ? Optional.of(expect.get("result").toString()) : Optional.empty();
        if (problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Payload(
                name, function, event, new Payload.Expectation(outcome, result, text(expect, "logContains"))));
    }

    /** The event as compact JSON; a message about a bad file names where it is wrong, never what it holds. */
    private Optional<String> readEvent(Path file, String written, Position at) {
        try {
            return Optional.of(JSON.readTree(Files.readAllBytes(file)).toString());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            problems.at(at, "event file '" + written + "' is not valid JSON" + where);
        } catch (IOException e) {
            problems.at(
                    at,
                    "cannot read event file '" + written + "': " + e.getClass().getSimpleName());
        }
        return Optional.empty();
    }

    private static Optional<FunctionSettings.VpcConfig> vpc(JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(new FunctionSettings.VpcConfig(
                list(node.path("subnetIds")),
                list(node.path("securityGroupIds")),
                node.path("ipv6AllowedForDualStack").asBoolean(false)));
    }

    private static Optional<FunctionSettings.LoggingConfig> logging(JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(new FunctionSettings.LoggingConfig(
                text(node, "logFormat").orElse("Text"),
                text(node, "applicationLogLevel"),
                text(node, "systemLogLevel"),
                text(node, "logGroup")));
    }

    private static Optional<List<FunctionSettings.FileSystemConfig>> fileSystems(JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        List<FunctionSettings.FileSystemConfig> configs = new ArrayList<>();
        node.forEach(c -> configs.add(new FunctionSettings.FileSystemConfig(
                c.path("arn").asText(), c.path("localMountPath").asText())));
        return Optional.of(configs);
    }

    private static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new TreeMap<>();
        object.fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    private int problemCount() {
        return problems.size();
    }
}
