package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.FunctionState;
import io.lambdaform.cloud.InvocationResult;
import io.lambdaform.cloud.NewFunction;
import io.lambdaform.cloud.NewRole;
import io.lambdaform.cloud.RoleState;
import io.lambdaform.cloud.StackInventory;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.cloud.TargetDescription;
import io.lambdaform.diff.FunctionFields;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.model.FunctionSettings;
import io.lambdaform.model.Stack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.DeleteFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The provider port on AWS (or an AWS-compatible endpoint) through the AWS SDK for Java v2. It waits where Lambda
 * needs it (State=Active after create, LastUpdateStatus=Successful after every update, before the next mutating
 * call), retries while IAM propagates a new role, and reports every wait to the progress listener.
 *
 * <p>Every mutation is safe to repeat after a lost response: the SDK retries a call whose response never came, so a
 * create may meet the resource its own first attempt made. A create that meets "already exists" reads the resource
 * and carries on when it has this stack's owner tag and is as planned, and fails at once as a conflict otherwise; a
 * delete or detach that meets "not found" has nothing left to do.
 */
public final class AwsCloud implements CloudProvider {
    static final String ROLE_NOT_ASSUMABLE = "cannot be assumed by Lambda";

    private final LambdaClient lambda;
    private final IamClient iam;
    private final StsClient sts;
    private final ResourceGroupsTaggingApiClient tagging;
    private final DynamoDbClient dynamo;
    private final AwsConfig config;
    private final String region;
    private final ApiCallCounter counter;
    private final RetryReporter retries;
    private final Sleeper sleeper;
    private final Waiter waiter;
    private final ProgressListener progress;
    private volatile String accountId;

    AwsCloud(
            LambdaClient lambda,
            IamClient iam,
            StsClient sts,
            ResourceGroupsTaggingApiClient tagging,
            DynamoDbClient dynamo,
            AwsConfig config,
            String region,
            ApiCallCounter counter,
            RetryReporter retries,
            Sleeper sleeper,
            ProgressListener progress) {
        this.dynamo = requireNonNull(dynamo, "dynamo is null");
        this.lambda = requireNonNull(lambda, "lambda is null");
        this.iam = requireNonNull(iam, "iam is null");
        this.sts = requireNonNull(sts, "sts is null");
        this.tagging = requireNonNull(tagging, "tagging is null");
        this.config = requireNonNull(config, "config is null");
        this.region = requireNonNull(region, "region is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.retries = requireNonNull(retries, "retries is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.waiter = new Waiter(config.timings(), sleeper);
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** Pauses between polls; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = duration -> {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw LambdaformException.user("interrupted while waiting");
            }
        };

        void sleep(Duration duration);
    }

    public ApiCallCounter calls() {
        return counter;
    }

    @Override
    public Optional<String> usage(boolean detailed) {
        return Optional.of("AWS API calls: " + counter.total() + (detailed ? " " + counter.snapshot() : ""));
    }

    @Override
    public TargetDescription describe() {
        String where = config.endpoint().map(e -> "endpoint " + e).orElse("AWS");
        return new TargetDescription("aws", where, account(), region);
    }

    private String account() {
        String id = accountId;
        if (id == null) {
            id = AwsErrors.call(
                    "STS GetCallerIdentity", () -> sts.getCallerIdentity().account());
            accountId = id;
        }
        return id;
    }

    private String partition() {
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    @Override
    public String roleArn(String path, String name) {
        return "arn:" + partition() + ":iam::" + account() + ":role" + path + name;
    }

    private String functionArn(String name) {
        return "arn:" + partition() + ":lambda:" + region + ":" + account() + ":function:" + name;
    }

    // Reads

    @Override
    public Optional<RoleState> findRole(String name) {
        Role role;
        try {
            role = iam.getRole(r -> r.roleName(name)).role();
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw wrap("IAM GetRole " + name, e);
        }
        TreeSet<String> attached = new TreeSet<>();
        AwsErrors.run(
                "IAM ListAttachedRolePolicies " + name,
                () -> iam.listAttachedRolePoliciesPaginator(r -> r.roleName(name))
                        .attachedPolicies()
                        .forEach(p -> attached.add(p.policyArn())));
        TreeMap<String, String> inline = new TreeMap<>();
        List<String> policyNames = new ArrayList<>();
        AwsErrors.run(
                "IAM ListRolePolicies " + name,
                () -> iam.listRolePoliciesPaginator(r -> r.roleName(name))
                        .policyNames()
                        .forEach(policyNames::add));
        for (String policy : policyNames) {
            String document = AwsErrors.call(
                    "IAM GetRolePolicy " + name + "/" + policy,
                    () -> iam.getRolePolicy(r -> r.roleName(name).policyName(policy))
                            .policyDocument());
            inline.put(policy, PolicyDocuments.decode(document));
        }
        TreeMap<String, String> tags = new TreeMap<>();
        role.tags().forEach(t -> tags.put(t.key(), t.value()));
        return Optional.of(new RoleState(
                role.roleName(),
                role.arn(),
                role.path(),
                nullToEmpty(role.description()),
                PolicyDocuments.decode(role.assumeRolePolicyDocument()),
                attached,
                inline,
                tags,
                role.maxSessionDuration() == null ? 3600 : role.maxSessionDuration(),
                Optional.ofNullable(role.permissionsBoundary()).map(b -> b.permissionsBoundaryArn())));
    }

    @Override
    public Optional<FunctionState> findFunction(String name) {
        GetFunctionResponse response;
        try {
            response = lambda.getFunction(r -> r.functionName(name));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw wrap("Lambda GetFunction " + name, e);
        }
        return Optional.of(toState(response.configuration(), response.tags()));
    }

    static FunctionState toState(FunctionConfiguration c, Map<String, String> tags) {
        FunctionSettings settings = new FunctionSettings(
                nullToEmpty(c.runtimeAsString()),
                nullToEmpty(c.handler()),
                nullToEmpty(c.description()),
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
                Optional.of(nullToEmpty(c.kmsKeyArn())),
                Optional.of(
                        c.deadLetterConfig() == null
                                ? ""
                                : nullToEmpty(c.deadLetterConfig().targetArn())),
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
                                : c.snapStart().applyOnAsString()));
        return new FunctionState(
                c.functionName(),
                c.functionArn(),
                nullToEmpty(c.role()),
                settings,
                nullToEmpty(c.codeSha256()),
                c.codeSize() == null ? 0 : c.codeSize(),
                new TreeMap<>(tags == null ? Map.of() : tags),
                c.stateAsString() == null ? "Active" : c.stateAsString(),
                c.lastUpdateStatusAsString() == null ? "Successful" : c.lastUpdateStatusAsString());
    }

    /**
     * Functions: on AWS one paged Resource Groups Tagging API call; against a custom endpoint (emulators do not all
     * implement GetResources for Lambda) ListFunctions plus ListTags for each function not excepted. Roles: the
     * tagging API does not cover IAM roles, so ListRoles plus ListRoleTags for each role that a service may assume,
     * is not excepted and is not a service-linked role.
     */
    @Override
    public StackInventory inventory(String stackName, Set<String> exceptRoles, Set<String> exceptFunctions) {
        TreeSet<String> functions = new TreeSet<>();
        if (config.endpoint().isEmpty()) {
            AwsErrors.run(
                    "Tagging GetResources",
                    () -> tagging.getResourcesPaginator(r -> r.resourceTypeFilters("lambda:function")
                                    .tagFilters(TagFilter.builder()
                                            .key(Stack.OWNER_TAG)
                                            .values(stackName)
                                            .build()))
                            .resourceTagMappingList()
                            .forEach(m -> functions.add(
                                    m.resourceARN().substring(m.resourceARN().lastIndexOf(':') + 1))));
            functions.removeAll(exceptFunctions);
        } else {
            List<FunctionConfiguration> all = new ArrayList<>();
            AwsErrors.run(
                    "Lambda ListFunctions",
                    () -> lambda.listFunctionsPaginator(r -> {}).functions().forEach(all::add));
            for (FunctionConfiguration function : all) {
                if (exceptFunctions.contains(function.functionName())) {
                    continue;
                }
                Map<String, String> tags = AwsErrors.call(
                        "Lambda ListTags " + function.functionName(),
                        () -> lambda.listTags(r -> r.resource(function.functionArn()))
                                .tags());
                if (stackName.equals(tags.get(Stack.OWNER_TAG))) {
                    functions.add(function.functionName());
                }
            }
        }
        List<Role> candidates = new ArrayList<>();
        AwsErrors.run(
                "IAM ListRoles",
                () -> iam.listRolesPaginator(r -> {}).roles().forEach(role -> {
                    if (!exceptRoles.contains(role.roleName())
                            && !role.path().startsWith("/aws-service-role/")
                            && PolicyDocuments.decode(nullToEmpty(role.assumeRolePolicyDocument()))
                                    .contains("\"Service\"")) {
                        candidates.add(role);
                    }
                }));
        TreeSet<String> roles = new TreeSet<>();
        for (var role : candidates) {
            List<Tag> tags = new ArrayList<>();
            AwsErrors.run(
                    "IAM ListRoleTags " + role.roleName(),
                    () -> iam.listRoleTagsPaginator(r -> r.roleName(role.roleName()))
                            .tags()
                            .forEach(tags::add));
            if (tags.stream()
                    .anyMatch(t -> t.key().equals(Stack.OWNER_TAG) && t.value().equals(stackName))) {
                roles.add(role.roleName());
            }
        }
        return new StackInventory(roles, functions);
    }

    @Override
    public StackLock lock(String stackName, Duration timeout) {
        if (config.lockTable().isEmpty()) {
            return new StackLock() {
                @Override
                public void close() {}

                @Override
                public Optional<String> warning() {
                    return Optional.of("warning: no --lock-table, so nothing stops another run from changing stack '"
                            + stackName + "' at the same time; see docs/gitops.md");
                }
            };
        }
        return DynamoDbStackLock.acquire(dynamo, config.lockTable().get(), stackName, timeout, progress, sleeper);
    }

    @Override
    public Optional<String> forceUnlock(String stackName) {
        String table = config.lockTable()
                .orElseThrow(() -> LambdaformException.user(
                        "force-unlock on AWS needs" + " the --lock-table the lock was taken in"));
        return DynamoDbStackLock.forceUnlock(dynamo, table, stackName);
    }

    // IAM

    /**
     * Builds the result from CreateRole's response: a new role has no policies yet, so nothing needs reading back.
     * When the role already exists (the response to an earlier attempt was lost, or another run of this stack made
     * it), it is read: this stack's and as planned means done, anything else is a conflict.
     */
    @Override
    public RoleState createRole(NewRole role) {
        String what = "IAM CreateRole " + role.name();
        Role created;
        try {
            created = iam.createRole(r -> {
                        r.roleName(role.name())
                                .path(role.path())
                                .assumeRolePolicyDocument(role.assumeRolePolicy())
                                .maxSessionDuration(role.maxSessionDuration())
                                .tags(iamTags(role.tags()));
                        if (!role.description().isEmpty()) {
                            r.description(role.description());
                        }
                        role.permissionsBoundary().ifPresent(r::permissionsBoundary);
                    })
                    .role();
        } catch (EntityAlreadyExistsException e) {
            return existingRole(what, role, e, retries.attemptsOfLastCall() > 1);
        } catch (RuntimeException e) {
            throw wrap(what, e);
        }
        return RoleState.created(role, created.arn(), PolicyDocuments.decode(role.assumeRolePolicy()));
    }

    private RoleState existingRole(String what, NewRole role, EntityAlreadyExistsException e, boolean retried) {
        RoleState live = findRole(role.name()).orElseThrow(() -> AwsErrors.translate(what, e));
        List<String> differences = new ArrayList<>();
        if (!live.path().equals(role.path())) {
            differences.add("path");
        }
        if (!PolicyDocuments.equivalent(live.assumeRolePolicy(), role.assumeRolePolicy())) {
            differences.add("trust policy");
        }
        if (!live.description().equals(role.description())) {
            differences.add("description");
        }
        if (live.maxSessionDuration() != role.maxSessionDuration()) {
            differences.add("maxSessionDuration");
        }
        if (!live.permissionsBoundary().equals(role.permissionsBoundary())) {
            differences.add("permissions boundary");
        }
        return alreadyExists(what, "role", role.name(), role.tags(), live.tags(), differences, retried, e, live);
    }

    /**
     * What a create does when the resource exists: carry on with it when an earlier attempt of this very call may have
     * made it (the SDK retried: a lost response, say) and it is this stack's and as planned; else fail at once as a
     * conflict. A first attempt that meets the resource means someone else made it, if only another run of the stack.
     */
    private <T> T alreadyExists(
            String what,
            String kind,
            String name,
            Map<String, String> desiredTags,
            Map<String, String> liveTags,
            List<String> differences,
            boolean retried,
            AwsServiceException e,
            T live) {
        String stack = desiredTags.get(Stack.OWNER_TAG);
        String owner = liveTags.get(Stack.OWNER_TAG);
        if (stack == null || !stack.equals(owner)) {
            String why = owner == null
                    ? "has no " + Stack.OWNER_TAG + " tag, so it was not created by this stack"
                    : "belongs to stack '" + owner + "'";
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    what + ": conflict: " + kind + " "
                            + name + " already exists and " + why
                            + "; it was not modified. Rename it in the manifests, or"
                            + " take it over with --adopt " + name,
                    e.requestId(),
                    e);
        }
        if (!differences.isEmpty()) {
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    what + ": conflict: " + kind + " "
                            + name + " already exists with this stack's tag but a different "
                            + String.join(", ", differences)
                            + " than planned; another run of stack '" + stack + "' may be changing it. Run plan again",
                    e.requestId(),
                    e);
        }
        if (!retried) {
            throw new LambdaformException(
                    LambdaformException.Category.EXTERNAL,
                    what + ": conflict: " + kind + " "
                            + name
                            + " already exists (with this stack's tag) although the plan found none; another run of"
                            + " stack '" + stack
                            + "' may be applying at the same time (--lock-table prevents that). Run"
                            + " plan again",
                    e.requestId(),
                    e);
        }
        progress.onProgress(what + ": it already exists, with this stack's tag and as planned (the response to an"
                + " earlier attempt was lost); continuing");
        return live;
    }

    @Override
    public void updateRole(String name, String description, int maxSessionDuration) {
        AwsErrors.run(
                "IAM UpdateRole " + name,
                () -> iam.updateRole(
                        r -> r.roleName(name).description(description).maxSessionDuration(maxSessionDuration)));
    }

    @Override
    public void updateAssumeRolePolicy(String name, String policyDocument) {
        AwsErrors.run(
                "IAM UpdateAssumeRolePolicy " + name,
                () -> iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(policyDocument)));
    }

    @Override
    public void putPermissionsBoundary(String name, String policyArn) {
        AwsErrors.run(
                "IAM PutRolePermissionsBoundary " + name,
                () -> iam.putRolePermissionsBoundary(r -> r.roleName(name).permissionsBoundary(policyArn)));
    }

    @Override
    public void deletePermissionsBoundary(String name) {
        ignoreNotFound(
                "IAM DeleteRolePermissionsBoundary " + name,
                () -> iam.deleteRolePermissionsBoundary(r -> r.roleName(name)));
    }

    @Override
    public void attachRolePolicy(String roleName, String policyArn) {
        AwsErrors.run(
                "IAM AttachRolePolicy " + roleName + " " + policyArn,
                () -> iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn)));
    }

    @Override
    public void detachRolePolicy(String roleName, String policyArn) {
        ignoreNotFound(
                "IAM DetachRolePolicy " + roleName + " " + policyArn,
                () -> iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn)));
    }

    @Override
    public void putRolePolicy(String roleName, String policyName, String policyDocument) {
        AwsErrors.run(
                "IAM PutRolePolicy " + roleName + "/" + policyName,
                () -> iam.putRolePolicy(
                        r -> r.roleName(roleName).policyName(policyName).policyDocument(policyDocument)));
    }

    @Override
    public void deleteRolePolicy(String roleName, String policyName) {
        ignoreNotFound(
                "IAM DeleteRolePolicy " + roleName + "/" + policyName,
                () -> iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName)));
    }

    @Override
    public void tagRole(String name, Map<String, String> tags) {
        AwsErrors.run(
                "IAM TagRole " + name, () -> iam.tagRole(r -> r.roleName(name).tags(iamTags(tags))));
    }

    @Override
    public void untagRole(String name, Collection<String> tagKeys) {
        AwsErrors.run(
                "IAM UntagRole " + name,
                () -> iam.untagRole(r -> r.roleName(name).tagKeys(tagKeys)));
    }

    @Override
    public void deleteRole(String name) {
        ignoreNotFound("IAM DeleteRole " + name, () -> iam.deleteRole(r -> r.roleName(name)));
    }

    /** Runs an IAM delete or detach; "not found" means done (a retry after a lost response meets exactly that). */
    private void ignoreNotFound(String what, Runnable call) {
        try {
            call.run();
        } catch (NoSuchEntityException e) {
            progress.onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw wrap(what, e);
        }
    }

    private static List<Tag> iamTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    // Lambda

    /**
     * Creates the function and waits until it is Active. When it already exists (the response to an earlier attempt
     * was lost, or another run of this stack made it), it is read: this stack's and as planned means done, anything
     * else is a conflict.
     */
    @Override
    public FunctionState createFunction(NewFunction function) {
        String what = "Lambda CreateFunction " + function.name();
        try {
            mutate(what, true, () -> lambda.createFunction(LambdaSettings.create(function)));
        } catch (LambdaformException e) {
            if (e.getCause() instanceof ResourceConflictException conflict && AwsErrors.alreadyExists(conflict)) {
                return existingFunction(what, function, conflict, retries.attemptsOfLastCall() > 1);
            }
            throw e;
        }
        return awaitState(function.name(), "to become Active", true);
    }

    private FunctionState existingFunction(
            String what, NewFunction function, ResourceConflictException e, boolean retried) {
        FunctionState live = findFunction(function.name()).orElseThrow(() -> AwsErrors.translate(what, e));
        List<String> differences = new ArrayList<>();
        if (!live.codeSha256().equals(function.code().codeSha256())) {
            differences.add("code");
        }
        FunctionFields.diff(
                        FunctionFields.of(live.roleArn(), live.settings()),
                        FunctionFields.of(function.roleArn(), function.settings()),
                        Set.of())
                .forEach(change -> differences.add(change.field()));
        alreadyExists(what, "function", function.name(), function.tags(), live.tags(), differences, retried, e, live);
        return awaitState(function.name(), "to become Active", true);
    }

    @Override
    public void updateFunctionCode(String name, DeploymentPackage code, List<String> architectures) {
        awaitState(name, "before updating its code", false);
        mutate(
                "Lambda UpdateFunctionCode " + name,
                false,
                () -> lambda.updateFunctionCode(r -> r.functionName(name)
                        .zipFile(SdkBytes.fromByteArray(code.zip()))
                        .architecturesWithStrings(architectures)
                        .publish(false)));
        awaitState(name, "to finish its code update", false);
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
                () -> lambda.tagResource(r -> r.resource(functionArn(name)).tags(tags)));
    }

    @Override
    public void untagFunction(String name, Collection<String> tagKeys) {
        AwsErrors.run(
                "Lambda UntagResource " + name,
                () -> lambda.untagResource(r -> r.resource(functionArn(name)).tagKeys(tagKeys)));
    }

    /** Deletes the function; "not found" means done (a retry after a lost response meets exactly that). */
    @Override
    public void deleteFunction(String name) {
        String what = "Lambda DeleteFunction " + name;
        List<Acceptor<DeleteFunctionResponse>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.successOnException(
                ResourceNotFoundException.class, e -> what + ": already gone (" + AwsErrors.message(e) + ")"));
        acceptors.addAll(mutation(what, false, config.timings()));
        waiter.await(() -> lambda.deleteFunction(r -> r.functionName(name)), acceptors, progress);
    }

    @Override
    public InvocationResult invoke(String functionName, String event) {
        long start = System.nanoTime();
        InvokeResponse response = AwsErrors.call(
                "Lambda Invoke " + functionName,
                () -> lambda.invoke(r -> r.functionName(functionName)
                        .invocationType(InvocationType.REQUEST_RESPONSE)
                        .logType(LogType.TAIL)
                        .payload(SdkBytes.fromUtf8String(event))));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String log = response.logResult() == null
                ? ""
                : new String(Base64.getDecoder().decode(response.logResult()), StandardCharsets.UTF_8);
        String payload =
                response.payload() == null ? "null" : response.payload().asUtf8String();
        return new InvocationResult(
                payload.isEmpty() ? "null" : payload, Optional.ofNullable(response.functionError()), log, millis);
    }

    // Waiting

    /**
     * Polls GetFunction (exempt from the control-plane quota) until the function is ready for the next call (see
     * {@link #functionReady}).
     */
    private FunctionState awaitState(String name, String purpose, boolean afterCreate) {
        GetFunctionResponse response = waiter.await(
                () -> lambda.getFunction(r -> r.functionName(name)),
                functionReady(name, purpose, afterCreate, config.timings().stateDeadline()),
                progress);
        return toState(response.configuration(), response.tags());
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
                        + nullToEmpty(r.configuration().stateReasonCodeAsString()) + " "
                        + nullToEmpty(r.configuration().stateReason()))));
        if (!afterCreate) {
            acceptors.add(Acceptor.failureOn(
                    r -> lastUpdate(r).equals("Failed"),
                    r -> LambdaformException.external("the last update of function " + name + " failed: "
                            + nullToEmpty(r.configuration().lastUpdateStatusReasonCodeAsString()) + " "
                            + nullToEmpty(r.configuration().lastUpdateStatusReason()))));
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
        acceptors.add(Acceptor.failureOnException(e -> wrap("Lambda GetFunction " + name, e)));
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
        return waiter.await(call, mutation(what, rolePropagation, config.timings()), progress);
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
        acceptors.add(Acceptor.failureOnException(e -> wrap(what, e)));
        return List.copyOf(acceptors);
    }

    private static RuntimeException wrap(String what, RuntimeException e) {
        if (e instanceof LambdaformException) {
            return e;
        }
        if (e instanceof AwsServiceException service) {
            return AwsErrors.translate(what, service);
        }
        if (e instanceof SdkClientException client) {
            return AwsErrors.client(what, client);
        }
        return e;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
