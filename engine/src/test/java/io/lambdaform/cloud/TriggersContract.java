package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.bucket.Buckets;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.queue.Queues;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.kinds.role.Roles;
import io.lambdaform.kinds.topic.Topics;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.kinds.trigger.Triggers;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.PlannedOperation;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link Triggers} port's contract, for each link both targets make (an S3 notification entry, an SQS mapping, an
 * SNS subscription, an EventBridge schedule rule, a function URL) and a bare permission: made, changed and removed by
 * the operations the planner plans, then read back by the next run (a new set of adapters, as the next CLI run binds
 * them) with the settings the plan compares, so that the next plan is empty; removals and additions repeated as a
 * lost response repeats them; the stack's inventory; a statement another tool added, which is never touched; and
 * bare permissions for a service, inventoried and pruned as the permissions they are. Each target runs it by
 * extending this class.
 */
public abstract class TriggersContract {
    public static final String STACK = "s1";
    public static final String BUCKET = "contract-uploads";
    public static final String QUEUE = "contract-jobs";
    public static final String TOPIC = "contract-alerts";
    protected static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String S3_CREATED = "s3:ObjectCreated:*";

    @TempDir
    protected Path work;

    /** A new run on the target under test: every kind's adapter as the engine binds it, with nothing read yet. */
    protected abstract TestTarget<?> run();

    /** The statement ids of the function's policy ($LATEST's, or the alias's), as the target holds them. */
    protected abstract List<String> policySids(String function, Optional<String> qualifier);

    // Fixtures, made through the kinds' ports

    protected static TreeMap<String, String> owned(String stack) {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, stack));
    }

    protected void given() {
        given(run(), work);
    }

    /**
     * Makes, on {@code run}'s target, stack s1's functions app (with an alias live), worker and site, stack s2's
     * function other, and s1's bucket, queue and topic; their code is written under {@code work}.
     */
    public static void given(TestTarget<?> run, Path work) {
        RoleState role = run.ports()
                .get(Roles.class)
                .createRole(new NewRole("trigger-role", "/", "", TRUST, 3600, Optional.empty(), owned(STACK)));
        Functions functions = run.functions();
        FunctionState app = createFunction(functions, work, "app", role, STACK);
        createFunction(functions, work, "worker", role, STACK);
        createFunction(functions, work, "site", role, STACK);
        createFunction(functions, work, "other", role, "s2");
        String version = functions.publishVersion("app", app.codeSha256(), "v1");
        run.ports()
                .get(Aliases.class)
                .createAlias(
                        "app", "live", version, new TreeMap<>(), Aliases.State.description(STACK, Optional.empty()));
        run.ports().get(Buckets.class).createBucket(BUCKET, owned(STACK));
        run.ports().get(Queues.class).createQueue(QUEUE, 30, 345600, owned(STACK));
        run.ports().get(Topics.class).createTopic(TOPIC, owned(STACK));
    }

    private static FunctionState createFunction(
            Functions functions, Path work, String name, RoleState role, String stack) {
        Path folder = TestFiles.write(work, "code/app.py", "def handler(event, context):\n    return event\n")
                .getParent();
        DeploymentPackage code = new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
        return functions.createFunction(new NewFunction(
                name, role.arn(), FunctionSettings.of("python3.12", "app.handler"), code, owned(stack)));
    }

    // The triggers, as the manifests declare them: first, then changed

    private static Map<String, String> map(String... entries) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put(entries[i], entries[i + 1]);
        }
        return map;
    }

    private static Trigger trigger(
            String name,
            String function,
            Optional<String> qualifier,
            Trigger.Type type,
            String source,
            Map<String, String> settings) {
        return new Trigger(name, function, qualifier, type, source, false, new TreeMap<>(settings), Optional.empty());
    }

    /** A trigger of each link (and a bare permission); {@code changed}: each setting a plan compares, changed. */
    public static Trigger declared(String link, boolean changed) {
        return switch (link) {
            case "s3" ->
                trigger(
                        "on-upload",
                        "app",
                        Optional.empty(),
                        Trigger.Type.S3,
                        BUCKET,
                        changed
                                ? map("events", S3_CREATED + ",s3:ObjectRemoved:*", "prefix", "out/", "suffix", ".csv")
                                : map("events", S3_CREATED, "prefix", "in/"));
            case "sqs" ->
                trigger(
                        "jobs",
                        "worker",
                        Optional.empty(),
                        Trigger.Type.SQS,
                        QUEUE,
                        changed
                                ? map(
                                        "batchSize",
                                        "5",
                                        "batchingWindow",
                                        "2",
                                        "enabled",
                                        "false",
                                        "reportBatchItemFailures",
                                        "true")
                                : map(
                                        "batchSize",
                                        "10",
                                        "batchingWindow",
                                        "0",
                                        "enabled",
                                        "true",
                                        "reportBatchItemFailures",
                                        "false"));
            case "sns", "sns@live" ->
                trigger(
                        "alerts",
                        "app",
                        link.endsWith("@live") ? Optional.of("live") : Optional.empty(),
                        Trigger.Type.SNS,
                        TOPIC,
                        changed ? map("filterPolicy", "{\"level\":[\"error\"]}") : map());
            case "schedule" ->
                trigger(
                        "nightly",
                        "app",
                        Optional.empty(),
                        Trigger.Type.RULE,
                        "",
                        changed
                                ? map("schedule", "cron(0 3 * * ? *)", "enabled", "false")
                                : map("schedule", "rate(1 day)", "enabled", "true"));
            case "url" ->
                trigger(
                        "web",
                        "site",
                        Optional.empty(),
                        Trigger.Type.URL,
                        "",
                        changed
                                ? map(
                                        "authType",
                                        "NONE",
                                        "invokeMode",
                                        "BUFFERED",
                                        "cors",
                                        "{\"allowMethods\":[\"GET\"],\"allowOrigins\":[\"https://example.com\"]}")
                                : map("authType", "AWS_IAM", "invokeMode", "BUFFERED"));
            case "permission" ->
                new Trigger(
                        "partner",
                        "app",
                        Optional.empty(),
                        Trigger.Type.PERMISSION,
                        "",
                        false,
                        new TreeMap<>(),
                        Optional.of(
                                changed
                                        ? new Trigger.Grant(
                                                "arn:aws:iam::111122223333:root",
                                                Optional.of("arn:aws:sns:us-east-1:111122223333:partner"),
                                                Optional.empty())
                                        : new Trigger.Grant(
                                                "111122223333",
                                                Optional.of("arn:aws:s3:::partner-bucket"),
                                                Optional.of("111122223333"))));
            default -> throw new IllegalArgumentException(link);
        };
    }

    // Planning and applying, as the engine does, for the trigger alone

    /** The next run's plan of a stack declaring {@code declared} (none: destroy), then applied. */
    protected List<String> apply(Trigger... declared) {
        return apply(run(), declared);
    }

    /** {@code run}'s plan of a stack declaring {@code declared} (none: destroy), applied in that run. */
    public static List<String> apply(TestTarget<?> run, Trigger... declared) {
        Plan plan = planned(run, declared);
        ApplyContext context = context(run);
        for (PlannedOperation op : plan.operations()) {
            op.operation().apply(context);
        }
        return types(plan);
    }

    /** The operations of the next run's plan of a stack declaring {@code declared}. */
    protected List<String> plan(Trigger... declared) {
        return plan(run(), declared);
    }

    /** The operations of {@code run}'s plan of a stack declaring {@code declared}. */
    public static List<String> plan(TestTarget<?> run, Trigger... declared) {
        return types(planned(run, declared));
    }

    /** As the live reader reads triggers: each declared one, and the inventory of the others, which are pruned. */
    private static Plan planned(TestTarget<?> run, Trigger... declared) {
        Triggers triggers = run.ports().get(Triggers.class);
        Set<String> names = Arrays.stream(declared).map(Trigger::name).collect(Collectors.toSet());
        SortedSet<String> inventory = triggers.inventory(STACK, names);
        LiveState.Builder live =
                LiveState.builder(run.cloud().describe(), Kinds.ALL).inventory(TriggerKind.KIND, inventory);
        inventory.forEach(name -> live.live(TriggerKind.KIND, name, triggers.find(name)));
        for (Trigger t : declared) {
            live.live(TriggerKind.KIND, t.name(), triggers.find(t));
        }
        Stack stack = new Stack(
                STACK,
                Optional.of(run.cloud().describe().region()),
                new TreeMap<>(),
                List.<Resource>of(declared),
                List.of(),
                Sensitive.NONE);
        Plan plan = new Planner().plan(stack, live.build(), PlanOptions.DEFAULT);
        assertThat(plan.operations())
                .allSatisfy(op -> assertThat(op.operation().key().kind()).isEqualTo(TriggerKind.KIND));
        return plan;
    }

    private static List<String> types(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().type().name())
                .toList();
    }

    private static ApplyContext context(TestTarget<?> run) {
        return new ApplyContext() {
            @Override
            public <P> P port(Class<P> port) {
                return run.ports().get(port);
            }

            @Override
            public DeploymentPackage packageAsPlanned(ResourceKey resource, CodeSource source, String plannedSha256) {
                throw new UnsupportedOperationException("triggers deploy no code");
            }

            @Override
            public void remember(String key, String value) {}

            @Override
            public Optional<String> recall(String key) {
                return Optional.empty();
            }

            @Override
            public void progress(String message) {}
        };
    }

    /** The trigger as the next run finds it. */
    protected Triggers.State find(Trigger declared) {
        return run().ports().get(Triggers.class).find(declared).orElseThrow();
    }

    protected Triggers triggers() {
        return run().ports().get(Triggers.class);
    }

    /** The statement the plan wants of {@code trigger} on this target. */
    protected Optional<Triggers.Statement> statement(Trigger trigger) {
        TargetDescription target = run().cloud().describe();
        return TriggerKind.statement(trigger, target, TriggerKind.sourceArn(trigger, target));
    }

    /** The link's settings as the plan compares them: the trigger's, with its source and the ARN the source invokes. */
    protected SortedMap<String, String> settings(Trigger trigger) {
        TargetDescription target = run().cloud().describe();
        SortedMap<String, String> settings = new TreeMap<>(trigger.settings());
        String source = TriggerKind.sourceArn(trigger, target);
        if (!source.isEmpty()) {
            settings.put("source", source);
        }
        settings.put("function", TriggerKind.functionArn(trigger, target));
        return settings;
    }

    private void assertFoundAsPlanned(Trigger trigger, Triggers.State found) {
        assertThat(found.permission().map(Triggers.Statement::fields))
                .as("the statement of %s, by meaning", trigger.name())
                .isEqualTo(statement(trigger).map(Triggers.Statement::fields));
        assertThat(found.permission().map(Triggers.Statement::sid))
                .isEqualTo(statement(trigger).map(s -> s.sid()));
        if (trigger.type() == Trigger.Type.PERMISSION) {
            assertThat(found.link()).isEmpty();
        } else {
            assertThat(found.link().map(Triggers.Link::settings))
                    .as("the link of %s", trigger.name())
                    .contains(settings(trigger));
        }
        assertThat(found.sourceFound()).isTrue();
        assertThat(found.type()).isEqualTo(trigger.type());
        assertThat(found.qualifier()).isEqualTo(trigger.qualifier());
    }

    // The contract

    @ParameterizedTest
    @ValueSource(strings = {"s3", "sqs", "sns", "sns@live", "schedule", "url", "permission"})
    void aTrigger_madeChangedAndRemovedAsPlanned_isReadBackAsThePlanComparesIt(String link) {
        given();
        Trigger first = declared(link, false);
        Trigger changed = declared(link, true);
        assertThat(find(first).exists()).isFalse();
        assertThat(find(first).sourceFound()).isTrue();

        List<String> create = apply(first);

        assertThat(create)
                .containsExactlyElementsOf(
                        switch (link) {
                            case "sqs", "url" -> List.of("ConnectTrigger");
                            case "permission" -> List.of("AddPermission");
                            default -> List.of("AddPermission", "ConnectTrigger");
                        });
        Triggers.State made = find(first);
        assertFoundAsPlanned(first, made);
        assertThat(plan(first)).as("the plan right after").isEmpty();

        List<String> update = apply(changed);

        assertThat(update)
                .containsExactlyElementsOf(
                        switch (link) {
                            case "url" -> List.of("AddPermission", "UpdateTrigger");
                            case "permission" -> List.of("RemovePermission", "AddPermission");
                            default -> List.of("UpdateTrigger");
                        });
        Triggers.State updated = find(changed);
        assertFoundAsPlanned(changed, updated);
        assertThat(updated.link().map(Triggers.Link::id))
                .as("changed in place")
                .isEqualTo(made.link().map(Triggers.Link::id));
        assertThat(plan(changed)).as("the plan right after").isEmpty();
        assertThat(triggers().inventory(STACK, Set.of())).containsExactly(changed.name());

        List<String> destroy = apply();

        assertThat(destroy)
                .containsExactlyElementsOf(
                        switch (link) {
                            case "sqs" -> List.of("DisconnectTrigger");
                            case "permission" -> List.of("RemovePermission");
                            default -> List.of("DisconnectTrigger", "RemovePermission");
                        });
        Triggers.State gone = find(changed);
        assertThat(gone.permission()).isEmpty();
        assertThat(gone.link()).isEmpty();
        assertThat(triggers().inventory(STACK, Set.of())).isEmpty();
        assertThat(plan()).isEmpty();

        // Removing again what is gone, as a run whose response was lost does, is done.
        Triggers again = triggers();
        updated.link().ifPresent(l -> again.disconnect(updated));
        updated.permission().ifPresent(s -> again.removePermission(changed.function(), changed.qualifier(), s.sid()));
        assertThat(find(changed).exists()).isFalse();
        assertThat(policySids(changed.function(), changed.qualifier())).isEmpty();
    }

    @Test
    void addPermission_repeatedAsPlanned_isDone_butAnotherStatementUnderItsId_isAConflict() {
        given();
        Trigger partner = declared("permission", false);
        Triggers.Statement planned = statement(partner).orElseThrow();
        triggers().addPermission("app", Optional.empty(), planned);

        triggers().addPermission("app", Optional.empty(), planned);

        assertThat(policySids("app", Optional.empty())).containsExactly(planned.sid());
        Triggers.Statement other = statement(declared("permission", true)).orElseThrow();
        assertThatThrownBy(() -> triggers().addPermission("app", Optional.empty(), other))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining(planned.sid())
                .hasMessageMatching("(?s).*(conflict|already exists).*");
        assertThat(find(partner).permission().map(Triggers.Statement::fields)).contains(planned.fields());
        assertThat(policySids("app", Optional.empty())).containsExactly(planned.sid());

        triggers().removePermission("app", Optional.empty(), planned.sid());
        triggers().removePermission("app", Optional.empty(), planned.sid());

        assertThat(find(partner).permission()).isEmpty();
        assertThat(policySids("app", Optional.empty())).isEmpty();
    }

    @Test
    void inventory_findsTheStacksTriggersOnly_andDestroyLeavesAnotherToolsStatementAndAnotherStacksTriggers() {
        given();
        Trigger upload = declared("s3", false);
        Trigger jobs = declared("sqs", false);
        Trigger web = declared("url", false);
        Trigger nightly = declared("schedule", false);
        assertThat(apply(upload, jobs, web, nightly)).hasSize(6);
        Trigger theirs = new Trigger(
                "theirs",
                "other",
                Optional.empty(),
                Trigger.Type.PERMISSION,
                "",
                false,
                new TreeMap<>(),
                Optional.of(new Trigger.Grant("events.amazonaws.com", Optional.empty(), Optional.empty())));
        triggers().addPermission("other", Optional.empty(), statement(theirs).orElseThrow());
        // Another tool's statement, on a function of the stack: its id lacks the prefix the stack's ids have.
        Triggers.Statement foreign = new Triggers.Statement(
                "partner-access",
                "sns.amazonaws.com",
                "lambda:InvokeFunction",
                Optional.of("arn:aws:sns:us-east-1:111122223333:partner"),
                Optional.empty(),
                Optional.empty());
        triggers().addPermission("app", Optional.empty(), foreign);

        Triggers reader = triggers();
        assertThat(reader.inventory(STACK, Set.of()))
                .as("a mapping-only function, a URL with AWS_IAM auth (no statement), a notification and a rule")
                .containsExactly("jobs", "nightly", "on-upload", "web");
        assertThat(reader.find("jobs").orElseThrow().type()).isEqualTo(Trigger.Type.SQS);
        assertThat(reader.find("jobs").orElseThrow().link().orElseThrow().settings())
                .isEqualTo(settings(jobs));
        assertThat(reader.find("web").orElseThrow().type()).isEqualTo(Trigger.Type.URL);
        assertThat(reader.find("web").orElseThrow().link().orElseThrow().settings())
                .isEqualTo(settings(web));
        assertThat(reader.find("on-upload").orElseThrow().link().orElseThrow().settings())
                .isEqualTo(settings(upload));
        assertThat(reader.find("on-upload").orElseThrow().permission()).isEqualTo(statement(upload));
        assertThat(reader.find("nightly").orElseThrow().type()).isEqualTo(Trigger.Type.RULE);
        assertThat(triggers().inventory(STACK, Set.of("jobs", "web"))).containsExactly("nightly", "on-upload");
        assertThat(triggers().inventory("s2", Set.of())).containsExactly("theirs");
        assertThat(triggers().inventory("s3", Set.of())).isEmpty();

        List<String> destroy = apply();

        assertThat(destroy).hasSize(6);
        assertThat(triggers().inventory(STACK, Set.of())).isEmpty();
        assertThat(policySids("app", Optional.empty())).containsExactly("partner-access");
        assertThat(policySids("site", Optional.empty())).isEmpty();
        assertThat(triggers().inventory("s2", Set.of())).containsExactly("theirs");
        assertThat(find(theirs).permission()).isEqualTo(statement(theirs));
        for (Trigger t : List.of(upload, jobs, web, nightly)) {
            assertThat(find(t).exists()).as(t.name()).isFalse();
        }
    }

    private static Trigger permission(
            String name, String principal, Optional<String> sourceArn, Optional<String> account) {
        return new Trigger(
                name,
                "app",
                Optional.empty(),
                Trigger.Type.PERMISSION,
                "",
                false,
                new TreeMap<>(),
                Optional.of(new Trigger.Grant(principal, sourceArn, account)));
    }

    @Test
    void barePermissionsOfAService_thatNoLinkOfTheStackNeeds_areInventoriedAndPrunedAsPermissions() {
        given();
        String account = run().cloud().describe().accountId();
        Trigger partnerRule = permission(
                "partner-rule",
                "events.amazonaws.com",
                Optional.of("arn:aws:events:us-east-1:" + account + ":rule/partner-rule"),
                Optional.empty());
        Trigger anyRule = permission("any-rule", "events.amazonaws.com", Optional.empty(), Optional.empty());
        Trigger anyTopic = permission("any-topic", "sns.amazonaws.com", Optional.empty(), Optional.empty());
        Trigger anyBucket = permission("any-bucket", "s3.amazonaws.com", Optional.empty(), Optional.of(account));
        assertThat(apply(partnerRule, anyRule, anyTopic, anyBucket))
                .containsOnly("AddPermission")
                .hasSize(4);
        assertThat(plan(partnerRule, anyRule, anyTopic, anyBucket)).isEmpty();

        Triggers reader = triggers();
        assertThat(reader.inventory(STACK, Set.of()))
                .containsExactly("any-bucket", "any-rule", "any-topic", "partner-rule");
        assertThat(reader.find("partner-rule").orElseThrow().type()).isEqualTo(Trigger.Type.PERMISSION);
        assertThat(reader.find("any-rule").orElseThrow().type()).isEqualTo(Trigger.Type.PERMISSION);

        assertThat(apply()).containsOnly("RemovePermission").hasSize(4);
        assertThat(policySids("app", Optional.empty())).isEmpty();
        assertThat(triggers().inventory(STACK, Set.of())).isEmpty();
    }
}
