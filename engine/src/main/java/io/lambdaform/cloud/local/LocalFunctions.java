package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.DestinationRecord;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionFields;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionPackage;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.function.QueuedRun;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.layer.Layers;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.Payload;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@link Functions} port in the local cloud: functions kept in the state's "functions" section, their packages
 * in the code folder, run for real by {@link LocalRuntime}. It refuses what Lambda refuses where the engine relies
 * on it: a duplicate name, a role Lambda cannot assume, a function that does not exist.
 */
public final class LocalFunctions implements Functions {
    static final LocalState.Section<FunctionState> SECTION =
            new LocalState.Section<>("functions", "function", FunctionState.class);
    private static final SortedMap<String, JsonNode> EMPTY = new TreeMap<>();

    private final LocalCloud cloud;
    /** Whether this process removed every package no function runs yet. */
    private final AtomicBoolean swept = new AtomicBoolean();

    @Inject
    public LocalFunctions(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    /** The highest version number each function ever had: Lambda never numbers two versions alike. */
    static final LocalState.Section<Long> VERSION_NUMBERS =
            new LocalState.Section<>("version-numbers", "version number", Long.class);

    private static final Pattern NUMBER = Pattern.compile("^[0-9]{1,18}$");
    /** The retries of a queued invocation when the function sets none, as on Lambda. */
    private static final int DEFAULT_RETRY_ATTEMPTS = 2;

    private static final Random WEIGHTS = new Random();

    /**
     * The function, once the layer versions it names by ARN are found: Lambda refuses a version that does not exist,
     * and so does the plan, before anything is changed.
     */
    @Override
    public Optional<FunctionState> find(Resource declared) {
        if (declared instanceof Function function) {
            LocalState state = cloud.store().read();
            for (String layer : function.settings().layers()) {
                if (layer.startsWith("arn:")
                        && LocalLayers.version(state, layer).isEmpty()) {
                    throw LambdaformException.user("function " + function.name() + " names layer version " + layer
                            + ", which the local cloud does not have (" + LocalLayers.SECTION.label() + "s are"
                            + " published by their stack's apply): name a Layer of the manifests instead, or a version"
                            + " that exists");
                }
            }
            if (function.role() instanceof RoleRef.OtherStack other) {
                other.require(function.name(), state.get(LocalRoles.SECTION, other.name()));
            }
        }
        return find(declared.name());
    }

    /** The local cloud keeps every version; a function that does not publish is read without them, as on AWS. */
    @Override
    public Optional<FunctionState> findFunction(String name) {
        LocalState state = cloud.store().read();
        return state.get(SECTION, name)
                .map(f -> f.tags().containsKey(FunctionKind.PUBLISH_TAG)
                        ? f.withVersions(routed(state, name, f.versions().orElse(List.of())))
                        : f.withoutVersions());
    }

    /** Each version with the aliases that route to it, or roll back to it. */
    private static List<FunctionVersion> routed(LocalState state, String function, List<FunctionVersion> versions) {
        return Aliases.withAliases(versions, aliasesOf(state, function));
    }

    private static List<Aliases.State> aliasesOf(LocalState state, String function) {
        return state.all(LocalAliases.SECTION).values().stream()
                .filter(a -> a.function().equals(function))
                .toList();
    }

    /**
     * Publishes $LATEST, provided it runs {@code codeSha256}; when it holds what the newest version holds, that
     * version is returned, as Lambda does.
     */
    @Override
    public String publishVersion(String name, String codeSha256, String description) {
        String[] published = new String[1];
        cloud.store().update(state -> {
            FunctionState f = state.get(SECTION, name).orElseThrow(() -> notFound(name));
            if (!f.codeSha256().equals(codeSha256)) {
                throw LocalCloud.refused(
                        "PreconditionFailedException",
                        "CodeSha256 " + codeSha256 + " does not match the function's code, " + f.codeSha256());
            }
            List<FunctionVersion> versions = new ArrayList<>(f.versions().orElse(List.of()));
            Optional<FunctionVersion> newest = versions.stream().max(Comparator.comparingLong(FunctionVersion::number));
            if (newest.isPresent() && holdsLatest(newest.get(), f)) {
                published[0] = newest.get().version();
                return state;
            }
            long number = Math.max(
                            state.get(VERSION_NUMBERS, name).orElse(0L),
                            newest.map(FunctionVersion::number).orElse(0L))
                    + 1;
            published[0] = String.valueOf(number);
            versions.add(new FunctionVersion(
                    published[0], f.codeSha256(), FunctionVersion.sourceOf(description), f.roleArn(), f.settings()));
            state.put(SECTION, name, f.withVersions(versions));
            state.put(VERSION_NUMBERS, name, number);
            return state;
        });
        return published[0];
    }

    private static boolean holdsLatest(FunctionVersion version, FunctionState latest) {
        return version.codeSha256().equals(latest.codeSha256())
                && FunctionFields.of(version.roleArn(), version.settings())
                        .equals(FunctionFields.of(latest.roleArn(), latest.settings()));
    }

    /** Deletes a version; one that an alias routes to is kept, as Lambda refuses to delete it. */
    @Override
    public void deleteVersion(String name, String version) {
        String[] deleted = {""};
        cloud.store().update(state -> {
            Optional<FunctionState> f = state.get(SECTION, name);
            if (f.isEmpty()) {
                return state;
            }
            Optional<String> alias = aliasesOf(state, name).stream()
                    .filter(a -> a.routesTo(version))
                    .map(Aliases.State::alias)
                    .findFirst();
            if (alias.isPresent()) {
                cloud.progress()
                        .onProgress(
                                "kept version " + version + " of " + name + ": alias " + alias.get() + " routes to it");
                return state;
            }
            List<FunctionVersion> versions = new ArrayList<>(f.get().versions().orElse(List.of()));
            versions.stream()
                    .filter(v -> v.version().equals(version))
                    .findFirst()
                    .ifPresent(v -> deleted[0] = v.codeSha256());
            versions.removeIf(v -> v.version().equals(version));
            state.put(SECTION, name, f.get().withVersions(versions));
            return state;
        });
        removeUnusedCode(deleted[0]);
    }

    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        return cloud.store().read().ownedBy(SECTION, stackName, except, FunctionState::tags);
    }

    /**
     * Stores the package itself, whatever its size: the local cloud needs no code bucket, and leaves the stack's
     * staging to AWS. A function of a container image is kept with its URI (and a digest of it in place of the image's):
     * it can be deployed here, not run.
     */
    @Override
    public FunctionState createFunction(NewFunction function) {
        if (function.code() instanceof FunctionPackage.Image image) {
            FunctionState created = new FunctionState(
                    function.name(),
                    cloud.functionArn(function.name()),
                    function.roleArn(),
                    function.settings().withoutControls(),
                    imageDigest(image.uri()),
                    0,
                    function.tags(),
                    "Active",
                    "Successful",
                    Optional.empty(),
                    Optional.of(image.uri()));
            cloud.store().update(state -> {
                if (state.get(SECTION, function.name()).isPresent()) {
                    throw LocalCloud.refused("ResourceConflictException", "Function already exist: " + function.name());
                }
                requireAssumableRole(state, function.roleArn());
                state.put(SECTION, function.name(), created);
                return state;
            });
            return created;
        }
        DeploymentPackage code = ((FunctionPackage.Zip) function.code()).pkg();
        String hex = LocalCloud.hex(code.codeSha256());
        cloud.store().storeCode(hex, code.zip());
        FunctionState created = new FunctionState(
                function.name(),
                cloud.functionArn(function.name()),
                function.roleArn(),
                function.settings().withoutControls(),
                code.codeSha256(),
                code.size(),
                function.tags(),
                "Active",
                "Successful");
        cloud.store().update(state -> {
            if (state.get(SECTION, function.name()).isPresent()) {
                throw LocalCloud.refused("ResourceConflictException", "Function already exist: " + function.name());
            }
            requireAssumableRole(state, function.roleArn());
            // Stored again under the lock when a deletion in another process removed it meanwhile (it is only
            // checked for when it is there).
            cloud.store().storeCode(hex, code.zip());
            state.put(SECTION, function.name(), created);
            return state;
        });
        return created;
    }

    @Override
    public void updateFunctionCode(String name, FunctionPackage update, List<String> architectures) {
        if (update instanceof FunctionPackage.Image image) {
            updateFunctionState(
                    name,
                    f -> f.withImage(
                            image.uri(), imageDigest(image.uri()), f.settings().withArchitectures(architectures)));
            return;
        }
        DeploymentPackage code = ((FunctionPackage.Zip) update).pkg();
        String hex = LocalCloud.hex(code.codeSha256());
        cloud.store().storeCode(hex, code.zip());
        String[] replaced = {""};
        updateFunctionState(name, f -> {
            cloud.store().storeCode(hex, code.zip());
            replaced[0] = f.codeSha256();
            return f.withCode(code.codeSha256(), code.size(), f.settings().withArchitectures(architectures));
        });
        removeUnusedCode(replaced[0]);
    }

    @Override
    public void updateFunctionConfiguration(String name, String roleArn, FunctionSettings settings) {
        cloud.store().update(state -> {
            FunctionState f = state.get(SECTION, name).orElse(null);
            if (f == null) {
                throw notFound(name);
            }
            requireAssumableRole(state, roleArn);
            // As on Lambda, the configuration leaves the controls (reserved concurrency, asynchronous invocation,
            // recursion, runtime management) as they are.
            FunctionSettings applied = settings.appliedTo(f.settings()).withControlsOf(f.settings());
            state.put(SECTION, name, f.withConfiguration(roleArn, applied));
            return state;
        });
    }

    @Override
    public void putConcurrency(String name, int reserved) {
        updateFunctionState(
                name,
                f -> f.withConfiguration(f.roleArn(), f.settings().withReservedConcurrency(Optional.of(reserved))));
    }

    @Override
    public void putEventInvokeConfig(String name, FunctionSettings.AsyncInvokeConfig async) {
        updateFunctionState(
                name, f -> f.withConfiguration(f.roleArn(), f.settings().withAsyncInvoke(Optional.of(async))));
    }

    @Override
    public void putRecursionConfig(String name, String recursiveLoop) {
        updateFunctionState(
                name,
                f -> f.withConfiguration(f.roleArn(), f.settings().withRecursiveLoop(Optional.of(recursiveLoop))));
    }

    /** Stored as Lambda keeps it; the local cloud runs the interpreter it finds, whatever the setting. */
    @Override
    public void putRuntimeManagementConfig(String name, FunctionSettings.RuntimeManagement management) {
        updateFunctionState(
                name,
                f -> f.withConfiguration(f.roleArn(), f.settings().withRuntimeManagement(Optional.of(management))));
    }

    @Override
    public void tagFunction(String name, Map<String, String> tags) {
        updateFunctionState(name, f -> f.withTags(Tags.merge(f.tags(), tags)));
    }

    @Override
    public void untagFunction(String name, Collection<String> tagKeys) {
        updateFunctionState(name, f -> f.withTags(Tags.without(f.tags(), tagKeys)));
    }

    @Override
    public void deleteFunction(String name) {
        String[] deleted = {""};
        cloud.store().update(state -> {
            deleted[0] = codeSha256(
                    state.sections().getOrDefault(SECTION.name(), EMPTY).get(name));
            if (!state.remove(SECTION, name)) {
                throw notFound(name);
            }
            // Its versions and aliases go with it, as on Lambda.
            state.remove(VERSION_NUMBERS, name);
            state.all(LocalAliases.SECTION).keySet().stream()
                    .filter(alias -> alias.startsWith(name + ":"))
                    .toList()
                    .forEach(alias -> state.remove(LocalAliases.SECTION, alias));
            return state;
        });
        removeUnusedCode(deleted[0]);
        cloud.logs().remove(name);
    }

    /**
     * Removes the stored package a function no longer runs ({@code released}: deleted, by destroy or a prune, or its
     * code replaced), and its extracted copy, when no other function runs it; the first time in a process, every
     * package no function runs (what earlier versions left). Under the state lock, once the change that released it
     * is durable; a package stored for a function that is not recorded yet is stored again under the lock when it is.
     */
    private void removeUnusedCode(String released) {
        cloud.store().update(state -> {
            Set<String> used = usedCode(state);
            if (swept.compareAndSet(false, true)) {
                cloud.store().removeCodeExcept(used);
                cloud.runtime().removePackagesExcept(used);
            } else if (!released.isEmpty() && !used.contains(LocalCloud.hex(released))) {
                cloud.store().removeCode(LocalCloud.hex(released));
                cloud.runtime().removePackage(LocalCloud.hex(released));
            }
            return state;
        });
    }

    /**
     * The hex digests of the packages that functions, their versions and layer versions run: what the code folder
     * keeps.
     */
    static Set<String> usedCode(LocalState state) {
        Set<String> used = new HashSet<>();
        state.sections().getOrDefault(SECTION.name(), EMPTY).values().stream()
                .flatMap(LocalFunctions::codeSha256s)
                .filter(sha256 -> !sha256.isEmpty())
                .forEach(sha256 -> used.add(LocalCloud.hex(sha256)));
        used.addAll(LocalLayers.usedCode(state));
        return used;
    }

    /** The CodeSha256 of a stored function record and of each of its versions, read as they are. */
    private static Stream<String> codeSha256s(JsonNode record) {
        List<String> all = new ArrayList<>(List.of(codeSha256(record)));
        record.path("versions").forEach(v -> all.add(v.path("codeSha256").asText("")));
        return all.stream();
    }

    /** The CodeSha256 a stored function record names, read as it is (empty for a damaged record). */
    private static String codeSha256(JsonNode record) {
        return record == null ? "" : record.path("codeSha256").asText("");
    }

    /** The stored package the function runs. */
    @Override
    public Optional<byte[]> livePackage(String name) {
        return findFunction(name).flatMap(f -> cloud.store().readCode(LocalCloud.hex(f.codeSha256())));
    }

    /**
     * Runs $LATEST, a version (its own code and configuration), or what an alias routes to (a version drawn by the
     * alias's weights), while the command waits. A queued invocation runs at once too, as Lambda would run it later
     * (see {@link #runQueued}).
     */
    @Override
    public InvocationResult invoke(Invocation invocation) {
        String functionName = invocation.function();
        LocalState state = cloud.store().read();
        FunctionState function = state.get(SECTION, functionName).orElseThrow(() -> notFound(functionName));
        FunctionState runs = invocation
                .qualifier()
                .filter(q -> !q.equals("$LATEST"))
                .map(q -> version(state, function, q))
                .orElse(function);
        if (function.settings().reservedConcurrency().equals(Optional.of(0))) {
            // What Lambda answers while a function's reserved concurrency is 0 (switched off).
            throw LambdaformException.user("local cloud refused: TooManyRequestsException: Rate Exceeded. (function "
                    + functionName + " has a reserved concurrency of 0, so no invocation runs)");
        }
        if (runs.imageUri().isPresent()) {
            throw LambdaformException.user("function " + functionName + " runs the container image "
                    + runs.imageUri().get() + ", which the local cloud cannot run (it runs zip packages with the"
                    + " machine's interpreters): invoke it on --target aws");
        }
        // The ARN the caller invoked, as the runtime's context gives it: qualified by the alias or version named.
        String invokedArn =
                function.arn() + invocation.qualifier().map(q -> ":" + q).orElse("");
        if (invocation.async()) {
            return runQueued(state, function, runs, invokedArn, invocation);
        }
        return attempt(state, runs, invokedArn, invocation.event());
    }

    /** One invocation of what {@code runs} holds, logged. */
    private InvocationResult attempt(LocalState state, FunctionState runs, String invokedArn, String event) {
        InvocationResult result = cloud.runtime()
                .invoke(
                        runs,
                        invokedArn,
                        cloud.store().codePath(LocalCloud.hex(runs.codeSha256())),
                        layerZips(state, runs),
                        event);
        cloud.logs().record(runs.name(), result);
        return result;
    }

    /**
     * A queued invocation, run as Lambda runs one, without its waits: an attempt, then a retry after each function
     * error or timeout, up to the function's {@code maximumRetryAttempts} (Lambda's default 2); then the invocation
     * record, to the function's onSuccess or onFailure destination when it sets one ({@link LocalDestinations}). The
     * event is never too old: there is no wait. As on Lambda, the function's asynchronous invocation settings (what
     * {@code asyncInvoke} sets, on the unqualified function) apply to $LATEST: a version or alias invoked has Lambda's
     * defaults (2 retries, no destination). Lambda's answer stays 202; what was done comes with it.
     */
    private InvocationResult runQueued(
            LocalState state, FunctionState function, FunctionState runs, String invokedArn, Invocation invocation) {
        boolean latest =
                invocation.qualifier().filter(q -> !q.equals("$LATEST")).isEmpty();
        Optional<FunctionSettings.AsyncInvokeConfig> config =
                latest ? function.settings().asyncInvoke() : Optional.empty();
        int retries = config.flatMap(FunctionSettings.AsyncInvokeConfig::maximumRetryAttempts)
                .orElse(DEFAULT_RETRY_ATTEMPTS);
        String requestId = UUID.randomUUID().toString();
        List<InvocationResult> attempts = new ArrayList<>();
        do {
            attempts.add(attempt(state, runs, invokedArn, invocation.event()));
        } while (attempts.get(attempts.size() - 1).failed() && attempts.size() <= retries);
        InvocationResult last = attempts.get(attempts.size() - 1);
        Payload.Destination destination =
                last.failed() ? Payload.Destination.ON_FAILURE : Payload.Destination.ON_SUCCESS;
        Optional<String> arn = config.flatMap(c -> last.failed() ? c.onFailure() : c.onSuccess());
        Optional<QueuedRun.Delivery> delivery = arn.map(to -> {
            // Lambda names the function as invoked, $LATEST when unqualified.
            String functionArn = invokedArn.equals(function.arn()) ? invokedArn + ":$LATEST" : invokedArn;
            String record = new DestinationRecord(
                            Instant.now(), requestId, functionArn, attempts.size(), invocation.event(), last)
                    .json();
            return new QueuedRun.Delivery(destination, to, cloud.destinations().send(to, record), record);
        });
        return InvocationResult.queued(new QueuedRun(requestId, attempts, retries, delivery));
    }

    /** What stands for an image's digest in the local cloud: the SHA-256 of its URI, as a CodeSha256. */
    private static String imageDigest(String uri) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The packages of the layer versions a function runs, in its order (a later one's files win). */
    private List<Path> layerZips(LocalState state, FunctionState function) {
        List<Path> zips = new ArrayList<>();
        for (String arn : function.settings().layers()) {
            Layers.Version version = LocalLayers.version(state, arn)
                    .orElseThrow(() -> LambdaformException.user("function " + function.name() + " uses layer version "
                            + arn + ", which the local cloud no longer has; apply the stack again"));
            zips.add(cloud.store().codePath(LocalCloud.hex(version.codeSha256())));
        }
        return zips;
    }

    /** What a qualifier runs: the version it names, or one its alias routes to. */
    private static FunctionState version(LocalState state, FunctionState function, String qualifier) {
        String version = qualifier;
        if (!NUMBER.matcher(qualifier).matches()) {
            Aliases.State alias = state.get(LocalAliases.SECTION, function.name() + ":" + qualifier)
                    .orElseThrow(() -> LambdaformException.user(
                            "function " + function.name() + " has no version or alias '" + qualifier + "'"));
            version = alias.version();
            double draw = WEIGHTS.nextDouble();
            for (Map.Entry<String, Double> weight : alias.weights().entrySet()) {
                if (draw < weight.getValue()) {
                    version = weight.getKey();
                    break;
                }
                draw -= weight.getValue();
            }
            if (version.equals("$LATEST")) {
                return function;
            }
        }
        String wanted = version;
        FunctionVersion published = function.versions().orElse(List.of()).stream()
                .filter(v -> v.version().equals(wanted))
                .findFirst()
                .orElseThrow(() -> LambdaformException.user(
                        "function " + function.name() + " has no version or alias '" + qualifier + "'"));
        return new FunctionState(
                function.name(),
                function.arn() + ":" + published.version(),
                published.roleArn(),
                published.settings(),
                published.codeSha256(),
                function.codeSize(),
                function.tags(),
                function.state(),
                function.lastUpdateStatus());
    }

    private void updateFunctionState(String name, UnaryOperator<FunctionState> change) {
        cloud.store().update(state -> {
            FunctionState function = state.get(SECTION, name).orElse(null);
            if (function == null) {
                throw notFound(name);
            }
            state.put(SECTION, name, change.apply(function));
            return state;
        });
    }

    /** Lambda refuses a role that does not exist or whose trust policy does not let lambda.amazonaws.com in. */
    private static void requireAssumableRole(LocalState state, String roleArn) {
        RoleState role = state.all(LocalRoles.SECTION).values().stream()
                .filter(r -> r.arn().equals(roleArn))
                .findFirst()
                .orElse(null);
        if (role == null || !TrustPolicies.allowsService(role.assumeRolePolicy(), "lambda.amazonaws.com")) {
            throw LocalCloud.refused(
                    "InvalidParameterValueException",
                    "The role defined for the function cannot be assumed by"
                            + " Lambda. (" + roleArn
                            + (role == null
                                    ? " does not exist in the local cloud"
                                    : " does not trust lambda.amazonaws.com")
                            + ")");
        }
    }

    private static LambdaformException notFound(String name) {
        return LocalCloud.refused("ResourceNotFoundException", "Function not found: " + name);
    }
}
