package io.lambdaform.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.ConfinedPath;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.Quoted;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.TriggerEvents;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Payload;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.CodeInspector;
import io.lambdaform.resource.HandlerNeed;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.Specs;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds the desired {@link Stack} from schema-valid documents, with the checks a schema cannot express: one Stack,
 * unique names, references between documents, Lambda's environment limits, handler versus runtime, and the files
 * the manifests point to.
 */
final class ModelBuilder {
    /** What the distinct event files of a set may hold in all: 64 MB (each at most Lambda's 6 MB). */
    static final long MAX_EVENT_FILE_BYTES = 64L * 1024 * 1024;

    /** Characters of code.exclude patterns a set may hold in all, counting a folder's patterns once. */
    static final long MAX_EXCLUDE_CHARACTERS = 32 * 1024;

    private static final String FUNCTION = FunctionKind.KIND.manifestName();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Problems problems;
    private final ConfinedFiles files;
    private final Sensitive sensitive;
    private final CodeInspector code;
    private final FuzzyMatcher suggestions;
    /** The events read from files, by real path: each file is read once, whatever the payloads naming it. */
    private final Map<Path, Optional<String>> events = new HashMap<>();
    /** The bytes of the distinct event files read so far. */
    private long eventBytes;
    /** The code sources inspected so far, and the characters of their exclude patterns. */
    private final Set<CodeSource> inspected = new HashSet<>();

    private long inspectedExcludeCharacters;

    private final Map<String, YamlDocument> stacks = new LinkedHashMap<>();
    /** Per resource kind (by manifest name), the documents by name. */
    private final Map<String, Map<String, YamlDocument>> resources = new LinkedHashMap<>();

    private final Map<String, YamlDocument> payloads = new LinkedHashMap<>();
    private final Map<String, YamlDocument> environments = new LinkedHashMap<>();
    /** Every uniquely named document of a known kind, valid or not: semantic checks run on all of them. */
    private final List<YamlDocument> documents = new ArrayList<>();
    /** What documents ask alike, computed once for the set ({@link ReadContext#shared}). */
    private final Map<String, Object> sharedValues = new HashMap<>();

    ModelBuilder(
            Problems problems, ConfinedFiles files, Sensitive sensitive, CodeInspector code, FuzzyMatcher suggestions) {
        this.problems = problems;
        this.files = files;
        this.sensitive = sensitive;
        this.code = code;
        this.suggestions = suggestions;
    }

    /**
     * Registers a document's kind and name, even a schema-invalid one: references to it do not dangle, and its
     * semantic checks still run, so one run reports every problem.
     */
    void add(YamlDocument document, boolean schemaValid) {
        Optional<DocumentKind> known = DocumentKind.of(kindName(document));
        if (known.isEmpty()) {
            return; // the schema validator reports an unknown kind
        }
        DocumentKind kind = known.get();
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
        Map<String, YamlDocument> index = switch (kind) {
            case STACK -> stacks;
            case RESOURCE -> resources.computeIfAbsent(kindName(document), k -> new LinkedHashMap<>());
            case PAYLOAD -> payloads;
            case ENVIRONMENT -> environments;
        };
        if (kind == DocumentKind.ENVIRONMENT) {
            index.putIfAbsent(nameNode.asText(), document);
            return;
        }
        String name = resourceName(document);
        YamlDocument first = index.putIfAbsent(name, document);
        if (first != null) {
            problems.at(
                    document.valueAt("/name"),
                    "duplicate " + kindName(document) + " name '" + name + "': already declared at "
                            + first.valueAt("/name"));
            return;
        }
        if (kind == DocumentKind.STACK && stacks.size() > 1) {
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
        List<String> allowedAccounts = List.of();
        SortedSet<ResourceKey> released = new TreeSet<>();
        Optional<String> codeBucket = Optional.empty();
        List<Resource> resourceModels = new ArrayList<>();
        List<Payload> payloadModels = new ArrayList<>();
        for (YamlDocument document : documents) {
            String name = resourceName(document);
            JsonNode spec = document.root().path("spec");
            switch (DocumentKind.of(kindName(document)).orElseThrow()) {
                case STACK -> {
                    stackName = name;
                    region = Specs.text(spec, "region");
                    stackTags = Specs.strings(spec.path("tags"));
                    allowedAccounts = Specs.list(spec.path("allowedAccounts"));
                    released = released(document);
                    codeBucket = Specs.text(spec, "codeBucket");
                    // What the Stack implies besides (its code bucket is a bucket): each kind reads it.
                    for (ResourceKind<?, ?, ?> kind : Kinds.ALL) {
                        resourceModels.addAll(kind.readStack(new Reading(document, name, spec)));
                    }
                }
                case RESOURCE ->
                    Kinds.named(kindName(document))
                            .orElseThrow()
                            .read(new Reading(document, name, spec))
                            .ifPresent(resourceModels::add);
                case PAYLOAD -> payload(document, name, spec).ifPresent(payloadModels::add);
                case ENVIRONMENT -> throw new IllegalStateException("environments are not model documents");
            }
        }
        payloadModels = fromTriggers(payloadModels, resourceModels, region);
        long excludeCharacters = resourceModels.stream()
                .flatMap(r -> r.codeSources().stream())
                .distinct()
                .flatMap(c -> c.excludes().stream())
                .mapToLong(String::length)
                .sum();
        if (excludeCharacters > MAX_EXCLUDE_CHARACTERS) {
            // Each code folder is walked with its own patterns: their total bounds the work of every walk together.
            problems.add(Diagnostic.inFile(
                    firstFile,
                    "the code.exclude patterns of this set hold " + String.format("%,d", excludeCharacters)
                            + " characters in all; at most " + String.format("%,d", MAX_EXCLUDE_CHARACTERS)
                            + " are allowed: share code folders and their patterns between functions, or use fewer"));
        }
        if (!problems.isEmpty() || stackName == null) {
            return Optional.empty();
        }
        return Optional.of(new Stack(
                stackName,
                region,
                new TreeMap<>(stackTags),
                resourceModels,
                payloadModels,
                sensitive,
                new TreeSet<>(allowedAccounts),
                released,
                codeBucket));
    }

    /**
     * The resources the Stack lets go of ({@code spec.release}): each of a registered kind, and not declared in the
     * set, since a stack cannot both manage and release a resource.
     */
    private SortedSet<ResourceKey> released(YamlDocument stack) {
        SortedSet<ResourceKey> released = new TreeSet<>();
        JsonNode entries = stack.root().path("spec").path("release");
        List<String> kinds = Kinds.ALL.stream().map(ResourceKind::manifestName).toList();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String at = "/spec/release/" + i;
            if (!entry.path("kind").isTextual() || !entry.path("name").isTextual()) {
                continue; // the schema validator reports it
            }
            String kindName = entry.get("kind").asText();
            String name = entry.get("name").asText();
            Optional<ResourceKind<?, ?, ?>> kind = Kinds.named(kindName);
            if (kind.isEmpty()) {
                problems.at(
                        stack.valueAt(at + "/kind"),
                        "spec.release names kind '" + Quoted.shortened(sensitive.mask(kindName))
                                + "', which is not a kind of resource; expected one of " + String.join(", ", kinds)
                                + (sensitive.appearsIn(kindName) ? "" : suggestions.suggest(kindName, kinds)));
                continue;
            }
            if (sensitive.appearsIn(name)) {
                problems.at(
                        stack.valueAt(at + "/name"),
                        "a name cannot hold a sensitive value (one read with ${env.…}, a sensitive variable's or a"
                                + " secret): names appear in every plan. Take it from a variable that an Environment or"
                                + " --values sets");
                continue;
            }
            YamlDocument declaredAt = resources.getOrDefault(kindName, Map.of()).get(name);
            if (declaredAt != null) {
                problems.at(
                        stack.valueAt(at + "/name"),
                        kindName + " '" + name + "' is released by spec.release but declared at "
                                + declaredAt.valueAt("/name") + ": a stack cannot both manage and release a resource."
                                + " To let go of it, remove its " + kindName + " document; to keep it, remove this"
                                + " entry");
                continue;
            }
            released.add(new ResourceKey(kind.get(), name));
        }
        return released;
    }

    /** The payloads that name a trigger, by name, with where they name it. */
    private final Map<String, YamlDocument> triggerPayloads = new LinkedHashMap<>();

    /**
     * Payloads that name a trigger get the event Lambda would send for it ({@link TriggerEvents}), their own event
     * merged on top, and the trigger's function and alias unless they name their own.
     */
    private List<Payload> fromTriggers(List<Payload> payloads, List<Resource> resources, Optional<String> region) {
        if (triggerPayloads.isEmpty()) {
            return payloads;
        }
        Map<String, Trigger> triggers = new HashMap<>();
        resources.stream()
                .filter(r -> r instanceof Trigger)
                .map(r -> (Trigger) r)
                .forEach(t -> triggers.put(t.name(), t));
        TargetDescription example =
                new TargetDescription("events", "generated", TriggerEvents.EXAMPLE_ACCOUNT, region.orElse("us-east-1"));
        List<Payload> resolved = new ArrayList<>();
        for (Payload payload : payloads) {
            YamlDocument document = triggerPayloads.get(payload.name());
            if (document == null) {
                resolved.add(payload);
                continue;
            }
            JsonNode spec = document.root().path("spec");
            String name = spec.path("trigger").asText();
            Trigger trigger = triggers.get(name);
            if (trigger == null) {
                if (!declared("Trigger").contains(name)) {
                    problems.at(
                            document.valueAt("/spec/trigger"),
                            "trigger '" + Quoted.shortened(sensitive.mask(name)) + "' is not a Trigger of this manifest"
                                    + " set"
                                    + (sensitive.appearsIn(name)
                                            ? ""
                                            : suggestions.suggest(name, declared("Trigger"))));
                }
                continue;
            }
            if (spec.path("function").isTextual() && !payload.function().equals(trigger.function())) {
                problems.at(
                        document.valueAt("/spec/function"),
                        "payload " + payload.name() + " names function '" + payload.function() + "' but its trigger "
                                + name + " invokes '" + trigger.function() + "': remove 'function'");
                continue;
            }
            Optional<JsonNode> overrides = spec.has("event") || spec.has("eventFile")
                    ? Optional.of(parseEvent(payload.event()))
                    : Optional.empty();
            resolved.add(new Payload(
                    payload.name(),
                    trigger.function(),
                    TriggerEvents.generate(trigger, example, overrides).toString(),
                    payload.expect(),
                    payload.qualifier().or(trigger::qualifier),
                    payload.invocationType()));
        }
        return resolved;
    }

    private static JsonNode parseEvent(String event) {
        try {
            return new ObjectMapper().readTree(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event read as JSON is JSON", e);
        }
    }

    private Optional<Payload> payload(YamlDocument document, String name, JsonNode spec) {
        int before = problemCount();
        if (spec.path("trigger").isTextual()) {
            triggerPayloads.put(name, document);
        }
        String function = spec.path("function").asText();
        if (spec.path("function").isTextual()
                && !function.contains("${")
                && !declared(FUNCTION).contains(function)) {
            problems.at(
                    document.valueAt("/spec/function"),
                    "function '" + Quoted.shortened(sensitive.mask(function))
                            + "' is not a Function of this manifest set"
                            + (sensitive.appearsIn(function) ? "" : suggestions.suggest(function, declared(FUNCTION))));
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
        Optional<Payload.Outcome> outcome = Specs.text(expect, "outcome")
                .map(o -> o.equals("success") ? Payload.Outcome.SUCCESS : Payload.Outcome.FUNCTION_ERROR);
        Optional<String> result =
                expect.has("result") ? Optional.of(expect.get("result").toString()) : Optional.empty();
        Payload.InvocationType invocationType = Specs.text(spec, "invocationType")
                .filter(t -> t.equals(Payload.InvocationType.EVENT.written()))
                .map(t -> Payload.InvocationType.EVENT)
                .orElse(Payload.InvocationType.REQUEST_RESPONSE);
        Optional<Payload.Destination> destination = Specs.text(expect, "destination")
                .map(d -> d.equals(Payload.Destination.ON_SUCCESS.written())
                        ? Payload.Destination.ON_SUCCESS
                        : Payload.Destination.ON_FAILURE);
        if (destination.isPresent() && invocationType != Payload.InvocationType.EVENT) {
            problems.at(
                    document.valueAt("/spec/expect/destination"),
                    "expect.destination checks where a queued event's invocation record went: only a payload with"
                            + " invocationType: Event has one; add it, or remove expect.destination");
        }
        if (problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Payload(
                name,
                function,
                event,
                new Payload.Expectation(outcome, result, Specs.text(expect, "logContains"), destination),
                Specs.text(spec, "qualifier"),
                invocationType));
    }

    /** The event as compact JSON; a message about a bad file names where it is wrong, never what it holds. */
    private Optional<String> readEvent(Path file, String written, Position at) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            real = file.toAbsolutePath().normalize();
        }
        // A file named by many payloads is read once; what distinct files hold is bounded for the whole set.
        if (events.containsKey(real)) {
            return events.get(real);
        }
        long size = file.toFile().length();
        if (eventBytes + size > MAX_EVENT_FILE_BYTES) {
            problems.at(
                    at,
                    "event file '" + written + "' would bring the set's event files past "
                            + MAX_EVENT_FILE_BYTES / (1024 * 1024) + " MB in all; use smaller events, or fewer files");
            events.put(real, Optional.empty());
            return Optional.empty();
        }
        eventBytes += size;
        Optional<String> event = parseEvent(file, written, at);
        events.put(real, event);
        return event;
    }

    private Optional<String> parseEvent(Path file, String written, Position at) {
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

    private int problemCount() {
        return problems.size();
    }

    /**
     * The name a document's resource goes by: its {@code name}, or what its kind makes of it (an alias is named
     * {@code function:alias}, since two functions may each have a "live").
     */
    private static String resourceName(YamlDocument document) {
        String name = document.root().path("name").asText();
        return Kinds.named(kindName(document))
                .map(kind -> kind.resourceName(name, document.root().path("spec")))
                .orElse(name);
    }

    private static String kindName(YamlDocument document) {
        return document.root().path("kind").asText("");
    }

    private Set<String> declared(String manifestName) {
        return resources.getOrDefault(manifestName, Map.of()).keySet();
    }

    /**
     * Whether {@code source} may be looked into: past the set's exclude characters (each source's counted once) no
     * folder is, and the set is refused as a whole ({@link #build}).
     */
    private boolean mayInspect(CodeSource source) {
        if (inspected.add(source)) {
            inspectedExcludeCharacters +=
                    source.excludes().stream().mapToLong(String::length).sum();
        }
        return inspectedExcludeCharacters <= MAX_EXCLUDE_CHARACTERS;
    }

    /** One resource document as its kind's reader sees it. */
    private final class Reading implements ReadContext {
        private final YamlDocument document;
        private final String name;
        private final JsonNode spec;

        Reading(YamlDocument document, String name, JsonNode spec) {
            this.document = document;
            this.name = name;
            this.spec = spec;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public JsonNode spec() {
            return spec;
        }

        @Override
        public Sensitive sensitive() {
            return sensitive;
        }

        @Override
        public void problemAt(String pointer, String message) {
            problems.at(document.valueAt(pointer), message);
        }

        @Override
        public void problemAtKey(String pointer, String message) {
            problems.at(document.keyAt(pointer), message);
        }

        @Override
        public boolean hasProblemAt(String pointer) {
            return problems.reportedAt(document.valueAt(pointer));
        }

        @Override
        public int problemCount() {
            return problems.size();
        }

        @Override
        public Set<String> declared(String manifestName) {
            return ModelBuilder.this.declared(manifestName);
        }

        @Override
        public Optional<JsonNode> declaredSpec(String manifestName, String name) {
            return Optional.ofNullable(
                            resources.getOrDefault(manifestName, Map.of()).get(name))
                    .map(d -> d.root().path("spec"));
        }

        @Override
        public void validationWarning(String pointer, String message) {
            if (code.validating()) {
                problems.warnAt(document.valueAt(pointer), message);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T shared(String key, Supplier<T> compute) {
            if (!sharedValues.containsKey(key)) {
                sharedValues.put(key, compute.get());
            }
            return (T) sharedValues.get(key);
        }

        @Override
        public Optional<Path> file(String written, String pointer, boolean folderAllowed) {
            return files.resolve(
                    document,
                    written,
                    folderAllowed ? ConfinedFiles.Want.FILE_OR_FOLDER : ConfinedFiles.Want.FILE,
                    document.valueAt(pointer),
                    problems);
        }

        @Override
        public Optional<Path> output(String written, String pointer) {
            return files.resolve(
                    document, written, ConfinedFiles.Want.BUILD_OUTPUT, document.valueAt(pointer), problems);
        }

        @Override
        public Path manifestFolder() {
            return document.file().path().toAbsolutePath().normalize().getParent();
        }

        @Override
        public boolean exists(Path path) {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public void inspectCode(CodeSource source, String written, String pointer) {
            if (mayInspect(source)) {
                code.problem(source, "'" + written + "'").ifPresent(message -> problemAt(pointer, message));
            }
        }

        @Override
        public void inspectHandler(CodeSource source, HandlerNeed need, String written, String pointer) {
            if (mayInspect(source)) {
                code.handlerProblem(source, need, "'" + written + "'").ifPresent(finding -> {
                    if (finding.warning()) {
                        problems.warnAt(document.valueAt(pointer), finding.message());
                    } else {
                        problemAt(pointer, finding.message());
                    }
                });
            }
        }

        @Override
        public boolean isFolder(Path path) {
            return Files.isDirectory(path);
        }

        @Override
        public boolean holdsFile(Path folder, String relative) {
            // Resolved inside the code folder without following a link out: a handler's module that is a link
            // elsewhere is refused when the code is packaged, and whether what it names exists must not show here.
            try {
                ConfinedPath.Resolution resolved = files.confined(folder.toRealPath(), Path.of(relative));
                return switch (resolved.outcome()) {
                    case INSIDE -> Files.isRegularFile(resolved.real().orElseThrow());
                    case OUTSIDE -> true;
                    case MISSING, LOOP -> false;
                };
            } catch (IOException | InvalidPathException e) {
                return false;
            }
        }

        @Override
        public String suggestion(String written, Set<String> candidates) {
            return suggestions.suggest(written, candidates);
        }

        @Override
        public boolean isGlob(String pattern) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
