package io.lambdaform.kinds.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.role.RolePermissions;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.SourceDigest;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Triggers as a function of records: the declaration and what the target holds in, the plan out. */
class TriggerKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());
    private static final String FN_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:app";

    private static Function function(RoleRef role) {
        return new Function(
                "app", CODE, role, FunctionSettings.of("python3.12", "app.handler"), new TreeSet<>(), new TreeMap<>());
    }

    private static Stack stack(Resource... resources) {
        List<Resource> all = new ArrayList<>(List.of(function(new RoleRef.External("arn:aws:iam::1:role/x"))));
        all.addAll(List.of(resources));
        return new Stack("app", Optional.of("eu-west-1"), new TreeMap<>(), all, List.of(), Sensitive.NONE);
    }

    private static Trigger s3(String bucket, boolean declared) {
        return new Trigger(
                "on-upload",
                "app",
                Optional.empty(),
                Trigger.Type.S3,
                bucket,
                declared,
                new TreeMap<>(Map.of("events", "s3:ObjectCreated:*", "prefix", "in/")),
                Optional.empty());
    }

    private static Trigger url(String authType) {
        return new Trigger(
                "web",
                "app",
                Optional.empty(),
                Trigger.Type.URL,
                "",
                false,
                new TreeMap<>(Map.of("authType", authType, "invokeMode", "BUFFERED")),
                Optional.empty());
    }

    private static Trigger sqs(String queue) {
        return new Trigger(
                "jobs",
                "app",
                Optional.empty(),
                Trigger.Type.SQS,
                queue,
                true,
                new TreeMap<>(Map.of(
                        "batchSize",
                        "10",
                        "batchingWindow",
                        "0",
                        "enabled",
                        "true",
                        "reportBatchItemFailures",
                        "false")),
                Optional.empty());
    }

    private static Triggers.Statement s3Statement(String bucket) {
        return new Triggers.Statement(
                "lambdaform-on-upload",
                "s3.amazonaws.com",
                "lambda:InvokeFunction",
                Optional.of("arn:aws:s3:::" + bucket),
                Optional.of("123456789012"),
                Optional.empty());
    }

    private static SortedMap<String, String> s3Settings(String bucket, String prefix) {
        return new TreeMap<>(Map.of(
                "events",
                "s3:ObjectCreated:*",
                "prefix",
                prefix,
                "source",
                "arn:aws:s3:::" + bucket,
                "function",
                FN_ARN));
    }

    private static Triggers.State live(
            Trigger t, Optional<Triggers.Statement> permission, Optional<Triggers.Link> link, boolean found) {
        return new Triggers.State(
                t.name(), t.function(), t.qualifier(), t.type(), permission, link, found, Optional.empty());
    }

    private static Plan plan(Stack stack, Trigger trigger, Optional<Triggers.State> live) {
        return plan(stack, trigger.name(), live);
    }

    private static Plan plan(Stack stack, String name, Optional<Triggers.State> live) {
        LiveState.Builder state = LiveState.builder(TARGET, Kinds.ALL)
                .live(TriggerKind.KIND, name, live)
                .source(CODE, new SourceDigest("a", 1))
                .code(CODE, new DeploymentPackage(new byte[] {1}, "zip-a", "a", 1));
        // Nothing else exists yet: the function and role are created with the trigger.
        stack.resources(FunctionKind.KIND).forEach(f -> state.live(FunctionKind.KIND, f.name(), Optional.empty()));
        stack.resources(RoleKind.KIND).forEach(r -> state.live(RoleKind.KIND, r.name(), Optional.empty()));
        return new Planner().plan(stack, state.build(), new PlanOptions(new TreeSet<>(), true));
    }

    private static List<String> operations(Plan plan) {
        return plan.operations().stream()
                .filter(op -> op.operation().key().kind() == TriggerKind.KIND)
                .map(op -> op.operation().type().name())
                .toList();
    }

    @Test
    void aNewS3Trigger_addsItsPermissionWithTheAccount_thenItsNotification() {
        Trigger t = s3("uploads", true);
        Plan plan = plan(stack(t), t, Optional.of(Triggers.State.absent(t, true)));

        assertThat(operations(plan)).containsExactly("AddPermission", "ConnectTrigger");
        var add = (TriggerOperations.AddPermission) plan.operations().get(1).operation();
        assertThat(add.statement()).isEqualTo(s3Statement("uploads"));
        assertThat(plan.operations().get(2).dependsOn())
                .contains(plan.operations().get(1).id());
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void aTriggerAsPlanned_plansNothing() {
        Trigger t = s3("uploads", true);
        Triggers.State state = live(
                t,
                Optional.of(s3Statement("uploads")),
                Optional.of(new Triggers.Link("lambdaform.app.on-upload", s3Settings("uploads", "in/"))),
                true);

        assertThat(operations(plan(stack(t), t, Optional.of(state)))).isEmpty();
    }

    @Test
    void aPermissionRemovedOutOfBand_isAddedBack_andAChangedFilterIsUpdated() {
        Trigger t = s3("uploads", true);
        Triggers.State state = live(
                t,
                Optional.empty(),
                Optional.of(new Triggers.Link("lambdaform.app.on-upload", s3Settings("uploads", "other/"))),
                true);

        Plan plan = plan(stack(t), t, Optional.of(state));

        assertThat(operations(plan)).containsExactly("AddPermission", "UpdateTrigger");
        var update = plan.operations().stream()
                .map(op -> op.operation())
                .filter(op -> op.type().name().equals("UpdateTrigger"))
                .findFirst()
                .orElseThrow();
        assertThat(plan.changes(update))
                .extracting(c -> c.field() + ": " + c.before().orElse("") + " -> "
                        + c.after().orElse(""))
                .containsExactly("prefix: other/ -> in/");
    }

    @Test
    void aPermissionWrittenOtherwise_isComparedByMeaning() {
        Trigger t = new Trigger(
                "partner",
                "app",
                Optional.empty(),
                Trigger.Type.PERMISSION,
                "",
                false,
                new TreeMap<>(),
                Optional.of(new Trigger.Grant("arn:aws:iam::210987654321:root", Optional.empty(), Optional.empty())));
        Triggers.Statement same = new Triggers.Statement(
                "lambdaform-partner",
                "210987654321",
                "lambda:InvokeFunction",
                Optional.empty(),
                Optional.empty(),
                Optional.empty());

        assertThat(operations(plan(stack(t), t, Optional.of(live(t, Optional.of(same), Optional.empty(), true)))))
                .isEmpty();
    }

    @Test
    void aBucketTheStackDoesNotOwn_thatDoesNotExist_isAPlanError() {
        Trigger t = s3("nowhere", false);

        assertThatThrownBy(() -> plan(stack(t), t, Optional.of(Triggers.State.absent(t, false))))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("bucket 'nowhere' does not exist")
                .hasMessageContaining("kind: Bucket");
    }

    @Test
    void aPublicUrl_getsItsPermission_andASecurityNote() {
        Trigger t = url("NONE");
        Plan plan = plan(stack(t), t, Optional.of(Triggers.State.absent(t, true)));

        assertThat(operations(plan)).containsExactly("AddPermission", "ConnectTrigger");
        assertThat(plan.notes()).singleElement().satisfies(n -> {
            assertThat(n.category()).isEqualTo(Note.Category.SECURITY);
            assertThat(n.message()).contains("public URL");
        });
    }

    @Test
    void aPrivateUrl_hasNoPermission_andNoNote() {
        Trigger t = url("AWS_IAM");
        Plan plan = plan(stack(t), t, Optional.of(Triggers.State.absent(t, true)));

        assertThat(operations(plan)).containsExactly("ConnectTrigger");
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void anS3PermissionWithoutSourceAccount_isFlaggedAsAConfusedDeputy() {
        Trigger t = new Trigger(
                "raw",
                "app",
                Optional.empty(),
                Trigger.Type.PERMISSION,
                "",
                false,
                new TreeMap<>(),
                Optional.of(new Trigger.Grant(
                        "s3.amazonaws.com", Optional.of("arn:aws:s3:::somebucket"), Optional.empty())));

        Plan plan = plan(stack(t), t, Optional.of(Triggers.State.absent(t, true)));

        assertThat(plan.notes())
                .extracting(Note::message)
                .anySatisfy(m -> assertThat(m).contains("confused deputy"));
    }

    @Test
    void aMappingWhoseDeclaredRoleCannotReadTheQueue_isWarned() {
        Role role = new Role(
                "fn-role",
                Role.DEFAULT_PATH,
                "",
                "{}",
                new TreeSet<>(List.of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")),
                new TreeMap<>(),
                new TreeMap<>(),
                Role.DEFAULT_MAX_SESSION_DURATION,
                Optional.empty());
        Trigger t = sqs("jobs");
        Stack stack = new Stack(
                "app",
                Optional.of("eu-west-1"),
                new TreeMap<>(),
                List.of(role, function(new RoleRef.StackRole("fn-role")), t),
                List.of(),
                Sensitive.NONE);

        Plan plan = plan(stack, t, Optional.of(Triggers.State.absent(t, true)));

        assertThat(plan.notes()).singleElement().satisfies(n -> {
            assertThat(n.category()).isEqualTo(Note.Category.WARNING);
            assertThat(n.message()).contains("sqs:ReceiveMessage").contains("AWSLambdaSQSQueueExecutionRole");
        });
    }

    @Test
    void aRoleThatAllowsTheReads_inAnInlinePolicyWithWildcards_isNotWarned() {
        Role role = new Role(
                "fn-role",
                Role.DEFAULT_PATH,
                "",
                "{}",
                new TreeSet<>(),
                new TreeMap<>(Map.of(
                        "queue",
                        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sqs:Receive*\",\"SQS:deletemessage\","
                                + "\"sqs:GetQueue?ttributes\"],\"Resource\":\"*\"}]}")),
                new TreeMap<>(),
                Role.DEFAULT_MAX_SESSION_DURATION,
                Optional.empty());
        Trigger t = sqs("jobs");
        Stack stack = new Stack(
                "app",
                Optional.of("eu-west-1"),
                new TreeMap<>(),
                List.of(role, function(new RoleRef.StackRole("fn-role")), t),
                List.of(),
                Sensitive.NONE);

        assertThat(plan(stack, t, Optional.of(Triggers.State.absent(t, true))).notes())
                .isEmpty();
    }

    @Test
    void aTriggerNoLongerDeclared_losesItsLinkThenItsPermission() {
        Trigger t = s3("uploads", true);
        Triggers.State state = new Triggers.State(
                t.name(),
                "app",
                Optional.empty(),
                Trigger.Type.S3,
                Optional.of(s3Statement("uploads")),
                Optional.of(new Triggers.Link("lambdaform.app.on-upload", s3Settings("uploads", "in/"))),
                true,
                Optional.empty());
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .inventory(TriggerKind.KIND, new TreeSet<>(List.of("on-upload")))
                .live(TriggerKind.KIND, "on-upload", Optional.of(state))
                .live(FunctionKind.KIND, "app", Optional.empty())
                .source(CODE, new SourceDigest("a", 1))
                .code(CODE, new DeploymentPackage(new byte[] {1}, "zip-a", "a", 1))
                .build();

        Plan plan = new Planner().plan(stack(), live, new PlanOptions(new TreeSet<>(), true));

        assertThat(operations(plan)).containsExactly("DisconnectTrigger", "RemovePermission");
    }

    @Test
    void aMappingOfAnotherStack_isAConflict() {
        Trigger t = sqs("jobs");
        Triggers.State state = new Triggers.State(
                "jobs",
                "app",
                Optional.empty(),
                Trigger.Type.SQS,
                Optional.empty(),
                Optional.of(new Triggers.Link("uuid", new TreeMap<>())),
                true,
                Optional.of("other"));

        Plan plan = plan(stack(t), t, Optional.of(state));

        assertThat(plan.conflicts()).hasSize(1);
        assertThat(operations(plan)).isEmpty();
    }

    @Test
    void iamActionWildcards_matchInLinearTime() {
        assertThat(RolePermissions.matches("sqs:*", "sqs:ReceiveMessage")).isTrue();
        assertThat(RolePermissions.matches("*", "sqs:ReceiveMessage")).isTrue();
        assertThat(RolePermissions.matches("sqs:Get?ueueAttributes", "sqs:GetQueueAttributes"))
                .isTrue();
        assertThat(RolePermissions.matches("sqs:Send*", "sqs:ReceiveMessage")).isFalse();
        // A pattern that makes a backtracking matcher take exponential time.
        assertThat(RolePermissions.matches("*a".repeat(120) + "b", "a".repeat(40)))
                .isFalse();
    }

    @Test
    void ruleNames_fitEventBridgesLimit() {
        String name = TriggerKind.ruleName("f".repeat(64), "t".repeat(64));
        assertThat(name).hasSizeLessThanOrEqualTo(64);
        assertThat(TriggerKind.ruleName("f".repeat(64), "u".repeat(64))).isNotEqualTo(name);
        assertThat(TriggerKind.ruleName("app", "nightly")).isEqualTo("app.nightly");
    }

    @Test
    void apiPaths_becomeTheExecuteApiArnsWildcards() {
        assertThat(TriggerKind.apiPath("GET /items/{id}")).isEqualTo("GET/items/*");
        assertThat(TriggerKind.apiPath("ANY /{proxy+}")).isEqualTo("*/*");
    }
}
