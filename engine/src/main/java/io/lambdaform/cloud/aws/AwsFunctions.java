package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.lambdaform.LambdaformException;
import io.lambdaform.Memo;
import io.lambdaform.kinds.alias.Aliases;
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
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.DeleteFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * The {@link Functions} port on Lambda. It waits where Lambda needs it (State=Active after create,
 * LastUpdateStatus=Successful after every update, before the next mutating call), retries while IAM propagates a new
 * role, and reports every wait to the progress listener. A create that meets "already exists" reads the function
 * and carries on when it is this stack's and as planned ({@link AwsCloud#alreadyExists}); a delete that meets "not
 * found" is done. One per run (the aliases' adapter shares its listings of the stack's functions).
 */
@Singleton
public final class AwsFunctions implements Functions {
    static final String ROLE_NOT_ASSUMABLE = "cannot be assumed by Lambda";
    /** Lambda's limit for a zip uploaded in the request: larger packages are not downloaded. */
    static final long MAX_DOWNLOAD_BYTES = 50L * 1024 * 1024;

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(120);

    private final LambdaClient lambda;
    private final StackTaggedResources tagged;
    private final AwsCloud cloud;
    private final AliasListings aliases;
    private final AwsLayers layers;
    private final AwsCodeStaging staging;
    private final AwsRoles roles;
    /** The functions that carry a stack's tag, with their tags: read once per run, failures too (they end it). */
    private final Memo<String, Map<String, Map<String, String>>> stackFunctions = Memo.keepingFailures();
    /** Roles other stacks own, read once per run whatever the number of functions that use one. */
    private final Memo<String, Optional<RoleState>> otherStackRoles = Memo.keepingFailures();

    private HttpClient http;

    @Inject
    public AwsFunctions(
            LambdaClient lambda,
            StackTaggedResources tagged,
            AwsCloud cloud,
            AliasListings aliases,
            AwsLayers layers,
            AwsCodeStaging staging,
            AwsRoles roles) {
        this.lambda = requireNonNull(lambda, "lambda is null");
        this.tagged = requireNonNull(tagged, "tagged is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.aliases = requireNonNull(aliases, "aliases is null");
        this.layers = requireNonNull(layers, "layers is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.roles = requireNonNull(roles, "roles is null");
    }

    /**
     * The function, once each layer version it names by ARN is found (GetLayerVersion, once per ARN and run): Lambda
     * refuses a version that does not exist, and so does the plan, before anything is changed.
     */
    @Override
    public Optional<FunctionState> find(Resource declared) {
        if (declared instanceof Function function) {
            for (String layer : function.settings().layers()) {
                if (layer.startsWith("arn:") && layers.findVersion(layer).isEmpty()) {
                    throw LambdaformException.user("function " + function.name() + " names layer version " + layer
                            + ", which does not exist (Lambda GetLayerVersion found none, or it was deleted): name a"
                            + " version that exists, or a Layer of the manifests");
                }
            }
            if (function.role() instanceof RoleRef.OtherStack other) {
                other.require(function.name(), otherStackRoles.get(other.name(), roles::findRole));
            }
            return find(declared.name()).map(found -> withControls(found, function.settings()));
        }
        return find(declared.name());
    }

    /**
     * The function with the controls {@code declared} sets, each read by a call of its own (GetFunctionEventInvokeConfig,
     * GetFunctionRecursionConfig, GetRuntimeManagementConfig) only when it is declared: a function that declares none
     * costs no call more. Reserved concurrency comes with GetFunction.
     */
    private FunctionState withControls(FunctionState found, FunctionSettings declared) {
        String name = found.name();
        FunctionSettings settings = found.settings();
        if (declared.asyncInvoke().isPresent()) {
            settings = settings.withAsyncInvoke(eventInvokeConfig(name));
        }
        if (declared.recursiveLoop().isPresent()) {
            settings = settings.withRecursiveLoop(recursionConfig(name));
        }
        if (declared.runtimeManagement().isPresent()) {
            settings = settings.withRuntimeManagement(runtimeManagementConfig(name));
        }
        return settings.equals(found.settings()) ? found : found.withConfiguration(found.roleArn(), settings);
    }

    /** GetFunctionRecursionConfig; empty when the function is gone. */
    private Optional<String> recursionConfig(String name) {
        try {
            return Optional.ofNullable(
                    lambda.getFunctionRecursionConfig(r -> r.functionName(name)).recursiveLoopAsString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetFunctionRecursionConfig " + name, e);
        }
    }

    /** GetRuntimeManagementConfig of $LATEST; its runtime version only where it is Manual, as Lambda reports it. */
    private Optional<FunctionSettings.RuntimeManagement> runtimeManagementConfig(String name) {
        try {
            var config = lambda.getRuntimeManagementConfig(r -> r.functionName(name));
            return Optional.ofNullable(config.updateRuntimeOnAsString())
                    .map(on -> new FunctionSettings.RuntimeManagement(
                            on,
                            on.equals("Manual") ? Optional.ofNullable(config.runtimeVersionArn()) : Optional.empty()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetRuntimeManagementConfig " + name, e);
        }
    }

    @Override
    public void putRecursionConfig(String name, String recursiveLoop) {
        mutate(
                "Lambda PutFunctionRecursionConfig " + name,
                false,
                () -> lambda.putFunctionRecursionConfig(
                        r -> r.functionName(name).recursiveLoop(recursiveLoop)));
    }

    @Override
    public void putRuntimeManagementConfig(String name, FunctionSettings.RuntimeManagement management) {
        mutate(
                "Lambda PutRuntimeManagementConfig " + name,
                false,
                () -> lambda.putRuntimeManagementConfig(r -> r.functionName(name)
                        .updateRuntimeOn(management.updateRuntimeOn())
                        .runtimeVersionArn(management.runtimeVersionArn().orElse(null))));
    }

    /** GetFunctionEventInvokeConfig of $LATEST; empty when none is set. */
    private Optional<FunctionSettings.AsyncInvokeConfig> eventInvokeConfig(String name) {
        try {
            var config = lambda.getFunctionEventInvokeConfig(r -> r.functionName(name));
            var destinations = config.destinationConfig();
            return Optional.of(new FunctionSettings.AsyncInvokeConfig(
                    Optional.ofNullable(config.maximumRetryAttempts()),
                    Optional.ofNullable(config.maximumEventAgeInSeconds()),
                    Optional.ofNullable(
                            destinations == null || destinations.onSuccess() == null
                                    ? null
                                    : destinations.onSuccess().destination()),
                    Optional.ofNullable(
                            destinations == null || destinations.onFailure() == null
                                    ? null
                                    : destinations.onFailure().destination())));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetFunctionEventInvokeConfig " + name, e);
        }
    }

    @Override
    public void putConcurrency(String name, int reserved) {
        mutate(
                "Lambda PutFunctionConcurrency " + name,
                true,
                () -> lambda.putFunctionConcurrency(r -> r.functionName(name).reservedConcurrentExecutions(reserved)));
    }

    @Override
    public void putEventInvokeConfig(String name, FunctionSettings.AsyncInvokeConfig async) {
        mutate(
                "Lambda PutFunctionEventInvokeConfig " + name,
                true,
                () -> lambda.putFunctionEventInvokeConfig(LambdaSettings.eventInvokeConfig(name, async)));
    }

    /** GetFunction; empty when there is no such function. */
    private Optional<GetFunctionResponse> getFunction(String name) {
        try {
            return Optional.of(lambda.getFunction(r -> r.functionName(name)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetFunction " + name, e);
        }
    }

    /**
     * GetFunction; for a function that publishes, ListVersionsByFunction (every page) and ListAliases (shared, once a
     * run) too.
     */
    @Override
    public Optional<FunctionState> findFunction(String name) {
        Optional<FunctionState> found = getFunction(name).map(AwsFunctions::toState);
        if (found.isEmpty() || !found.get().tags().containsKey(FunctionKind.PUBLISH_TAG)) {
            return found;
        }
        List<FunctionConfiguration> published = new ArrayList<>();
        AwsErrors.run(
                "Lambda ListVersionsByFunction " + name,
                () -> lambda.listVersionsByFunctionPaginator(r -> r.functionName(name))
                        .versions()
                        .forEach(published::add));
        List<FunctionVersion> versions = published.stream()
                .filter(c -> !"$LATEST".equals(c.version()))
                .map(c -> {
                    FunctionState version = toState(c, Map.of());
                    return new FunctionVersion(
                            c.version(),
                            version.codeSha256(),
                            FunctionVersion.sourceOf(c.description()),
                            version.roleArn(),
                            version.settings());
                })
                .sorted(Comparator.comparingLong(FunctionVersion::number))
                .toList();
        return Optional.of(found.get().withVersions(Aliases.withAliases(versions, aliasStates(name))));
    }

    /**
     * Publishes $LATEST, provided it runs {@code codeSha256} (Lambda refuses otherwise: a change made meanwhile is
     * never published by mistake), then waits until the version is Active. After a lost response, the retry returns
     * the same version: Lambda publishes nothing when $LATEST did not change since the newest version.
     */
    @Override
    public String publishVersion(String name, String codeSha256, String description) {
        String what = "Lambda PublishVersion " + name;
        PublishVersionResponse published;
        try {
            published = mutate(
                    what,
                    false,
                    () -> lambda.publishVersion(
                            r -> r.functionName(name).codeSha256(codeSha256).description(description)));
        } catch (LambdaformException e) {
            if (e.getCause() instanceof PreconditionFailedException) {
                throw LambdaformException.user("function " + name + " no longer runs the code the plan published"
                        + " (someone changed it meanwhile); nothing was published: plan again");
            }
            throw e;
        }
        String version = published.version();
        if (published.state() != null && published.state() != State.ACTIVE) {
            cloud.waiter()
                    .await(
                            () -> lambda.getFunction(r -> r.functionName(name).qualifier(version)),
                            functionReady(
                                    name + ":" + version,
                                    "to publish",
                                    true,
                                    cloud.config().timings().stateDeadline()),
                            cloud.progress());
        }
        return version;
    }

    /**
     * Deletes a version, unless an alias routes to it or an event source mapping uses it (then it is kept, and said
     * so); "not found" is done.
     */
    @Override
    public void deleteVersion(String name, String version) {
        aliases.forget(name);
        for (Aliases.State alias : aliasStates(name)) {
            if (alias.routesTo(version)) {
                cloud.progress()
                        .onProgress("kept version " + version + " of " + name + ": alias " + alias.alias()
                                + " routes to it");
                return;
            }
        }
        List<String> mappings = new ArrayList<>();
        AwsErrors.run(
                "Lambda ListEventSourceMappings " + name + ":" + version,
                () -> lambda.listEventSourceMappingsPaginator(r -> r.functionName(name + ":" + version))
                        .eventSourceMappings()
                        .forEach(m -> mappings.add(m.uuid())));
        if (!mappings.isEmpty()) {
            cloud.progress()
                    .onProgress("kept version " + version + " of " + name + ": event source mapping " + mappings.get(0)
                            + " uses it");
            return;
        }
        String what = "Lambda DeleteFunction " + name + ":" + version;
        List<Acceptor<DeleteFunctionResponse>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.successOnException(
                ResourceNotFoundException.class, e -> what + ": already gone (" + AwsErrors.message(e) + ")"));
        acceptors.addAll(mutation(what, false, cloud.config().timings()));
        cloud.waiter()
                .await(
                        () -> lambda.deleteFunction(r -> r.functionName(name).qualifier(version)),
                        acceptors,
                        cloud.progress());
    }

    /** The function's aliases, from the run's listing. */
    private List<Aliases.State> aliasStates(String function) {
        return aliases.of(function).stream()
                .map(a -> AwsAliases.state(function, a))
                .toList();
    }

    /** CreateFunction's response as the configuration GetFunction reports: the same members, copied by name. */
    static FunctionConfiguration configuration(CreateFunctionResponse response) {
        FunctionConfiguration.Builder builder = FunctionConfiguration.builder();
        copy(response, builder);
        return builder.build();
    }

    /** CreateAlias's or UpdateAlias's response as the alias ListAliases reports: the same members, copied by name. */
    static AliasConfiguration aliasConfiguration(SdkPojo response) {
        AliasConfiguration.Builder builder = AliasConfiguration.builder();
        copy(response, builder);
        return builder.build();
    }

    /** Copies the members of {@code from} that {@code to} has, by name. */
    private static void copy(SdkPojo from, SdkPojo to) {
        Map<String, SdkField<?>> fields = new HashMap<>();
        from.sdkFields().forEach(f -> fields.put(f.memberName(), f));
        for (SdkField<?> field : to.sdkFields()) {
            SdkField<?> source = fields.get(field.memberName());
            if (source != null) {
                field.set(to, source.getValueOrDefault(from));
            }
        }
    }

    /** The function GetFunction reports, with the image it runs (Code.ImageUri) when its PackageType is Image. */
    static FunctionState toState(GetFunctionResponse response) {
        boolean image = "Image".equals(response.configuration().packageTypeAsString());
        FunctionState state = toState(
                response.configuration(),
                response.tags(),
                image && response.code() != null
                        ? Optional.ofNullable(response.code().imageUri())
                        : Optional.empty());
        // Reserved concurrency comes with GetFunction: no call more.
        Optional<Integer> reserved =
                Optional.ofNullable(response.concurrency()).map(c -> c.reservedConcurrentExecutions());
        return reserved.isEmpty()
                ? state
                : state.withConfiguration(state.roleArn(), state.settings().withReservedConcurrency(reserved));
    }

    static FunctionState toState(FunctionConfiguration c, Map<String, String> tags) {
        return toState(c, tags, Optional.empty());
    }

    static FunctionState toState(FunctionConfiguration c, Map<String, String> tags, Optional<String> imageUri) {
        FunctionSettings settings = new FunctionSettings(
                AwsCloud.nullToEmpty(c.runtimeAsString()),
                AwsCloud.nullToEmpty(c.handler()),
                AwsCloud.nullToEmpty(c.description()),
                c.memorySize() == null ? FunctionSettings.DEFAULT_MEMORY_SIZE : c.memorySize(),
                c.timeout() == null ? FunctionSettings.DEFAULT_TIMEOUT : c.timeout(),
                new TreeMap<>(
                        c.environment() == null || c.environment().variables() == null
                                ? Map.of()
                                : c.environment().variables()),
                c.hasArchitectures() && !c.architecturesAsStrings().isEmpty()
                        ? c.architecturesAsStrings()
                        : FunctionSettings.DEFAULT_ARCHITECTURES,
                c.ephemeralStorage() == null || c.ephemeralStorage().size() == null
                        ? FunctionSettings.DEFAULT_EPHEMERAL_STORAGE
                        : c.ephemeralStorage().size(),
                c.hasLayers() ? c.layers().stream().map(Layer::arn).toList() : List.of(),
                Optional.ofNullable(c.tracingConfig())
                        .map(t -> t.modeAsString())
                        .or(() -> Optional.of("PassThrough")),
                Optional.of(AwsCloud.nullToEmpty(c.kmsKeyArn())),
                Optional.of(
                        c.deadLetterConfig() == null
                                ? ""
                                : AwsCloud.nullToEmpty(c.deadLetterConfig().targetArn())),
                Optional.of(
                        c.vpcConfig() == null
                                ? new FunctionSettings.VpcConfig(List.of(), List.of(), false)
                                : new FunctionSettings.VpcConfig(
                                        c.vpcConfig().subnetIds(),
                                        c.vpcConfig().securityGroupIds(),
                                        Boolean.TRUE.equals(c.vpcConfig().ipv6AllowedForDualStack()))),
                Optional.ofNullable(c.loggingConfig())
                        .map(l -> new FunctionSettings.LoggingConfig(
                                l.logFormatAsString() == null ? "Text" : l.logFormatAsString(),
                                Optional.ofNullable(l.applicationLogLevelAsString()),
                                Optional.ofNullable(l.systemLogLevelAsString()),
                                Optional.ofNullable(l.logGroup()))),
                Optional.of(
                        c.hasFileSystemConfigs()
                                ? c.fileSystemConfigs().stream()
                                        .map(f -> new FunctionSettings.FileSystemConfig(f.arn(), f.localMountPath()))
                                        .toList()
                                : List.of()),
                Optional.of(
                        c.snapStart() == null || c.snapStart().applyOnAsString() == null
                                ? "None"
                                : c.snapStart().applyOnAsString()),
                Optional.ofNullable(c.imageConfigResponse())
                        .map(r -> r.imageConfig())
                        .map(i -> new FunctionSettings.ImageConfig(
                                i.hasCommand() ? i.command() : List.of(),
                                i.hasEntryPoint() ? i.entryPoint() : List.of(),
                                Optional.ofNullable(i.workingDirectory()))));
        return new FunctionState(
                c.functionName(),
                c.functionArn(),
                AwsCloud.nullToEmpty(c.role()),
                settings,
                AwsCloud.nullToEmpty(c.codeSha256()),
                c.codeSize() == null ? 0 : c.codeSize(),
                new TreeMap<>(tags == null ? Map.of() : tags),
                c.stateAsString() == null ? "Active" : c.stateAsString(),
                c.lastUpdateStatusAsString() == null ? "Successful" : c.lastUpdateStatusAsString(),
                Optional.empty(),
                imageUri);
    }

    /**
     * On AWS one paged Resource Groups Tagging API call; against a custom endpoint (emulators do not all implement
     * GetResources for Lambda) ListFunctions plus ListTags for each function not excepted, several at a time.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> exceptFunctions) {
        TreeSet<String> functions = new TreeSet<>(stackFunctions(stackName).keySet());
        functions.removeAll(exceptFunctions);
        return functions;
    }

    /** The stack's functions with their tags, read once per run: where its triggers are marked. */
    Map<String, Map<String, String>> stackFunctionTags(String stackName) {
        return stackFunctions(stackName);
    }

    /** The stack's functions that publish versions ({@link FunctionKind#PUBLISH_TAG}): where its aliases are. */
    SortedSet<String> publishing(String stackName) {
        TreeSet<String> functions = new TreeSet<>();
        stackFunctions(stackName).forEach((name, tags) -> {
            if (tags.containsKey(FunctionKind.PUBLISH_TAG)) {
                functions.add(name);
            }
        });
        return functions;
    }

    /**
     * The functions that carry the stack's tag, with their tags, read once per run: on AWS one paged Resource Groups
     * Tagging API call; against a custom endpoint (emulators do not all implement GetResources for Lambda)
     * ListFunctions plus ListTags for each function, several at a time.
     */
    private Map<String, Map<String, String>> stackFunctions(String stackName) {
        // Shared by the functions' and the aliases' inventories.
        return stackFunctions.get(stackName, this::readStackFunctions);
    }

    private Map<String, Map<String, String>> readStackFunctions(String stackName) {
        Map<String, Map<String, String>> functions = new ConcurrentHashMap<>();
        if (cloud.config().endpoint().isEmpty()) {
            functions.putAll(tagged.of(stackName, "lambda:function"));
        } else {
            List<FunctionConfiguration> all = new ArrayList<>();
            AwsErrors.run(
                    "Lambda ListFunctions",
                    () -> lambda.listFunctionsPaginator(r -> {}).functions().forEach(all::add));
            AwsCloud.filterInParallel(all, function -> {
                Map<String, String> tags = AwsErrors.call(
                        "Lambda ListTags " + function.functionName(),
                        () -> lambda.listTags(r -> r.resource(function.functionArn()))
                                .tags());
                boolean owned = stackName.equals(tags.get(Stack.OWNER_TAG));
                if (owned) {
                    functions.put(function.functionName(), new TreeMap<>(tags));
                }
                return owned;
            });
        }
        return new TreeMap<>(functions);
    }

    /**
     * Creates the function and waits until it is Active. When it already exists (the response to an earlier attempt
     * was lost, or another run of this stack made it), it is read: this stack's and as planned means done, anything
     * else is a conflict.
     */
    @Override
    public FunctionState createFunction(NewFunction function) {
        String what = "Lambda CreateFunction " + function.name();
        stage(function.code());
        CreateFunctionResponse created;
        try {
            created = mutate(what, true, () -> lambda.createFunction(LambdaSettings.create(function)));
        } catch (LambdaformException e) {
            if (e.getCause() instanceof ResourceConflictException conflict && AwsErrors.alreadyExists(conflict)) {
                return existingFunction(
                        what, function, conflict, cloud.retries().attemptsOfLastCall() > 1);
            }
            throw e;
        }
        if (created.state() == State.ACTIVE) {
            // Already Active (emulators answer so; AWS mostly says Pending): no GetFunction needed to wait for it.
            return toState(
                    configuration(created),
                    function.tags(),
                    function.code() instanceof FunctionPackage.Image image
                            ? Optional.of(image.uri())
                            : Optional.empty());
        }
        return awaitState(function.name(), "to become Active", true);
    }

    private FunctionState existingFunction(
            String what, NewFunction function, ResourceConflictException e, boolean retried) {
        FunctionState live = findFunction(function.name()).orElseThrow(() -> AwsErrors.translate(what, e));
        List<String> differences = new ArrayList<>();
        boolean sameCode = function.code() instanceof FunctionPackage.Image image
                ? live.imageUri().filter(image.uri()::equals).isPresent()
                : live.codeSha256()
                        .equals(((FunctionPackage.Zip) function.code()).pkg().codeSha256());
        if (!sameCode) {
            differences.add("code");
        }
        FunctionFields.diff(
                        FunctionFields.of(live.roleArn(), live.settings()),
                        FunctionFields.of(function.roleArn(), function.settings()),
                        Set.of())
                .forEach(change -> differences.add(change.field()));
        cloud.alreadyExists(
                what, "function", function.name(), function.tags(), live.tags(), differences, retried, e, live);
        return awaitState(function.name(), "to become Active", true);
    }

    /** UpdateFunctionCode with the zip in the request, or the object it is staged in (uploaded first). */
    @Override
    public void updateFunctionCode(String name, FunctionPackage code, List<String> architectures) {
        stage(code);
        awaitState(name, "before updating its code", false);
        mutate(
                "Lambda UpdateFunctionCode " + name,
                false,
                () -> lambda.updateFunctionCode(r -> {
                    r.functionName(name).architecturesWithStrings(architectures).publish(false);
                    if (code instanceof FunctionPackage.Image image) {
                        r.imageUri(image.uri());
                    } else {
                        FunctionPackage.Zip zip = (FunctionPackage.Zip) code;
                        zip.staging()
                                .ifPresentOrElse(
                                        s -> r.s3Bucket(s.bucket()).s3Key(s.key()),
                                        () -> r.zipFile(
                                                SdkBytes.fromByteArray(zip.pkg().zip())));
                    }
                }));
        awaitState(name, "to finish its code update", false);
    }

    /** Uploads a package the plan stages to its code bucket, unless it is there already. */
    private void stage(FunctionPackage code) {
        if (code instanceof FunctionPackage.Zip zip && zip.staging().isPresent()) {
            staging.upload(zip.staging().get(), zip.pkg());
        }
    }

    @Override
    public void updateFunctionConfiguration(String name, String roleArn, FunctionSettings s) {
        awaitState(name, "before updating its configuration", false);
        mutate(
                "Lambda UpdateFunctionConfiguration " + name,
                true,
                () -> lambda.updateFunctionConfiguration(LambdaSettings.configuration(name, roleArn, s)));
        awaitState(name, "to finish its configuration update", false);
    }

    @Override
    public void tagFunction(String name, Map<String, String> tags) {
        AwsErrors.run(
                "Lambda TagResource " + name,
                () -> lambda.tagResource(
                        r -> r.resource(cloud.functionArn(name)).tags(tags)));
    }

    @Override
    public void untagFunction(String name, Collection<String> tagKeys) {
        AwsErrors.run(
                "Lambda UntagResource " + name,
                () -> lambda.untagResource(
                        r -> r.resource(cloud.functionArn(name)).tagKeys(tagKeys)));
    }

    /** Deletes the function; "not found" means done (a retry after a lost response meets exactly that). */
    @Override
    public void deleteFunction(String name) {
        String what = "Lambda DeleteFunction " + name;
        List<Acceptor<DeleteFunctionResponse>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.successOnException(
                ResourceNotFoundException.class, e -> what + ": already gone (" + AwsErrors.message(e) + ")"));
        acceptors.addAll(mutation(what, false, cloud.config().timings()));
        cloud.waiter().await(() -> lambda.deleteFunction(r -> r.functionName(name)), acceptors, cloud.progress());
    }

    /**
     * Downloads the package from the link GetFunction gives ({@code Code.Location}, presigned by Lambda: no
     * credentials are sent), at most {@value #MAX_DOWNLOAD_BYTES} bytes, within {@link #DOWNLOAD_TIMEOUT}, and
     * checks it against CodeSha256. The link is never shown: it carries a signature.
     */
    @Override
    public Optional<byte[]> livePackage(String name) {
        Optional<GetFunctionResponse> found = getFunction(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        GetFunctionResponse response = found.get();
        String location = response.code() == null ? null : response.code().location();
        String what = "the code of function " + name;
        if (location == null || location.isEmpty()) {
            cloud.progress().onProgress(what + " has no download link (a container image?)");
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            cloud.progress().onProgress(what + ": its download link is not a URL");
            return Optional.empty();
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            cloud.progress().onProgress(what + ": its download link is not http(s)");
            return Optional.empty();
        }
        String from = what + " could not be downloaded from " + uri.getHost();
        // One deadline for the whole download: the request's own timeout covers only the wait for the headers.
        long deadline = System.nanoTime() + DOWNLOAD_TIMEOUT.toNanos();
        try {
            HttpResponse<InputStream> download = http().sendAsync(
                            HttpRequest.newBuilder(uri)
                                    .timeout(DOWNLOAD_TIMEOUT)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream())
                    .get(DOWNLOAD_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            byte[] zip;
            try (InputStream body = download.body()) {
                if (download.statusCode() != 200) {
                    cloud.progress().onProgress(from + " (HTTP " + download.statusCode() + ")");
                    return Optional.empty();
                }
                CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
                    try {
                        return body.readNBytes((int) MAX_DOWNLOAD_BYTES + 1);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                try {
                    zip = reading.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    body.close();
                    cloud.progress().onProgress(from + ": it took longer than " + DOWNLOAD_TIMEOUT.toSeconds() + " s");
                    return Optional.empty();
                }
            }
            if (zip.length > MAX_DOWNLOAD_BYTES) {
                cloud.progress().onProgress(from + ": it is larger than " + MAX_DOWNLOAD_BYTES / 1048576 + " MB");
                return Optional.empty();
            }
            String sha = Base64.getEncoder().encodeToString(sha256().digest(zip));
            String expected = AwsCloud.nullToEmpty(response.configuration().codeSha256());
            if (!sha.equals(expected)) {
                cloud.progress()
                        .onProgress(from + ": what it served is not the package the function runs" + " (CodeSha256 "
                                + sha + ", not " + expected + ")");
                return Optional.empty();
            }
            return Optional.of(zip);
        } catch (IOException e) {
            cloud.progress().onProgress(from + " (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
            cloud.progress().onProgress(from + " (" + cause.getClass().getSimpleName() + ")");
            return Optional.empty();
        } catch (TimeoutException e) {
            cloud.progress().onProgress(from + ": no answer within " + DOWNLOAD_TIMEOUT.toSeconds() + " s");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cloud.progress().onProgress(from + " (interrupted)");
            return Optional.empty();
        }
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return http;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public InvocationResult invoke(Invocation invocation) {
        String functionName = invocation.function();
        long start = System.nanoTime();
        InvokeResponse response = AwsErrors.call(
                "Lambda Invoke " + functionName,
                () -> lambda.invoke(r -> r.functionName(functionName)
                        .qualifier(invocation.qualifier().orElse(null))
                        .invocationType(invocation.async() ? InvocationType.EVENT : InvocationType.REQUEST_RESPONSE)
                        .logType(invocation.async() ? LogType.NONE : LogType.TAIL)
                        .payload(SdkBytes.fromUtf8String(invocation.event()))));
        long millis = (System.nanoTime() - start) / 1_000_000;
        Optional<String> executed = Optional.ofNullable(response.executedVersion());
        if (executed.isEmpty() && invocation.qualifier().isPresent() && !invocation.async()) {
            // An emulator may ignore the qualifier and name no version: what it names is checked, on every target.
            executed = Optional.of(
                    resolveQualifier(functionName, invocation.qualifier().get()));
        }
        String log = response.logResult() == null
                ? ""
                : new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        String payload =
                response.payload() == null ? "null" : response.payload().asUtf8String();
        return new InvocationResult(
                payload.isEmpty() ? "null" : payload,
                Optional.ofNullable(response.functionError()),
                log,
                millis,
                executed,
                response.statusCode() == null ? (invocation.async() ? 202 : 200) : response.statusCode());
    }

    /** The version a qualifier (a version or an alias) names; a user error when the function has none such. */
    private String resolveQualifier(String function, String qualifier) {
        try {
            return lambda.getFunctionConfiguration(r -> r.functionName(function).qualifier(qualifier))
                    .version();
        } catch (ResourceNotFoundException e) {
            throw LambdaformException.user("function " + function + " has no version or alias '" + qualifier
                    + "'; its aliases are named in its Alias manifests, its versions are numbers");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetFunctionConfiguration " + function + ":" + qualifier, e);
        }
    }

    // Waiting

    /**
     * Polls GetFunction (exempt from the control-plane quota) until the function is ready for the next call (see
     * {@link #functionReady}).
     */
    private FunctionState awaitState(String name, String purpose, boolean afterCreate) {
        GetFunctionResponse response = cloud.waiter()
                .await(
                        () -> lambda.getFunction(r -> r.functionName(name)),
                        functionReady(
                                name,
                                purpose,
                                afterCreate,
                                cloud.config().timings().stateDeadline()),
                        cloud.progress());
        return toState(response);
    }

    /**
     * When a function is ready: Active (after create) and its last update Successful. State=Failed is an error with
     * Lambda's reason, and so is LastUpdateStatus=Failed except right after create; Pending and InProgress mean wait,
     * up to {@code deadline}; a function that is not found, or any other error of GetFunction, fails the wait.
     */
    static List<Acceptor<GetFunctionResponse>> functionReady(
            String name, String purpose, boolean afterCreate, Duration deadline) {
        List<Acceptor<GetFunctionResponse>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.failureOn(
                r -> state(r).equals("Failed"),
                r -> LambdaformException.external("function " + name + " is in state Failed: "
                        + AwsCloud.nullToEmpty(r.configuration().stateReasonCodeAsString()) + " "
                        + AwsCloud.nullToEmpty(r.configuration().stateReason()))));
        if (!afterCreate) {
            acceptors.add(Acceptor.failureOn(
                    r -> lastUpdate(r).equals("Failed"),
                    r -> LambdaformException.external("the last update of function " + name + " failed: "
                            + AwsCloud.nullToEmpty(r.configuration().lastUpdateStatusReasonCodeAsString()) + " "
                            + AwsCloud.nullToEmpty(r.configuration().lastUpdateStatusReason()))));
        }
        acceptors.add(Acceptor.retryOn(
                r -> state(r).equals("Pending") || lastUpdate(r).equals("InProgress"),
                deadline,
                (r, waited, pause) -> "waiting for function " + name + " " + purpose + " (State=" + state(r)
                        + ", LastUpdateStatus=" + lastUpdate(r) + ", " + waited.toSeconds() + " s)",
                r -> LambdaformException.external("function " + name + " is still State=" + state(r)
                        + ", LastUpdateStatus=" + lastUpdate(r) + " after " + deadline.toSeconds()
                        + " s; check it in the Lambda console, then run apply again")));
        acceptors.add(Acceptor.successOn(r -> true));
        acceptors.add(Acceptor.failureOnException(e -> AwsCloud.wrap("Lambda GetFunction " + name, e)));
        return List.copyOf(acceptors);
    }

    private static String state(GetFunctionResponse response) {
        String state = response.configuration().stateAsString();
        return state == null ? "Active" : state;
    }

    private static String lastUpdate(GetFunctionResponse response) {
        String update = response.configuration().lastUpdateStatusAsString();
        return update == null ? "Successful" : update;
    }

    /** Runs a mutating Lambda call, retrying while Lambda refuses it for a passing reason (see {@link #mutation}). */
    private <T> T mutate(String what, boolean rolePropagation, Supplier<T> call) {
        return cloud.waiter()
                .await(call, mutation(what, rolePropagation, cloud.config().timings()), cloud.progress());
    }

    /**
     * When a mutating Lambda call is retried: while another update of the function is in progress (a
     * ResourceConflictException saying so; any other conflict, such as "Function already exist", fails at once), up
     * to the state deadline, and, when {@code rolePropagation}, while Lambda cannot assume a role created or changed
     * a moment ago (IAM is eventually consistent), up to the propagation deadline. Anything else fails.
     */
    static <T> List<Acceptor<T>> mutation(String what, boolean rolePropagation, AwsConfig.Timings timings) {
        List<Acceptor<T>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.successOn(response -> true));
        acceptors.add(Acceptor.retryOnException(
                ResourceConflictException.class,
                AwsErrors::updateInProgress,
                timings.stateDeadline(),
                (e, waited, pause) -> "another update of the function is in progress; retrying " + what + " in "
                        + pause.toMillis() + " ms",
                e -> AwsErrors.translate(what, e)));
        if (rolePropagation) {
            acceptors.add(Acceptor.retryOnException(
                    InvalidParameterValueException.class,
                    e -> e.getMessage() != null && e.getMessage().contains(ROLE_NOT_ASSUMABLE),
                    timings.propagationDeadline(),
                    (e, waited, pause) -> "Lambda cannot assume the role yet (IAM propagation); retrying " + what
                            + " in " + pause.toMillis() + " ms (" + waited.toSeconds() + " s so far)",
                    e -> new LambdaformException(
                            LambdaformException.Category.EXTERNAL,
                            what + ": Lambda still cannot assume the execution role after "
                                    + timings.propagationDeadline().toSeconds()
                                    + " s. Check that the role exists and its trust policy allows"
                                    + " lambda.amazonaws.com to sts:AssumeRole",
                            e.requestId(),
                            e)));
        }
        acceptors.add(Acceptor.failureOnException(e -> AwsCloud.wrap(what, e)));
        return List.copyOf(acceptors);
    }
}
