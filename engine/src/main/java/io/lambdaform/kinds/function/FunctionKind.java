package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.LambdaformException;
import io.lambdaform.Quoted;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.bucket.BucketKind;
import io.lambdaform.kinds.layer.LayerKind;
import io.lambdaform.kinds.layer.Layers;
import io.lambdaform.kinds.loggroup.LogGroupKind;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.role.RolePermissions;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Fingerprints;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.Tagging;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Lambda functions: read from {@code kind: Function} documents (with Lambda's environment limits, the handler
 * against the runtime and the code), diffed by configuration field and by package (CodeSha256 and source digest),
 * created after their stack role's operations; pruned before the roles.
 */
public final class FunctionKind extends AbstractResourceKind<Function, FunctionState, Functions> {
    /** How long a code build may run when the manifest does not say. */
    static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofMinutes(10);

    public static final FunctionKind KIND = new FunctionKind();

    /** The digest of the contents of the package Lambdaform last uploaded. */
    public static final String SOURCE_TAG = "lambdaform:source-sha256";
    /** The CodeSha256 of the package Lambdaform last uploaded. */
    public static final String CODE_TAG = "lambdaform:code-sha256";
    /** On a function that publishes versions: where the stack's aliases are looked for. */
    public static final String PUBLISH_TAG = "lambdaform:publish";

    /** Set by triggers on their function ({@code Triggers}): planning the function's tags never removes them. */
    public static final String TRIGGERS_TAG = "lambdaform:triggers";

    public static final String URLS_TAG = "lambdaform:urls";

    /** Lambda's limit on the total size of a function's environment variables. */
    static final int MAX_ENVIRONMENT_BYTES = 4096;

    /** The field a plan shows a function's container image by. */
    static final String IMAGE_URI = "imageUri";

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

    /** Per function, the declared resources that route to its versions (its aliases), by name on the function. */
    private static final PlanBuilder.Index<Map<String, Map<String, VersionReference>>> VERSION_REFERENCES =
            new PlanBuilder.Index<>("version references by function", stack -> {
                Map<String, Map<String, VersionReference>> byFunction = new HashMap<>();
                stack.resources().stream()
                        .filter(VersionReference.class::isInstance)
                        .map(VersionReference.class::cast)
                        .forEach(r -> byFunction
                                .computeIfAbsent(r.function(), f -> new TreeMap<>())
                                .put(r.alias(), r));
                return byFunction;
            });

    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-zA-Z-]*:iam::\\d{12}:role/.+$");

    private FunctionKind() {
        super("Function", 1, Function.class, Functions.class, FunctionOperations.FunctionOperation.class);
    }

    /** Whether a function manifest can name this runtime (Lambdaform deploys zip packages of these runtimes). */
    public static boolean supportsRuntime(String runtime) {
        return Runtimes.SUPPORTED.contains(runtime);
    }

    /** The key of the function with that name. */
    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.ROUNDED;
    }

    /**
     * Its role (a link from the role: the function assumes it), its layers, where its dead letters and asynchronous
     * results go, and its log group: the one its logging configuration names, else {@code /aws/lambda/<name>} when the
     * stack declares it.
     */
    @Override
    public List<Link> links(Function desired) {
        Link.End self = new Link.Declared(key(desired.name()));
        FunctionSettings settings = desired.settings();
        List<Link> links = new ArrayList<>();
        Link.End role;
        if (desired.role() instanceof RoleRef.StackRole stackRole) {
            role = new Link.Declared(RoleKind.key(stackRole.name()));
        } else if (desired.role() instanceof RoleRef.OtherStack other) {
            // Another stack's role: found by its name in whichever stack of the graph declares it.
            role = new Link.ByArn("arn:aws:iam:::role/" + other.name());
        } else {
            role = new Link.ByArn(((RoleRef.External) desired.role()).arn());
        }
        links.add(new Link(role, self, "assumes"));
        for (String layer : settings.layers()) {
            links.add(new Link(
                    self,
                    isLayerArn(layer) ? new Link.ByArn(layer) : new Link.Declared(LayerKind.key(layer)),
                    "layer"));
        }
        settings.deadLetterTargetArn().ifPresent(arn -> links.add(new Link(self, new Link.ByArn(arn), "dead letters")));
        settings.asyncInvoke().ifPresent(async -> {
            async.onSuccess().ifPresent(arn -> links.add(new Link(self, new Link.ByArn(arn), "onSuccess")));
            async.onFailure().ifPresent(arn -> links.add(new Link(self, new Link.ByArn(arn), "onFailure")));
        });
        Optional<String> named = settings.loggingConfig().flatMap(FunctionSettings.LoggingConfig::logGroup);
        links.add(new Link(
                self,
                new Link.Declared(LogGroupKind.key(named.orElse("/aws/lambda/" + desired.name()))),
                "logs",
                named.isPresent()));
        return links;
    }

    /** {@code arn:aws:lambda:us-east-1:123456789012:function:name}, or with a version's number. */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("lambda", "function:")
                .filter(name -> name.indexOf(':') < 0 || !qualifierIsAlias(name.substring(name.indexOf(':') + 1)))
                .map(name -> name.indexOf(':') < 0 ? name : name.substring(0, name.indexOf(':')));
    }

    /** Whether a function ARN's qualifier names an alias: not a version's number, nor {@code $LATEST}. */
    public static boolean qualifierIsAlias(String qualifier) {
        return !qualifier.isEmpty()
                && !qualifier.equals("$LATEST")
                && !qualifier.chars().allMatch(Character::isDigit);
    }

    // Reading

    @Override
    public Optional<Function> read(ReadContext document) {
        int before = document.problemCount();
        JsonNode spec = document.spec();
        Sensitive sensitive = document.sensitive();
        String runtime = spec.path("runtime").asText();
        String handler = spec.path("handler").asText();
        JsonNode image = spec.path("image");
        if (image.isObject()) {
            refuseWithAnImage(document);
        }
        if (spec.path("handler").isTextual() && !image.isObject()) {
            Runtimes.checkHandler(runtime, handler)
                    .ifPresent(m -> document.problemAt(
                            "/spec/handler",
                            sensitive.appearsIn(handler)
                                    ? "the handler holds a sensitive value that is not a valid handler"
                                            + " for runtime " + sensitive.mask(runtime)
                                    : m));
        }
        RoleRef role = spec.path("role").isTextual()
                ? roleRef(document, spec.get("role").asText())
                : spec.path("role").isObject()
                        ? new RoleRef.OtherStack(
                                spec.path("role").path("stack").asText(),
                                spec.path("role").path("name").asText())
                        : null;

        int beforeCode = document.problemCount();
        Optional<CodeSource> code = image.isObject() ? Optional.empty() : code(document, spec.path("code"));
        boolean codeFine = document.problemCount() == beforeCode;
        code.ifPresent(c -> checkHandlerCode(document, c, codeFine, runtime, handler));

        Map<String, String> environment = new TreeMap<>();
        TreeSet<String> secrets = new TreeSet<>();
        int environmentBytes = 0;
        boolean sizeIsSensitive = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("environment").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (RESERVED_ENVIRONMENT_KEYS.contains(key) || key.startsWith("AWS_LAMBDA_")) {
                document.problemAtKey(
                        Specs.pointer("/spec/environment", key),
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
            sizeIsSensitive |= secrets.contains(key)
                    || document.sensitive().appearsIn(text)
                    || document.sensitive().appearsIn(key);
        }
        if (environmentBytes > MAX_ENVIRONMENT_BYTES) {
            // The total of values that are secret or sensitive would tell their length: then it is not shown.
            document.problemAtKey(
                    "/spec/environment",
                    "environment variables take "
                            + (sizeIsSensitive
                                    ? "more than 4 KB in total (the exact size is not shown: it counts sensitive"
                                            + " values)"
                                    : environmentBytes + " bytes in total")
                            + "; Lambda allows at most 4 KB (" + MAX_ENVIRONMENT_BYTES
                            + " bytes of keys and values). Move large values to a parameter store or a file in the package");
        }

        List<String> layers = Specs.list(spec.path("layers"));
        checkLayers(document, layers);
        List<String> architectures = Specs.list(spec.path("architectures"));
        FunctionSettings settings = new FunctionSettings(
                runtime,
                handler,
                Specs.text(spec, "description").orElse(""),
                Specs.integer(document, "/spec/memorySize", 128, 10240).orElse(FunctionSettings.DEFAULT_MEMORY_SIZE),
                Specs.integer(document, "/spec/timeout", 1, 900).orElse(FunctionSettings.DEFAULT_TIMEOUT),
                new TreeMap<>(environment),
                architectures.isEmpty() ? FunctionSettings.DEFAULT_ARCHITECTURES : architectures,
                Specs.integer(document, "/spec/ephemeralStorage/size", 512, 10240)
                        .orElse(FunctionSettings.DEFAULT_EPHEMERAL_STORAGE),
                layers,
                Specs.text(spec.path("tracingConfig"), "mode"),
                Specs.text(spec, "kmsKeyArn"),
                Specs.text(spec.path("deadLetterConfig"), "targetArn"),
                vpc(spec.path("vpcConfig")),
                logging(spec.path("loggingConfig")),
                fileSystems(spec.path("fileSystemConfigs")),
                Specs.text(spec.path("snapStart"), "applyOn"),
                imageConfig(image),
                Specs.integer(document, "/spec/reservedConcurrency", 0, 1_000_000),
                asyncInvoke(document, spec.path("asyncInvoke"), role),
                Specs.text(spec, "recursiveLoop"),
                runtimeManagement(document, spec.path("runtimeManagement"), image.isObject()));
        if (document.problemCount() > before || (code.isEmpty() && !image.isObject()) || role == null) {
            return Optional.empty();
        }
        Map<String, String> tags = new TreeMap<>();
        spec.path("tags")
                .fields()
                .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
        return Optional.of(new Function(
                document.name(),
                code,
                Specs.text(image, "uri"),
                role,
                settings,
                secrets,
                new TreeMap<>(tags),
                publishing(document)));
    }

    /**
     * A function that runs a container image takes its runtime and handler from the image, and Lambda adds no layer
     * to it; Lambdaform does not publish its versions (yet).
     */
    private static void refuseWithAnImage(ReadContext document) {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("runtime", "the image's runtime is what it runs: remove 'runtime'");
        refused.put("handler", "the image's CMD names its handler (image.command overrides it): remove 'handler'");
        refused.put(
                "layers",
                "Lambda adds no layer to a container image: build what the layers hold into the image, and remove"
                        + " 'layers'");
        refused.put(
                "publish", "Lambdaform does not publish versions of a function that runs an image: remove 'publish'");
        refused.forEach((field, why) -> {
            if (document.spec().has(field)) {
                document.problemAtKey("/spec/" + field, "a function with an image sets no '" + field + "': " + why);
            }
        });
    }

    private static Optional<FunctionSettings.ImageConfig> imageConfig(JsonNode image) {
        if (!image.has("command") && !image.has("entryPoint") && !image.has("workingDirectory")) {
            return Optional.empty();
        }
        return Optional.of(new FunctionSettings.ImageConfig(
                Specs.list(image.path("command")),
                Specs.list(image.path("entryPoint")),
                Specs.text(image, "workingDirectory")));
    }

    /**
     * Whether a function's spec, as the manifest writes it, publishes versions: {@code publish: true} or
     * {@code publish: {keep: N}} (what an alias of it needs).
     */
    public static boolean publishes(JsonNode spec) {
        JsonNode publish = spec.path("publish");
        return publish.isObject() || publish.isBoolean() && publish.booleanValue();
    }

    /** {@code publish: true}, {@code publish: {keep: N}}, or nothing (false, or absent). */
    private static Optional<Function.Publishing> publishing(ReadContext document) {
        JsonNode publish = document.spec().path("publish");
        if (publish.isObject()) {
            return Optional.of(new Function.Publishing(
                    Specs.integer(document, "/spec/publish/keep", 0, 100).orElse(Function.Publishing.DEFAULT_KEEP)));
        }
        return Specs.bool(document, "/spec/publish")
                .filter(Boolean::booleanValue)
                .map(on -> new Function.Publishing(Function.Publishing.DEFAULT_KEEP));
    }

    /** Each layer is a layer version's ARN, or the name of a Layer of the set; none twice. */
    private static void checkLayers(ReadContext document, List<String> layers) {
        Set<String> declared = document.declared(LayerKind.KIND.manifestName());
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < layers.size(); i++) {
            String layer = layers.get(i);
            String pointer = "/spec/layers/" + i;
            String shown = Quoted.shortened(document.sensitive().mask(layer));
            if (document.hasProblemAt(pointer)) {
                continue;
            }
            if (!seen.add(layer)) {
                document.problemAt(pointer, "layer '" + shown + "' is named twice; Lambda adds each layer once");
            } else if (isLayerArn(layer)) {
                if (!Layers.VERSION_ARN.matcher(layer).matches()) {
                    document.problemAt(
                            pointer,
                            "layer '" + shown + "' is not the ARN of a layer version: expected"
                                    + " arn:aws:lambda:<region>:<12-digit account>:layer:<name>:<version>");
                }
            } else if (!declared.contains(layer)) {
                document.problemAt(
                        pointer,
                        "layer '" + shown + "' is not a Layer of this manifest set; declare it (kind: Layer) or give"
                                + " the ARN of a layer version"
                                + (document.sensitive().appearsIn(layer) ? "" : document.suggestion(layer, declared)));
            }
        }
    }

    private static RoleRef roleRef(ReadContext document, String role) {
        if (role.contains("${")) {
            return new RoleRef.StackRole(role);
        }
        if (role.startsWith("arn:")) {
            if (!ROLE_ARN.matcher(role).matches()) {
                document.problemAt(
                        "/spec/role",
                        "role '" + Quoted.shortened(document.sensitive().mask(role))
                                + "' is not a role ARN: expected arn:aws:iam::<12-digit account>:role/<name>");
            }
            return new RoleRef.External(role);
        }
        Set<String> roles = document.declared(RoleKind.KIND.manifestName());
        if (!roles.contains(role)) {
            document.problemAt(
                    "/spec/role",
                    "role '" + Quoted.shortened(document.sensitive().mask(role))
                            + "' is not a Role of this manifest set;"
                            + " declare it (kind: Role) or give the ARN of a role managed elsewhere"
                            + (document.sensitive().appearsIn(role) ? "" : document.suggestion(role, roles)));
        }
        return new RoleRef.StackRole(role);
    }

    /**
     * A {@code code} field as functions and layers write it at {@code /spec/code}: a folder, a single file, or a prebuilt
     * .zip/.jar, as a path or as {@code {path, exclude}}; empty (with the problem reported) when it cannot be read.
     */
    public static Optional<CodeSource> code(ReadContext document, JsonNode code) {
        if (!code.isTextual() && !code.path("path").isTextual()) {
            return Optional.empty();
        }
        String pointer = code.isObject() ? "/spec/code/path" : "/spec/code";
        String relative = code.isObject() ? code.get("path").asText() : code.asText();
        List<String> excludes = Specs.list(code.path("exclude"));
        Optional<CodeSource.Build> build = build(document, code.path("build"));
        Optional<Path> resolved =
                code.has("build") ? document.output(relative, pointer) : document.file(relative, pointer, true);
        if (resolved.isEmpty() || (code.has("build") && build.isEmpty())) {
            return Optional.empty();
        }
        Path path = resolved.get();
        boolean built = build.isPresent() && !document.exists(path);
        CodeSource.Kind kind;
        if (built ? !relative.toLowerCase(Locale.ROOT).matches(".*\\.(zip|jar)$") : document.isFolder(path)) {
            kind = CodeSource.Kind.FOLDER;
        } else {
            String lower = path.getFileName().toString().toLowerCase();
            kind = lower.endsWith(".zip") || lower.endsWith(".jar") ? CodeSource.Kind.ARCHIVE : CodeSource.Kind.FILE;
        }
        boolean excludesValid = true;
        for (int i = 0; i < excludes.size(); i++) {
            if (!document.isGlob(excludes.get(i))) {
                excludesValid = false;
                document.problemAt(
                        "/spec/code/exclude/" + i,
                        "code.exclude pattern is not a valid glob" + " (check its brackets and braces)");
            }
        }
        if (kind != CodeSource.Kind.FOLDER && !excludes.isEmpty()) {
            excludesValid = false;
            document.problemAt("/spec/code/exclude", "code.exclude applies only when code.path is a folder");
        }
        CodeSource source = new CodeSource(path.normalize(), kind, excludes, build);
        if (excludesValid) {
            document.inspectCode(source, relative, pointer);
        }
        return Optional.of(source);
    }

    /** The build that makes the code, with its inputs resolved inside the root; empty after a problem. */
    private static Optional<CodeSource.Build> build(ReadContext document, JsonNode build) {
        if (build.isMissingNode()) {
            return Optional.empty();
        }
        int before = document.problemCount();
        List<Path> inputs = new ArrayList<>();
        List<String> written = Specs.list(build.path("inputs"));
        for (int i = 0; i < written.size(); i++) {
            document.file(written.get(i), "/spec/code/build/inputs/" + i, true).ifPresent(inputs::add);
        }
        Duration timeout = Specs.duration(document, "/spec/code/build/timeout").orElse(DEFAULT_BUILD_TIMEOUT);
        if (document.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(
                new CodeSource.Build(Specs.list(build.path("command")), inputs, document.manifestFolder(), timeout));
    }

    /**
     * The handler's file in the code; then, when {@code validate} inspects code, what the runtime needs of it (the
     * Java class and method, the Python function, the Node export, a custom runtime's bootstrap), unless the handler
     * or the code has a problem already.
     */
    private static void checkHandlerCode(
            ReadContext document, CodeSource code, boolean codeFine, String runtime, String handler) {
        if (!document.spec().path("handler").isTextual()) {
            return;
        }
        if (code.build().isPresent() && !document.exists(code.path())) {
            return; // what a build makes is judged once it is made
        }
        boolean fileFound = checkHandlerFile(document, code, runtime, handler);
        if (!fileFound
                || !codeFine
                || document.hasProblemAt("/spec/handler")
                || document.sensitive().appearsIn(handler)) {
            return;
        }
        JsonNode written = document.spec().path("code");
        boolean layers = !Specs.list(document.spec().path("layers")).isEmpty();
        Runtimes.need(runtime, handler, layers)
                .ifPresent(need -> document.inspectHandler(
                        code,
                        need,
                        written.isObject() ? written.path("path").asText() : written.asText(),
                        "/spec/handler"));
    }

    /** Whether the code holds the handler's file, or it cannot be checked here; reports it missing otherwise. */
    private static boolean checkHandlerFile(ReadContext document, CodeSource code, String runtime, String handler) {
        List<String> candidates = Runtimes.handlerFiles(runtime, handler);
        if (candidates.stream()
                .anyMatch(c -> c.startsWith("/")
                        || c.startsWith("\\")
                        || c.equals("..")
                        || c.startsWith("../")
                        || c.contains("/../"))) {
            document.problemAt(
                    "/spec/handler",
                    "the handler's module must be a file inside the code:" + " no absolute path and no '..'");
            return false;
        }
        if (candidates.isEmpty() || code.kind() == CodeSource.Kind.ARCHIVE) {
            return true;
        }
        boolean found = code.kind() == CodeSource.Kind.FILE
                ? candidates.contains(code.path().getFileName().toString())
                : candidates.stream().anyMatch(c -> document.holdsFile(code.path(), c));
        if (!found) {
            document.problemAt(
                    "/spec/handler",
                    document.sensitive().appearsIn(handler)
                            ? "the handler holds a sensitive value, and the code has no file for it"
                            : "handler '" + handler + "' needs " + candidates.get(0) + " in the code, but "
                                    + code.path().getFileName() + " has no such file");
        }
        return found;
    }

    private static Optional<FunctionSettings.VpcConfig> vpc(JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(new FunctionSettings.VpcConfig(
                Specs.list(node.path("subnetIds")),
                Specs.list(node.path("securityGroupIds")),
                node.path("ipv6AllowedForDualStack").asBoolean(false)));
    }

    /** {@code spec.asyncInvoke}, within Lambda's limits (its destinations' services are checked by the schema). */
    private static Optional<FunctionSettings.AsyncInvokeConfig> asyncInvoke(
            ReadContext document, JsonNode node, RoleRef role) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        FunctionSettings.AsyncInvokeConfig async = new FunctionSettings.AsyncInvokeConfig(
                Specs.integer(document, "/spec/asyncInvoke/maximumRetryAttempts", 0, 2),
                Specs.integer(document, "/spec/asyncInvoke/maximumEventAgeInSeconds", 60, 21600),
                Specs.text(node.path("destinations"), "onSuccess"),
                Specs.text(node.path("destinations"), "onFailure"));
        if (role != null) {
            destinationWarnings(
                            document.name(),
                            role,
                            async,
                            (name, action) -> RolePermissions.missing(document, name, List.of(action), Set.of()))
                    .forEach((which, warning) ->
                            document.validationWarning("/spec/asyncInvoke/destinations/" + which, warning));
        }
        return Optional.of(async);
    }

    /**
     * {@code spec.runtimeManagement}: a runtime version ARN with {@code Manual} only, which needs one (as Lambda's
     * PutRuntimeManagementConfig does).
     */
    private static Optional<FunctionSettings.RuntimeManagement> runtimeManagement(
            ReadContext document, JsonNode node, boolean image) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        if (image) {
            document.problemAt(
                    "/spec/runtimeManagement",
                    "runtime management chooses the version of a runtime Lambda provides; a container image brings its"
                            + " own runtime: remove runtimeManagement");
        }
        String updateOn = node.path("updateRuntimeOn").asText();
        Optional<String> version = Specs.text(node, "runtimeVersionArn");
        if (updateOn.equals("Manual") && version.isEmpty()) {
            document.problemAt(
                    "/spec/runtimeManagement",
                    "updateRuntimeOn: Manual keeps the function on one runtime version: give its ARN as"
                            + " runtimeVersionArn (the function's current one is in 'aws lambda get-function', under"
                            + " RuntimeVersionConfig)");
        } else if (!updateOn.equals("Manual") && version.isPresent()) {
            document.problemAt(
                    "/spec/runtimeManagement/runtimeVersionArn",
                    "a runtime version is kept only with updateRuntimeOn: Manual (with " + updateOn
                            + ", Lambda chooses it): remove runtimeVersionArn, or set updateRuntimeOn to Manual");
        }
        return Optional.of(new FunctionSettings.RuntimeManagement(updateOn, version));
    }

    private static Optional<FunctionSettings.LoggingConfig> logging(JsonNode node) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(new FunctionSettings.LoggingConfig(
                Specs.text(node, "logFormat").orElse("Text"),
                Specs.text(node, "applicationLogLevel"),
                Specs.text(node, "systemLogLevel"),
                Specs.text(node, "logGroup")));
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

    // Reading the target

    /**
     * The role, configuration, CodeSha256 and tags (not the State, which moves on its own). The live values of the
     * environment variables that are secret or sensitive in {@code desired}, or no longer declared (they may have
     * been), are masked: a saved plan records this digest, and must not let anyone confirm a guess of such a value.
     */
    @Override
    public JsonNode fingerprint(Optional<Function> desired, FunctionState live, Sensitive sensitive) {
        Map<String, String> declared = desired.<Map<String, String>>map(
                        f -> f.settings().environment())
                .orElse(Map.of());
        Set<String> masked = new TreeSet<>(
                desired.<Set<String>>map(Function::secretEnvironmentKeys).orElse(Set.of()));
        declared.forEach((key, value) -> {
            if (sensitive.appearsIn(value)) {
                masked.add(key);
            }
        });
        ObjectNode settings = (ObjectNode) Fingerprints.tree(live.settings());
        if (settings.get("environment") instanceof ObjectNode environment) {
            List<String> keys = new ArrayList<>();
            environment.fieldNames().forEachRemaining(keys::add);
            keys.stream()
                    .filter(k -> masked.contains(k) || !declared.containsKey(k))
                    .forEach(k -> environment.put(k, Sensitive.MASK));
        }
        // Settings a function does not have are left out: it keeps the fingerprint it had before they existed.
        for (String absent :
                List.of("imageConfig", "reservedConcurrency", "asyncInvoke", "recursiveLoop", "runtimeManagement")) {
            if (settings.path(absent).isNull()) {
                settings.remove(absent);
            }
        }
        List<Object> facts = new ArrayList<>(List.of(live.roleArn(), settings, live.codeSha256(), live.tags()));
        // The image only where there is one: a zip function keeps the fingerprint it had.
        live.imageUri().ifPresent(facts::add);
        // Versions only where they were read: a function that does not publish keeps the fingerprint it had.
        live.versions()
                .ifPresent(versions -> facts.add(versions.stream()
                        .map(v -> List.of(v.version(), v.codeSha256(), v.sourceSha256(), v.aliases(), v.previousOf()))
                        .toList()));
        return Fingerprints.tree(facts);
    }

    // Planning

    @Override
    public void plan(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        planFunction(function, live, plan);
        planControls(function, live, plan);
    }

    /**
     * Reserved concurrency and asynchronous invocation, which Lambda keeps apart from the configuration: each set in
     * the manifest and different on the target (or new) is an operation of its own, after the function's others (an
     * alias's provisioned concurrency, which must fit in the reservation, waits for them).
     */
    private static void planControls(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        FunctionSettings desired = function.settings();
        Optional<FunctionSettings> current = live.map(FunctionState::settings);
        ResourceKey key = key(function.name());
        desired.reservedConcurrency().ifPresent(reserved -> {
            Optional<Integer> was = current.flatMap(FunctionSettings::reservedConcurrency);
            if (!was.equals(Optional.of(reserved))) {
                plan.add(
                        key,
                        new FunctionOperations.PutFunctionConcurrency(
                                function.name(),
                                reserved,
                                List.of(was.map(w -> FieldChange.change(
                                                "reservedConcurrency", String.valueOf(w), String.valueOf(reserved)))
                                        .orElseGet(() ->
                                                FieldChange.set("reservedConcurrency", String.valueOf(reserved))))));
            }
        });
        desired.asyncInvoke().ifPresent(async -> {
            destinationWarnings(
                            function.name(),
                            function.role(),
                            async,
                            (role, action) -> RolePermissions.missing(plan, role, List.of(action), Set.of()))
                    .values()
                    .forEach(w -> plan.note(key, Note.Category.WARNING, w));
            SortedMap<String, String> was = current.flatMap(FunctionSettings::asyncInvoke)
                    .map(FunctionFields::ofAsyncInvoke)
                    .orElseGet(TreeMap::new);
            List<FieldChange> changes = FunctionFields.diff(was, FunctionFields.ofAsyncInvoke(async), Set.of());
            if (!changes.isEmpty()) {
                plan.add(key, new FunctionOperations.PutFunctionEventInvokeConfig(function.name(), async, changes));
            }
        });
    }

    /**
     * Recursion control and runtime management, each an operation of its own, planned before the version the apply
     * publishes: Lambda keeps a runtime management configuration per version, and a version takes $LATEST's when it
     * is published.
     */
    private static void planVersionedControls(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        FunctionSettings desired = function.settings();
        Optional<FunctionSettings> current = live.map(FunctionState::settings);
        ResourceKey key = key(function.name());
        desired.recursiveLoop().ifPresent(loop -> {
            Optional<String> was = current.flatMap(FunctionSettings::recursiveLoop);
            if (!was.equals(Optional.of(loop))) {
                plan.add(
                        key,
                        new FunctionOperations.PutFunctionRecursionConfig(
                                function.name(),
                                loop,
                                List.of(was.map(w -> FieldChange.change("recursiveLoop", w, loop))
                                        .orElseGet(() -> FieldChange.set("recursiveLoop", loop)))));
            }
        });
        desired.runtimeManagement().ifPresent(management -> {
            SortedMap<String, String> was = current.flatMap(FunctionSettings::runtimeManagement)
                    .map(FunctionFields::ofRuntimeManagement)
                    .orElseGet(TreeMap::new);
            List<FieldChange> changes =
                    FunctionFields.diff(was, FunctionFields.ofRuntimeManagement(management), Set.of());
            if (!changes.isEmpty()) {
                plan.add(key, new FunctionOperations.PutRuntimeManagementConfig(function.name(), management, changes));
            }
        });
    }

    /** The action Lambda needs, in the function's role, to send an outcome to a destination of each service. */
    private static final Map<String, String> SENDS = Map.of(
            "sqs", "sqs:SendMessage",
            "sns", "sns:Publish",
            "events", "events:PutEvents",
            "lambda", "lambda:InvokeFunction");

    /**
     * A warning for each destination (by its name, onSuccess or onFailure) the function's role, declared in the
     * manifests, is not allowed to send to (Lambda sends as the function's role, and drops the outcome otherwise);
     * {@code missing} tells which of an action the role lacks.
     */
    private static SortedMap<String, String> destinationWarnings(
            String function,
            RoleRef ref,
            FunctionSettings.AsyncInvokeConfig async,
            BiFunction<String, String, List<String>> missing) {
        SortedMap<String, String> warnings = new TreeMap<>();
        if (!(ref instanceof RoleRef.StackRole role)) {
            return warnings;
        }
        Map<String, Optional<String>> destinations =
                Map.of("onSuccess", async.onSuccess(), "onFailure", async.onFailure());
        destinations.forEach((which, destination) -> {
            String[] arn = destination.orElse("").split(":", 4);
            String action = arn.length < 3 ? null : SENDS.get(arn[2]);
            if (action == null) {
                return;
            }
            List<String> lacking = missing.apply(role.name(), action);
            if (!lacking.isEmpty()) {
                warnings.put(
                        which,
                        "role " + role.name() + " of function " + function + " does not allow "
                                + String.join(", ", lacking) + ", which Lambda needs to send asynchronous invocations'"
                                + " outcomes to " + destination.get() + ": allow it in an inline policy of the role,"
                                + " or Lambda drops them");
            }
        });
        return warnings;
    }

    private void planFunction(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        ResourceKey key = key(function.name());
        Stack stack = plan.stack();
        List<Integer> roleDependency = new ArrayList<>();
        if (function.role() instanceof RoleRef.StackRole stackRole) {
            plan.last(RoleKind.key(stackRole.name())).ifPresent(roleDependency::add);
        }
        // And on the layers of the stack it names, whose versions it runs.
        function.settings().layers().stream()
                .filter(l -> !isLayerArn(l))
                .forEach(l -> plan.last(LayerKind.key(l)).ifPresent(roleDependency::add));
        FunctionSettings settings = settingsAfterApply(function, plan);
        String roleArn = roleArn(function, plan);
        SortedMap<String, String> tags = new TreeMap<>(stack.resourceTags(function.tags()));
        if (function.publish().isPresent()) {
            tags.put(PUBLISH_TAG, "true");
        }
        SortedMap<String, String> desiredFields = FunctionFields.of(roleArn, settings);
        plan.markSensitive(
                key,
                tags,
                function.secretEnvironmentKeys().isEmpty() ? desiredFields.values() : List.of(Sensitive.MASK));
        if (function.image().isPresent()) {
            planImage(function, live, plan, roleArn, settings, tags, desiredFields, roleDependency);
            planVersionedControls(function, live, plan);
            return;
        }
        CodeSource source = function.code().orElseThrow();
        if (live.isPresent() && live.get().imageUri().isPresent()) {
            throw packageTypeChange(function.name(), "a container image", "a zip package");
        }
        requireUnzippedLimit(function, plan);
        if (live.isEmpty()) {
            DeploymentPackage code = plan.code(source);
            String codeSha256 = code.codeSha256();
            List<FieldChange> changes =
                    new ArrayList<>(FunctionFields.diff(Map.of(), desiredFields, function.secretEnvironmentKeys()));
            changes.add(FieldChange.set("codeSha256", codeSha256));
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            SortedMap<String, String> withCodeTags = new TreeMap<>(tags);
            withCodeTags.putAll(codeTags(code));
            Optional<CodeStaging> staging = staging(code, key, plan, roleDependency);
            plan.add(
                    key,
                    new FunctionOperations.CreateFunction(
                            function.name(),
                            roleArn,
                            settings,
                            Optional.of(source),
                            codeSha256,
                            staging,
                            Optional.empty(),
                            withCodeTags,
                            changes),
                    roleDependency);
            planVersionedControls(function, live, plan);
            planVersions(function, live, plan);
            return;
        }
        FunctionState current = live.get();
        List<FieldChange> changes = new ArrayList<>(FunctionFields.diff(
                FunctionFields.of(current.roleArn(), current.settings()),
                desiredFields,
                function.secretEnvironmentKeys()));
        // Lambda changes the architectures only together with the code.
        List<FieldChange> codeChanges = new ArrayList<>();
        changes.removeIf(c -> c.field().equals(FunctionFields.ARCHITECTURES) && codeChanges.add(c));
        Optional<DeploymentPackage> newCode = Optional.empty();
        Map<String, String> recordCode = Map.of();
        if (!runsSource(current, plan.source(source))) {
            DeploymentPackage code = plan.code(source);
            if (changesCode(current, code, plan.liveSource(key))) {
                codeChanges.add(0, FieldChange.change("codeSha256", current.codeSha256(), code.codeSha256()));
            } else if (!hasCodeTags(current)) {
                // It runs these contents (zipped by another tool, say): record them, so that the next plan
                // knows without building or downloading a package.
                recordCode = Map.of(SOURCE_TAG, code.sourceSha256(), CODE_TAG, current.codeSha256());
            }
            newCode = Optional.of(code);
        }
        if (!changes.isEmpty()) {
            plan.add(
                    key,
                    new FunctionOperations.UpdateFunctionConfiguration(function.name(), roleArn, settings, changes),
                    roleDependency);
        }
        if (!codeChanges.isEmpty()) {
            DeploymentPackage code = newCode.orElseGet(() -> plan.code(source));
            Optional<CodeStaging> staging = staging(code, key, plan, roleDependency);
            plan.add(
                    key,
                    new FunctionOperations.UpdateFunctionCode(
                            function.name(),
                            Optional.of(source),
                            code.codeSha256(),
                            code.sourceSha256(),
                            function.settings().architectures(),
                            staging,
                            Optional.empty(),
                            codeChanges),
                    roleDependency);
        } else {
            tags.putAll(recordCode);
        }
        Tagging.plan(key, current.tags(), tags, plan);
        planVersionedControls(function, live, plan);
        planVersions(function, live, plan);
    }

    /**
     * A function that runs a container image: created with its URI, its configuration diffed as a zip function's,
     * its code replaced when the URI changes (or the architectures, which Lambda changes only with the code).
     */
    private static void planImage(
            Function function,
            Optional<FunctionState> live,
            PlanBuilder plan,
            String roleArn,
            FunctionSettings settings,
            SortedMap<String, String> tags,
            SortedMap<String, String> desiredFields,
            List<Integer> dependencies) {
        ResourceKey key = key(function.name());
        String uri = function.image().orElseThrow();
        if (live.isEmpty()) {
            List<FieldChange> changes =
                    new ArrayList<>(FunctionFields.diff(Map.of(), desiredFields, function.secretEnvironmentKeys()));
            changes.add(FieldChange.set(IMAGE_URI, uri));
            tags.forEach((k, v) -> changes.add(FieldChange.set("tags." + k, v)));
            plan.add(
                    key,
                    new FunctionOperations.CreateFunction(
                            function.name(),
                            roleArn,
                            settings,
                            Optional.empty(),
                            "",
                            Optional.empty(),
                            Optional.of(uri),
                            tags,
                            changes),
                    dependencies);
            return;
        }
        FunctionState current = live.get();
        if (current.imageUri().isEmpty()) {
            throw packageTypeChange(function.name(), "a zip package", "a container image");
        }
        List<FieldChange> changes = new ArrayList<>(FunctionFields.diff(
                FunctionFields.of(current.roleArn(), current.settings()),
                desiredFields,
                function.secretEnvironmentKeys()));
        List<FieldChange> codeChanges = new ArrayList<>();
        changes.removeIf(c -> c.field().equals(FunctionFields.ARCHITECTURES) && codeChanges.add(c));
        if (!current.imageUri().get().equals(uri)) {
            codeChanges.add(0, FieldChange.change(IMAGE_URI, current.imageUri().get(), uri));
        }
        if (!changes.isEmpty()) {
            plan.add(
                    key,
                    new FunctionOperations.UpdateFunctionConfiguration(function.name(), roleArn, settings, changes),
                    dependencies);
        }
        if (!codeChanges.isEmpty()) {
            plan.add(
                    key,
                    new FunctionOperations.UpdateFunctionCode(
                            function.name(),
                            Optional.empty(),
                            "",
                            "",
                            function.settings().architectures(),
                            Optional.empty(),
                            Optional.of(uri),
                            codeChanges),
                    dependencies);
        }
        Tagging.plan(key, current.tags(), tags, plan);
    }

    /** Lambda cannot change a function's package type: the function must be made again. */
    private static LambdaformException packageTypeChange(String function, String runs, String declared) {
        return LambdaformException.user("function " + function + " runs " + runs + " on the target, and the manifests"
                + " declare " + declared + ": Lambda cannot change a function's package type. Give the function"
                + " another name (the old one is then deleted), or delete it first (remove it, apply, then add it"
                + " back)");
    }

    /**
     * Where the package is staged when Lambda does not take it in the request (the stack's code bucket, whose
     * operations the upload then waits for); a user error when the stack names no code bucket.
     */
    private static Optional<CodeStaging> staging(
            DeploymentPackage code, ResourceKey key, PlanBuilder plan, List<Integer> dependencies) {
        Optional<CodeStaging> staging = CodeStaging.of(plan.stack(), code, key);
        staging.flatMap(s -> plan.last(BucketKind.key(s.bucket()))).ifPresent(dependencies::add);
        return staging;
    }

    /**
     * Refuses, before anything is changed, a function whose code and the stack's layers it names hold more than
     * Lambda's unzipped limit together (layers named by ARN are not counted: their size is known only on the target).
     */
    private static void requireUnzippedLimit(Function function, PlanBuilder plan) {
        long unzipped = plan.source(function.code().orElseThrow()).unzippedSize();
        for (String layer : function.settings().layers()) {
            if (!isLayerArn(layer)) {
                unzipped += plan.declared(LayerKind.KIND, layer)
                        .map(l -> plan.source(l.code()).unzippedSize())
                        .orElse(0L);
            }
        }
        if (unzipped > DeploymentPackage.MAX_UNZIPPED_BYTES) {
            throw LambdaformException.user(String.format(
                    "function %s holds %.1f MB unzipped with its layers; Lambda accepts at most %d MB for a function"
                            + " and its layers together. Exclude what it does not need (code.exclude), or make the"
                            + " layers smaller",
                    function.name(), unzipped / 1048576.0, DeploymentPackage.MAX_UNZIPPED_BYTES / 1048576));
        }
    }

    /** The ARN of the function's execution role: its stack role's, or the one it names. */
    private static String roleArn(Function function, PlanBuilder plan) {
        if (function.role() instanceof RoleRef.StackRole stackRole) {
            Role role = plan.declared(RoleKind.KIND, stackRole.name())
                    .orElseThrow(() -> new IllegalStateException("no role " + stackRole.name() + " was read"));
            return plan.target().roleArn(role.path(), role.name());
        }
        if (function.role() instanceof RoleRef.OtherStack other) {
            // A role shared between stacks is at the default path: its ARN is known before it is read.
            return plan.target().roleArn(Role.DEFAULT_PATH, other.name());
        }
        return ((RoleRef.External) function.role()).arn();
    }

    /** Whether the live function must be given the local package: it runs neither its bytes nor its contents. */
    private static boolean changesCode(
            FunctionState current, DeploymentPackage code, Optional<SourceDigest> liveSource) {
        boolean sameContents = liveSource
                .filter(running -> running.sourceSha256().equals(code.sourceSha256()))
                .isPresent();
        return !current.codeSha256().equals(code.codeSha256()) && !sameContents;
    }

    /** Whether a function's layer entry is a version ARN; else it names a layer of the stack. */
    static boolean isLayerArn(String layer) {
        return layer.startsWith("arn:");
    }

    /**
     * The ARNs of the layer versions the function runs once the plan is applied: those it names by ARN, and for each
     * layer of the stack it names, the version that layer keeps, or {@link LayerKind#PUBLISHED} after the layer's ARN
     * when the apply publishes one.
     */
    public static List<String> layersAfterApply(Function function, PlanBuilder plan) {
        return function.settings().layers().stream()
                .map(l -> isLayerArn(l) ? l : LayerKind.versionArnAfterApply(l, plan))
                .toList();
    }

    /** The function's settings with its layers as they are once applied ({@link #layersAfterApply}). */
    private static FunctionSettings settingsAfterApply(Function function, PlanBuilder plan) {
        return function.settings().withLayers(layersAfterApply(function, plan));
    }

    // Versions

    /**
     * What a function that publishes will run once the plan is applied: the version of its code and configuration.
     *
     * @param existing the version that already holds them, when one does (nothing is published then)
     * @param codeSha256 the package $LATEST runs once applied
     * @param sourceSha256 the digest of what that package holds
     */
    public record Release(String function, Optional<FunctionVersion> existing, String codeSha256, String sourceSha256) {
        public Release {
            requireNonNull(function, "function is null");
            requireNonNull(existing, "existing is null");
            requireNonNull(codeSha256, "codeSha256 is null");
            requireNonNull(sourceSha256, "sourceSha256 is null");
        }

        /** The key an apply remembers the version it published under ({@code ApplyContext.remember}). */
        public String publishedKey() {
            return publishedKey(function);
        }

        public static String publishedKey(String function) {
            return "published-version:" + function;
        }
    }

    /**
     * The release of a function that publishes, computed as its plan computes it: the version that matches its code
     * and configuration once applied, when one exists. Aliases that follow the function move to it.
     */
    public static Release release(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        String roleArn = roleArn(function, plan);
        String sourceSha256 = plan.source(function.code().orElseThrow()).sourceSha256();
        String codeSha256 = codeSha256AfterApply(function, live, plan);
        SortedMap<String, String> desired = FunctionFields.ofVersion(roleArn, settingsAfterApply(function, plan));
        List<FunctionVersion> versions = live.flatMap(FunctionState::versions).orElse(List.of());
        Optional<FunctionVersion> existing = versions.stream()
                .filter(v -> v.sourceSha256().isEmpty()
                        ? v.codeSha256().equals(codeSha256)
                        : v.sourceSha256().equals(sourceSha256))
                .filter(v -> sameConfiguration(v.fields(), desired))
                .max(Comparator.comparingLong(FunctionVersion::number));
        return new Release(function.name(), existing, codeSha256, sourceSha256);
    }

    /** The CodeSha256 of the package $LATEST runs once the plan is applied: the live one, unless the plan replaces it. */
    private static String codeSha256AfterApply(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        CodeSource source = function.code().orElseThrow();
        if (live.isPresent() && runsSource(live.get(), plan.source(source))) {
            return live.get().codeSha256();
        }
        DeploymentPackage code = plan.code(source);
        return live.isPresent() && !changesCode(live.get(), code, plan.liveSource(key(function.name())))
                ? live.get().codeSha256()
                : code.codeSha256();
    }

    /** The package $LATEST runs once applied, which the stack's code bucket keeps staged if it was. */
    @Override
    public Set<String> codeAfterApply(Function desired, Optional<FunctionState> live, PlanBuilder plan) {
        return desired.code().isPresent() ? Set.of(codeSha256AfterApply(desired, live, plan)) : Set.of();
    }

    /** A version's configuration matches the desired one in every field the manifests manage. */
    private static boolean sameConfiguration(SortedMap<String, String> version, SortedMap<String, String> desired) {
        return desired.entrySet().stream().allMatch(e -> e.getValue().equals(version.getOrDefault(e.getKey(), "")));
    }

    /**
     * For a function that publishes: a version when none holds its code and configuration, and the deletion of the
     * versions beyond the newest it keeps. Never deleted: a version an alias routes to or rolls back to, one a
     * manifest pins, the release, and versions another tool published.
     */
    private static void planVersions(Function function, Optional<FunctionState> live, PlanBuilder plan) {
        if (function.publish().isEmpty()) {
            return;
        }
        ResourceKey key = key(function.name());
        Release release = release(function, live, plan);
        if (release.existing().isEmpty()) {
            plan.add(
                    key,
                    new FunctionOperations.PublishVersion(
                            function.name(),
                            release.codeSha256(),
                            release.sourceSha256(),
                            List.of(FieldChange.set(
                                    "version",
                                    "(new: code " + abbreviated(release.sourceSha256())
                                            + ", configuration as planned)"))));
        }
        Set<String> kept = keptByAliases(function, live, release, plan);
        List<FunctionVersion> others = live.flatMap(FunctionState::versions).orElse(List.of()).stream()
                .filter(v -> !kept.contains(v.version()))
                .filter(v -> release.existing()
                        .filter(e -> e.version().equals(v.version()))
                        .isEmpty())
                .sorted(Comparator.comparingLong(FunctionVersion::number).reversed())
                .toList();
        // The release is the newest version kept; the others make up the rest of what is kept.
        int keepOthers = Math.max(0, function.publish().get().keep() - 1);
        others.stream()
                .skip(keepOthers)
                .filter(FunctionVersion::publishedByLambdaform)
                .sorted(Comparator.comparingLong(FunctionVersion::number))
                .forEach(v -> plan.add(key, new FunctionOperations.DeleteVersion(function.name(), v.version())));
    }

    /**
     * The versions aliases use once the plan is applied: every version an alias routes to now (it routes there still,
     * or rolls back there after it moves), every version a manifest pins, and every version an alias rolls back to,
     * unless the alias follows the releases and moves now (its previous version is then the one it leaves). So the
     * plan after an apply deletes nothing more.
     */
    private static Set<String> keptByAliases(
            Function function, Optional<FunctionState> live, Release release, PlanBuilder plan) {
        Map<String, VersionReference> declared = plan.index(VERSION_REFERENCES).getOrDefault(function.name(), Map.of());
        Set<String> kept = new TreeSet<>();
        declared.values().forEach(r -> r.pinnedVersion().ifPresent(kept::add));
        List<FunctionVersion> versions = live.flatMap(FunctionState::versions).orElse(List.of());
        Set<String> onTheRelease = new TreeSet<>();
        release.existing().ifPresent(r -> onTheRelease.addAll(r.aliases()));
        for (FunctionVersion version : versions) {
            if (!version.aliases().isEmpty()) {
                kept.add(version.version());
            }
            for (String alias : version.previousOf()) {
                VersionReference reference = declared.get(alias);
                boolean movesNow = reference != null && reference.followsReleases() && !onTheRelease.contains(alias);
                if (!movesNow) {
                    kept.add(version.version());
                }
            }
        }
        return kept;
    }

    /** A digest's first characters, enough to tell packages apart in a plan. */
    public static String abbreviated(String digest) {
        return digest.length() <= 10 ? digest : digest.substring(0, 10) + "…";
    }

    @Override
    public void prune(String name, Optional<FunctionState> live, PlanBuilder plan) {
        // After the aliases and triggers that go (pruned before): their removal reads and marks the function.
        plan.add(key(name), new FunctionOperations.DeleteFunction(name), plan.operationsAbove(KIND));
    }

    /** The tags that record which package Lambdaform uploaded. */
    public static SortedMap<String, String> codeTags(DeploymentPackage code) {
        return new TreeMap<>(Map.of(SOURCE_TAG, code.sourceSha256(), CODE_TAG, code.codeSha256()));
    }

    /**
     * A function runs the local code when it still runs the package Lambdaform uploaded (its CodeSha256 matches the
     * recorded one) and that package held the same contents (the source digest matches the recorded one): then
     * nothing needs compressing. Otherwise the package is built and compared by CodeSha256 (a package zipped by
     * another machine's deflate has other bytes, so the contents decide first). Code replaced out of band no longer
     * matches the recorded CodeSha256, and is planned back.
     */
    static boolean runsSource(FunctionState live, SourceDigest local) {
        return live.codeSha256().equals(live.tags().get(CODE_TAG))
                && local.sourceSha256().equals(live.tags().get(SOURCE_TAG));
    }

    /** Whether Lambdaform recorded which package the function runs: it uploaded it, or compared it. */
    static boolean hasCodeTags(FunctionState live) {
        return live.tags().containsKey(CODE_TAG) || live.tags().containsKey(SOURCE_TAG);
    }

    /**
     * A function that records no package (made by hand, say) and does not run the bytes of the local package may
     * still run its contents, zipped by another tool: its package's digest decides. Not for a prebuilt archive,
     * whose bytes are what is uploaded.
     */
    @Override
    public boolean needsLiveSource(Function desired, FunctionState live, Map<CodeSource, DeploymentPackage> packages) {
        DeploymentPackage local = desired.code().map(packages::get).orElse(null);
        return local != null
                && desired.code().get().kind() != CodeSource.Kind.ARCHIVE
                && !hasCodeTags(live)
                && !live.codeSha256().equals(local.codeSha256());
    }

    @Override
    public Set<String> systemTags() {
        return Set.of(SOURCE_TAG, CODE_TAG, TRIGGERS_TAG, URLS_TAG);
    }

    /** A package is needed to create, to replace the code, or to change the architectures (only with the code). */
    @Override
    public boolean needsPackage(Function desired, Optional<FunctionState> live, SourceDigest source) {
        return live.isEmpty()
                || !runsSource(live.get(), source)
                || !live.get()
                        .settings()
                        .architectures()
                        .equals(desired.settings().architectures());
    }
}
