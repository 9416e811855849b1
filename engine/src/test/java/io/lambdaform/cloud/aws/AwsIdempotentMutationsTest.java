package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.StackLock;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates that meet an existing resource, through {@link FaultProxy} on moto: their own lost response is carried on
 * with, anything else fails at once as a conflict, with the production waits (10 minutes) in force.
 */
class AwsIdempotentMutationsTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    Path dir;

    private URI moto;
    private FaultProxy proxy;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        moto = MotoServer.freshEndpoint();
        proxy = FaultProxy.to(moto).start();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    /** Through the proxy, with the production waits: a conflict loop would run for 10 minutes. */
    private TestTarget<AwsCloud> cloud() {
        return cloud(Optional.empty());
    }

    private TestTarget<AwsCloud> cloud(Optional<String> lockTable) {
        return AwsTestSupport.cloud(proxy.endpoint(), lockTable, AwsConfig.Timings.DEFAULT, progress::add);
    }

    private static NewRole role(String name, Map<String, String> tags) {
        return new NewRole(name, "/", "", TRUST, 3600, Optional.empty(), new TreeMap<>(tags));
    }

    private NewFunction function(String name, String roleArn, Map<String, String> tags) {
        Path folder = TestFiles.write(dir, name + "/app.py", "def handler(e, c):\n    return 1\n")
                .getParent();
        DeploymentPackage code = new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
        return new NewFunction(
                name, roleArn, FunctionSettings.of("python3.12", "app.handler"), code, new TreeMap<>(tags));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void createFunction_meetingAFunctionThatIsNotOurs_failsAtOnceAsAConflict() {
        TestTarget<AwsCloud> cloud = cloud();
        RoleState role = cloud.roles().createRole(role("r", Map.of()));
        cloud.functions().createFunction(function("f", role.arn(), Map.of("owner", "another-team")));
        cloud.cloud().calls().reset();

        assertThatThrownBy(() ->
                        cloud.functions().createFunction(function("f", role.arn(), Map.of(Stack.OWNER_TAG, "s1"))))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("Lambda CreateFunction f: conflict: function f already exists")
                .hasMessageContaining("has no lambdaform:stack tag")
                .hasMessageContaining("--adopt f");
        assertThat(cloud.cloud().calls().snapshot()).containsEntry("Lambda.CreateFunction", 1);
        assertThat(progress).noneMatch(m -> m.contains("in progress"));
        assertThat(cloud.functions().findFunction("f").orElseThrow().tags()).doesNotContainKey(Stack.OWNER_TAG);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void createFunction_whoseLostResponseMeetsAFunctionOfAnotherStack_failsAtOnce() {
        TestTarget<AwsCloud> cloud = cloud();
        RoleState role = cloud.roles().createRole(role("r", Map.of()));
        AwsTestSupport.cloud(moto)
                .functions()
                .createFunction(function("f", role.arn(), Map.of(Stack.OWNER_TAG, "other")));
        proxy.script("lambda:CreateFunction", FaultProxy.Fault.ERROR_503);

        assertThatThrownBy(() ->
                        cloud.functions().createFunction(function("f", role.arn(), Map.of(Stack.OWNER_TAG, "s1"))))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("conflict: function f already exists and belongs to stack 'other'");
        assertThat(proxy.requests("lambda:CreateFunction")).isEqualTo(2);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void createFunction_meetingOurOwnFunctionOnTheFirstAttempt_isAConflictWithAnotherRun() {
        TestTarget<AwsCloud> cloud = cloud();
        RoleState role = cloud.roles().createRole(role("r", Map.of()));
        NewFunction f = function("f", role.arn(), Map.of(Stack.OWNER_TAG, "s1"));
        cloud.functions().createFunction(f);

        assertThatThrownBy(() -> cloud.functions().createFunction(f))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("already exists (with this stack's tag) although the plan found none")
                .hasMessageContaining("--lock-table");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void createFunction_whoseLostResponseMeetsOursButDifferent_failsAtOnce() {
        TestTarget<AwsCloud> cloud = cloud();
        RoleState role = cloud.roles().createRole(role("r", Map.of()));
        AwsTestSupport.cloud(moto).functions().createFunction(function("f", role.arn(), Map.of(Stack.OWNER_TAG, "s1")));
        proxy.script("lambda:CreateFunction", FaultProxy.Fault.DROP);
        Path other = TestFiles.write(dir, "v2/app.py", "def handler(e, c):\n    return 2\n")
                .getParent();
        NewFunction f = function("f", role.arn(), Map.of(Stack.OWNER_TAG, "s1"));
        NewFunction changed = new NewFunction(
                "f",
                f.roleArn(),
                f.settings(),
                new CodePackager().pack(new CodeSource(other, CodeSource.Kind.FOLDER, List.of())),
                f.tags());

        assertThatThrownBy(() -> cloud.functions().createFunction(changed))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("already exists with this stack's tag but a different code than planned");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void createRole_withALostResponse_returnsTheRoleItMade() {
        TestTarget<AwsCloud> cloud = cloud();
        proxy.script("iam:CreateRole", FaultProxy.Fault.LOST_RESPONSE);

        RoleState created = cloud.roles().createRole(role("r", Map.of(Stack.OWNER_TAG, "s1")));

        assertThat(created.tags()).containsEntry(Stack.OWNER_TAG, "s1");
        assertThat(proxy.requests("iam:CreateRole")).isEqualTo(2);
        assertThat(progress)
                .anyMatch(m -> m.startsWith("IAM CreateRole r: no response"))
                .anyMatch(m -> m.startsWith("IAM CreateRole r: it already exists, with this stack's tag"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void createRole_meetingARoleThatIsNotOurs_failsAtOnceAsAConflict() {
        AwsTestSupport.cloud(moto).roles().createRole(role("r", Map.of()));
        TestTarget<AwsCloud> cloud = cloud();
        proxy.script("iam:CreateRole", FaultProxy.Fault.LOST_RESPONSE);

        assertThatThrownBy(() -> cloud.roles().createRole(role("r", Map.of(Stack.OWNER_TAG, "s1"))))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("IAM CreateRole r: conflict: role r already exists and has no lambdaform:stack");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void lock_whosePutItemResponseIsLost_isHeld_andReleased() {
        String table = "locks";
        try (DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(moto)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build()) {
            dynamo.createTable(r -> r.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("LockID").keyType("HASH")));
        }
        TestTarget<AwsCloud> cloud = cloud(Optional.of(table));
        proxy.script("dynamodb:PutItem", FaultProxy.Fault.LOST_RESPONSE);

        try (StackLock lock = cloud.cloud().lock("s1", Duration.ZERO)) {
            assertThat(proxy.requests("dynamodb:PutItem")).isEqualTo(2);
        }
        try (StackLock again = cloud.cloud().lock("s1", Duration.ZERO)) {
            assertThat(again).isNotNull();
        }
    }
}
