package io.lambdaform.importer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.kinds.role.Roles;
import io.lambdaform.manifest.Diagnostic;
import io.lambdaform.manifest.ManifestInputs;
import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.manifest.ManifestWriter;
import io.lambdaform.manifest.SecretLiterals;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.Ports;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads functions and their execution roles from a target, and writes the manifest set that declares them as they
 * are: a plan of it that adopts them only tags them. It reads everything first and changes nothing on the target;
 * the set is written into a folder beside the output folder, validated there as plan would read it, and only then
 * moved into place, so that a failed import leaves the output folder as it was.
 */
public final class Importer {
    static final String STACK_FILE = "stack.yaml";

    private static final Pattern STACK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-zA-Z-]*:iam::(\\d{12}):role(/.*/|/)([^/]+)$");
    private static final int MAX_VARIABLE_LENGTH = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final CloudProvider cloud;
    private final Ports ports;
    private final ManifestReader reader;

    @Inject
    public Importer(CloudProvider cloud, Ports ports, ManifestReader reader) {
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.ports = requireNonNull(ports, "ports is null");
        this.reader = requireNonNull(reader, "reader is null");
    }

    /** The code of one function: the zip, and whether it is written as it is (given with --code) or unzipped. */
    private record Code(byte[] zip, boolean archive) {}

    /** What is read from the target, before anything is written. */
    private static final class Read {
        final SortedMap<String, FunctionState> functions = new TreeMap<>();
        final SortedMap<String, Code> code = new TreeMap<>();
        final SortedMap<String, String> roleOf = new TreeMap<>();
        final SortedMap<String, RoleState> roles = new TreeMap<>();
        /** Roles another stack owns, referred to by ARN: name to owner. */
        final SortedMap<String, String> foreignRoles = new TreeMap<>();

        final List<String> notes = new ArrayList<>();
        final List<ImportResult.Secret> secrets = new ArrayList<>();
        final Set<String> secretValues = new TreeSet<>();
        final Map<String, Integer> secretLengths = new TreeMap<>();
    }

    /**
     * Imports the functions the request names; a user error, with nothing written, when one cannot be. The values
     * of the secrets found are given to {@code secrets} as soon as they are known, before anything is written.
     */
    public ImportResult run(ImportRequest request, Consumer<Sensitive> secrets) {
        if (request.functions().isEmpty()) {
            throw LambdaformException.user("name at least one function to import: --function NAME");
        }
        Set<String> unknownCode = new TreeSet<>(request.code().keySet());
        unknownCode.removeAll(request.functions());
        if (!unknownCode.isEmpty()) {
            throw LambdaformException.user("--code names " + String.join(", ", unknownCode)
                    + ", which is not imported; give it with --function too");
        }
        Path out = request.out().toAbsolutePath().normalize();
        String stack = stackName(request, out);
        TargetDescription target = cloud.describe();

        Read read = new Read();
        readFunctions(request, stack, target, read);
        readCode(request, read);
        for (FunctionState function : read.functions.values()) {
            readRole(function, stack, target, read);
        }

        Map<String, JsonNode> functionDocuments = new LinkedHashMap<>();
        read.functions.forEach((name, function) -> functionDocuments.put(
                name + ".function.yaml", functionDocument(function, read.roleOf.get(name), read.code.get(name), read)));
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        // After the functions: they find the secrets, which the Stack declares as variables.
        documents.put(STACK_FILE, stackDocument(stack, target, read));
        read.roles.forEach((name, role) -> documents.put(name + ".role.yaml", roleDocument(role)));
        documents.putAll(functionDocuments);
        secrets.accept(Sensitive.of(read.secretValues));
        List<String> names = new ArrayList<>(documents.keySet());
        read.code.forEach((name, code) -> names.add(code.archive() ? name + ".zip" : name));
        refuseOverwrite(out, names, request.force());

        List<Path> written = write(out, documents, read);
        // What the plan must adopt: what no stack owns yet (what this stack owns already is its own).
        SortedSet<String> adopt = new TreeSet<>();
        read.functions.values().stream()
                .filter(f -> !f.tags().containsKey(Stack.OWNER_TAG))
                .forEach(f -> adopt.add(f.name()));
        read.roles.values().stream()
                .filter(r -> !r.tags().containsKey(Stack.OWNER_TAG))
                .forEach(r -> adopt.add(r.name()));
        return new ImportResult(
                target,
                stack,
                out,
                written,
                new TreeSet<>(read.functions.keySet()),
                new TreeSet<>(read.roles.keySet()),
                adopt,
                read.notes,
                read.secrets,
                Sensitive.of(read.secretValues));
    }

    private static String stackName(ImportRequest request, Path out) {
        if (request.stack().isPresent()) {
            String name = request.stack().get();
            if (!STACK_NAME.matcher(name).matches() || name.length() > 128) {
                throw LambdaformException.user("--stack " + name + " is not a valid stack name: letters, digits,"
                        + " '_', '.' and '-', starting with a letter or digit, at most 128 characters");
            }
            return name;
        }
        String folder = out.getFileName() == null ? "" : out.getFileName().toString();
        if (!STACK_NAME.matcher(folder).matches() || folder.length() > 128) {
            throw LambdaformException.user("the output folder's name '" + folder + "' is not a valid stack name"
                    + " (letters, digits, '_', '.' and '-'); give the stack's name with --stack NAME");
        }
        return folder;
    }

    // Reading the target

    /**
     * The functions to import, each of which no other stack owns: one that carries another stack's tag is that stack's
     * to declare, and import refuses it, naming the owner, rather than write a second set that claims it.
     */
    private void readFunctions(ImportRequest request, String stack, TargetDescription target, Read read) {
        Functions functions = ports.get(Functions.class);
        List<String> missing = new ArrayList<>();
        List<String> owned = new ArrayList<>();
        for (String name : request.functions()) {
            Optional<FunctionState> live = functions.findFunction(name);
            if (live.isEmpty()) {
                missing.add(name);
                continue;
            }
            FunctionState function = live.get();
            String runtime = function.settings().runtime();
            if (runtime.isEmpty()) {
                throw LambdaformException.user("function " + name + " has no runtime (a container image?): import"
                        + " writes functions of zip packages only; declare it by hand with image: {uri: ...} and"
                        + " --adopt it");
            }
            if (!FunctionKind.supportsRuntime(runtime)) {
                throw LambdaformException.user("function " + name + " runs " + runtime + ", which a Lambdaform"
                        + " manifest cannot name (see the runtimes in docs/manifests.md); it cannot be imported");
            }
            Optional<String> owner = Optional.ofNullable(function.tags().get(Stack.OWNER_TAG));
            if (owner.isPresent() && !owner.get().equals(stack)) {
                owned.add("function " + name + " belongs to stack '" + owner.get() + "'");
                continue;
            }
            read.functions.put(name, function);
        }
        if (!missing.isEmpty()) {
            throw LambdaformException.user("no function named " + String.join(", ", missing) + " on target " + target
                    + "; nothing was written");
        }
        if (!owned.isEmpty()) {
            throw LambdaformException.user(String.join(", ", owned) + " (its " + Stack.OWNER_TAG + " tag), not to"
                    + " stack '" + stack + "' that import would write; nothing was written. A function of another"
                    + " stack is declared by that stack's manifests: to move it here, release it from its stack first"
                    + " (spec.release in its Stack manifest, then apply that stack), then import it; if that stack's"
                    + " manifests were lost, import it into that stack (--stack with its name)");
        }
    }

    /**
     * The zip of each function: the one given with --code, which must be the package it runs, or the one the target
     * serves. Every function whose code cannot be had is named, with what to do.
     */
    private void readCode(ImportRequest request, Read read) {
        Functions functions = ports.get(Functions.class);
        List<String> unserved = new ArrayList<>();
        for (FunctionState function : read.functions.values()) {
            String name = function.name();
            Path given = request.code().get(name);
            if (given != null) {
                byte[] zip = readArchive(given);
                String sha = CodePackager.codeSha256(zip);
                if (!sha.equals(function.codeSha256())) {
                    throw LambdaformException.user(given + " is not the package " + name + " runs: its CodeSha256"
                            + " is " + sha + ", the function's is " + function.codeSha256()
                            + ". Give the zip the function was created or last updated from");
                }
                CodePackager.digestZip(zip);
                read.code.put(name, new Code(zip, true));
                continue;
            }
            Optional<byte[]> zip = functions.livePackage(name);
            if (zip.isEmpty()) {
                unserved.add(name);
            } else {
                read.code.put(name, new Code(zip.get(), false));
            }
        }
        if (!unserved.isEmpty()) {
            throw LambdaformException.user("the target did not serve the code of "
                    + unserved.stream().map(n -> "function " + n).collect(Collectors.joining(", "))
                    + " (emulators such as moto do not), so nothing was written. Give the package each function"
                    + " was created from: "
                    + unserved.stream().map(n -> "--code " + n + "=FILE.zip").collect(Collectors.joining(" ")));
        }
    }

    private static byte[] readArchive(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw LambdaformException.user("--code " + file + " is not a regular file");
            }
            if (attributes.size() > CodePackager.MAX_DIRECT_UPLOAD_BYTES) {
                throw LambdaformException.user("--code " + file + " is larger than Lambda's "
                        + CodePackager.MAX_DIRECT_UPLOAD_BYTES / 1048576 + " MB for a zip uploaded directly");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw LambdaformException.user("cannot read --code " + file + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /**
     * The function's execution role: imported when it is a role of the target's account that can be read and that no
     * other stack owns (a role shared by several functions once), else referred to by ARN, with a note saying why.
     */
    private void readRole(FunctionState function, String stack, TargetDescription target, Read read) {
        String arn = function.roleArn();
        String byArn = "function " + function.name() + " refers to its role by ARN (" + arn + "), which Lambdaform"
                + " will not manage: ";
        Matcher m = ROLE_ARN.matcher(arn);
        if (!m.matches()) {
            read.roleOf.put(function.name(), arn);
            read.notes.add(byArn + "it is not the ARN of an IAM role");
            return;
        }
        if (!m.group(1).equals(target.accountId())) {
            read.roleOf.put(function.name(), arn);
            read.notes.add(byArn + "the role is in account " + m.group(1) + ", not in the target's account "
                    + target.accountId());
            return;
        }
        String name = m.group(3);
        String foreign = read.foreignRoles.get(name);
        if (foreign != null) {
            referToForeignRole(function, arn, name, foreign, read);
            return;
        }
        RoleState role = read.roles.get(name);
        if (role == null) {
            try {
                role = ports.get(Roles.class).findRole(name).orElse(null);
            } catch (LambdaformException e) {
                if (e.category() != LambdaformException.Category.EXTERNAL) {
                    throw e;
                }
                read.roleOf.put(function.name(), arn);
                read.notes.add(byArn + "the role could not be read (" + e.getMessage() + ")");
                return;
            }
        }
        if (role == null || !role.arn().equals(arn)) {
            read.roleOf.put(function.name(), arn);
            read.notes.add(
                    byArn + (role == null ? "no role of that name exists" : "the role of that name is " + role.arn()));
            return;
        }
        Optional<String> owner = Optional.ofNullable(role.tags().get(Stack.OWNER_TAG));
        if (owner.isPresent() && !owner.get().equals(stack)) {
            read.foreignRoles.put(name, owner.get());
            referToForeignRole(function, arn, name, owner.get(), read);
            return;
        }
        read.roles.put(name, role);
        read.roleOf.put(function.name(), name);
    }

    /**
     * A role of another stack: the function refers to it by ARN (no Role document, nothing to adopt), so that the plan
     * of the written set never takes it from its owner.
     */
    private static void referToForeignRole(FunctionState function, String arn, String name, String owner, Read read) {
        read.roleOf.put(function.name(), arn);
        read.notes.add("function " + function.name() + "'s execution role " + name + " belongs to stack '" + owner
                + "': the function refers to it by ARN (" + arn + "), and this set will not manage it. To move the"
                + " role here too, release it from stack '" + owner + "' first (spec.release in its Stack manifest,"
                + " then apply that stack), then import again");
    }

    // The documents

    private static ObjectNode document(String kind, String name) {
        ObjectNode document = NODES.objectNode();
        document.put("kind", kind);
        document.put("name", name);
        return document;
    }

    private static JsonNode stackDocument(String stack, TargetDescription target, Read read) {
        ObjectNode document = document("Stack", stack);
        ObjectNode spec = document.putObject("spec");
        spec.put("region", target.region());
        if (!read.secrets.isEmpty()) {
            ObjectNode variables = spec.putObject("variables");
            for (ImportResult.Secret secret : read.secrets) {
                variables
                        .putObject(secret.variable())
                        .put("type", "string")
                        .put("sensitive", true)
                        .put(
                                "description",
                                "environment variable " + secret.key() + " of function " + secret.function()
                                        + "; give it with --sensitive-values");
            }
        }
        return document;
    }

    private static JsonNode roleDocument(RoleState role) {
        ObjectNode document = document(RoleKind.KIND.manifestName(), role.name());
        ObjectNode spec = document.putObject("spec");
        spec.put("path", role.path());
        spec.put("description", role.description());
        spec.set("assumeRolePolicyDocument", policy(role.assumeRolePolicy(), role.name() + "'s trust policy"));
        ArrayNode managed = spec.putArray("managedPolicyArns");
        role.managedPolicyArns().forEach(managed::add);
        ObjectNode inline = spec.putObject("inlinePolicies");
        role.inlinePolicies()
                .forEach((name, text) -> inline.set(name, policy(text, role.name() + "'s inline policy " + name)));
        spec.put("maxSessionDuration", role.maxSessionDuration());
        role.permissionsBoundary().ifPresent(b -> spec.put("permissionsBoundary", b));
        spec.set("tags", userTags(role.tags()));
        return document;
    }

    private static JsonNode policy(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw LambdaformException.external(what + " as the target reports it is not JSON");
        }
    }

    private static JsonNode functionDocument(FunctionState function, String role, Code code, Read read) {
        String name = function.name();
        FunctionSettings s = function.settings();
        ObjectNode document = document(FunctionKind.KIND.manifestName(), name);
        ObjectNode spec = document.putObject("spec");
        spec.put("runtime", s.runtime());
        spec.put("handler", s.handler());
        spec.put("code", code.archive() ? name + ".zip" : name);
        spec.put("role", role);
        spec.put("description", s.description());
        spec.put("memorySize", s.memorySize());
        spec.put("timeout", s.timeout());
        ArrayNode architectures = spec.putArray("architectures");
        s.architectures().forEach(architectures::add);
        spec.putObject("ephemeralStorage").put("size", s.ephemeralStorageSize());
        ObjectNode environment = spec.putObject("environment");
        s.environment().forEach((key, value) -> {
            Optional<String> secret = SecretLiterals.looksSecret(key, value);
            if (secret.isEmpty() || value.isEmpty()) {
                environment.put(key, value);
                return;
            }
            String variable = variableName(name, key, read);
            read.secrets.add(new ImportResult.Secret(name, key, variable, secret.get()));
            read.secretValues.add(value);
            read.secretLengths.put(variable, value.length());
            ObjectNode entry = environment.putObject(key);
            entry.set("value", ManifestWriter.reference(variable));
            entry.put("secret", true);
        });
        ArrayNode layers = spec.putArray("layers");
        s.layers().forEach(layers::add);
        s.tracingMode().ifPresent(mode -> spec.putObject("tracingConfig").put("mode", mode));
        s.kmsKeyArn().filter(k -> !k.isEmpty()).ifPresent(k -> spec.put("kmsKeyArn", k));
        s.deadLetterTargetArn()
                .filter(t -> !t.isEmpty())
                .ifPresent(t -> spec.putObject("deadLetterConfig").put("targetArn", t));
        s.vpcConfig()
                .filter(v -> !v.subnetIds().isEmpty() || !v.securityGroupIds().isEmpty())
                .ifPresent(v -> {
                    ObjectNode vpc = spec.putObject("vpcConfig");
                    ArrayNode subnets = vpc.putArray("subnetIds");
                    v.subnetIds().forEach(subnets::add);
                    ArrayNode groups = vpc.putArray("securityGroupIds");
                    v.securityGroupIds().forEach(groups::add);
                    vpc.put("ipv6AllowedForDualStack", v.ipv6AllowedForDualStack());
                });
        s.loggingConfig().ifPresent(l -> {
            ObjectNode logging = spec.putObject("loggingConfig");
            logging.put("logFormat", l.logFormat());
            l.applicationLogLevel().ifPresent(v -> logging.put("applicationLogLevel", v));
            l.systemLogLevel().ifPresent(v -> logging.put("systemLogLevel", v));
            l.logGroup().ifPresent(v -> logging.put("logGroup", v));
        });
        s.fileSystemConfigs().filter(f -> !f.isEmpty()).ifPresent(configs -> {
            ArrayNode mounts = spec.putArray("fileSystemConfigs");
            configs.forEach(c -> mounts.addObject().put("arn", c.arn()).put("localMountPath", c.localMountPath()));
        });
        s.snapStartApplyOn()
                .filter(a -> !a.equals("None"))
                .ifPresent(a -> spec.putObject("snapStart").put("applyOn", a));
        spec.set("tags", userTags(function.tags()));
        return document;
    }

    /** The tags a manifest may write: all but AWS's and Lambdaform's own. */
    private static ObjectNode userTags(Map<String, String> tags) {
        ObjectNode written = NODES.objectNode();
        tags.forEach((key, value) -> {
            if (!key.startsWith("aws:") && !key.startsWith("lambdaform:")) {
                written.put(key, value);
            }
        });
        return written;
    }

    /** {@code <function>_<KEY>}, as a valid and unique variable name. */
    private static String variableName(String function, String key, Read read) {
        String base = (function + "_" + key).replace('-', '_');
        if (!Character.isLetter(base.charAt(0)) && base.charAt(0) != '_') {
            base = "fn_" + base;
        }
        base = base.substring(0, Math.min(base.length(), MAX_VARIABLE_LENGTH));
        String name = base;
        for (int n = 2; read.secretLengths.containsKey(name); n++) {
            String suffix = "_" + n;
            name = base.substring(0, Math.min(base.length(), MAX_VARIABLE_LENGTH - suffix.length())) + suffix;
        }
        return name;
    }

    // Writing

    private static void refuseOverwrite(Path out, List<String> names, boolean force) {
        List<String> existing = names.stream()
                .filter(n -> Files.exists(out.resolve(n), LinkOption.NOFOLLOW_LINKS))
                .map(n -> out.resolve(n).toString())
                .toList();
        if (!existing.isEmpty() && !force) {
            throw LambdaformException.user("import would overwrite " + String.join(", ", existing)
                    + "; nothing was written. Give --force to replace them, or another --out folder");
        }
        // Other manifests would stay beside a replaced stack.yaml, which declares only this import's variables.
        List<String> others = otherManifests(out, names);
        if (!others.isEmpty()) {
            throw LambdaformException.user(out + " holds other manifests (" + String.join(", ", others) + "); import"
                    + " writes a whole set with its own stack.yaml: import into an empty folder, or import every"
                    + " function of the set together");
        }
    }

    private static List<String> otherManifests(Path out, List<String> names) {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .filter(n -> !names.contains(n))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw LambdaformException.user("cannot read " + out + ": " + e.getMessage());
        }
    }

    /**
     * Writes the set into a folder beside {@code out}, validates it there, then moves it into {@code out}: a set
     * that does not validate is a bug, reported with every problem, and leaves {@code out} as it was.
     */
    private List<Path> write(Path out, Map<String, JsonNode> documents, Read read) {
        Path staging;
        try {
            Files.createDirectories(out.getParent());
            staging = Files.createTempDirectory(out.getParent(), ".lambdaform-import-");
        } catch (IOException e) {
            throw LambdaformException.user("cannot write into " + out.getParent() + ": " + e.getMessage());
        }
        try {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> document : documents.entrySet()) {
                Files.writeString(
                        staging.resolve(document.getKey()),
                        ManifestWriter.write(document.getValue()),
                        StandardCharsets.UTF_8);
                names.add(document.getKey());
            }
            for (Map.Entry<String, Code> code : read.code.entrySet()) {
                String name = code.getKey();
                if (code.getValue().archive()) {
                    Files.write(staging.resolve(name + ".zip"), code.getValue().zip());
                    names.add(name + ".zip");
                } else {
                    Path folder = staging.resolve(name);
                    CodePackager.unzip(code.getValue().zip(), folder);
                    names.add(name);
                    noteLeftOut(name, code.getValue().zip(), folder, read);
                }
            }
            validate(staging, out, read);
            Files.createDirectories(out);
            List<Path> written = new ArrayList<>();
            for (String name : names) {
                Path target = out.resolve(name);
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    deleteRecursively(target);
                }
                Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
                written.add(target);
            }
            return written;
        } catch (IOException e) {
            throw LambdaformException.user("cannot write the manifests into " + out + ": " + e.getMessage());
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Notes a package whose folder does not pack to the same contents (files packages always leave out). */
    private static void noteLeftOut(String function, byte[] zip, Path folder, Read read) {
        SourceDigest live = CodePackager.digestZip(zip);
        SourceDigest local = new CodePackager().digest(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
        if (!live.equals(local)) {
            read.notes.add("the package of function " + function + " holds files Lambdaform leaves out of packages ("
                    + String.join(", ", CodePackager.DEFAULT_EXCLUDES) + "): a plan will update its code without"
                    + " them. To keep the package as it is, import it with --code " + function + "=FILE.zip");
        }
    }

    /** Reads the written set as plan will, with stand-ins of the same length for the secrets. */
    private void validate(Path staging, Path out, Read read) throws IOException {
        Path values = Files.createTempFile("lambdaform-import-", ".yaml");
        try {
            ObjectNode standIns = NODES.objectNode();
            read.secretLengths.forEach((variable, length) -> standIns.put(variable, "x".repeat(Math.max(1, length))));
            Files.writeString(values, read.secretLengths.isEmpty() ? "{}\n" : ManifestWriter.write(standIns));
            ManifestSet set = reader.read(
                    List.of(staging),
                    staging,
                    new ManifestInputs(
                            Optional.empty(), Optional.empty(), Optional.of(values), Map.of(), Optional.empty()));
            if (!set.valid()) {
                throw new LambdaformException(
                        LambdaformException.Category.INTERNAL,
                        "import wrote manifests that do not validate (nothing was"
                                + " written to " + out + "); please report it:\n"
                                + set.diagnostics().stream()
                                        .map(Diagnostic::format)
                                        .collect(Collectors.joining("\n")));
            }
            Stack stack = set.stack().orElseThrow();
            if (stack.resources(FunctionKind.KIND).size() != read.functions.size()) {
                throw new LambdaformException(
                        LambdaformException.Category.INTERNAL,
                        "import wrote " + read.functions.size() + " function(s) but the set declares "
                                + stack.resources(FunctionKind.KIND).size());
            }
        } finally {
            Files.deleteIfExists(values);
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteQuietly(Path folder) {
        try {
            if (Files.exists(folder)) {
                deleteRecursively(folder);
            }
        } catch (IOException e) {
            // Best effort: a hidden folder beside the output is all that may remain.
        }
    }
}
