package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.kinds.role.Roles;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour the engine relies on from every target. Each backend (the local cloud, moto, LocalStack, a sandbox
 * account) runs it by extending this class.
 */
public abstract class CloudProviderContract {
    protected static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    protected static final String BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

    @TempDir
    protected Path work;

    /** The backend under test, empty at the start of each test. */
    protected abstract TestTarget<?> target();

    protected CloudProvider cloud() {
        return target().cloud();
    }

    protected Roles roles() {
        return target().roles();
    }

    protected Functions functions() {
        return target().functions();
    }

    protected static TreeMap<String, String> ownerTags(String stack) {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, stack, "team", "core"));
    }

    protected RoleState createLambdaRole(String name, String stack) {
        return roles().createRole(
                        new NewRole(name, "/", "test role", LAMBDA_TRUST, 3600, Optional.empty(), ownerTags(stack)));
    }

    protected DeploymentPackage echoPackage(String body) {
        Path folder = work.resolve("code-" + Math.abs(body.hashCode()));
        TestFiles.write(folder, "app.py", "def handler(event, context):\n    " + body + "\n    return event\n");
        return new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
    }

    protected static FunctionSettings settings(int memory, int timeout, Map<String, String> environment) {
        return FunctionSettings.of("python3.12", "app.handler")
                .withDescription("contract test")
                .withMemorySize(memory)
                .withTimeout(timeout)
                .withEnvironment(environment);
    }

    protected FunctionState createFunction(String name, RoleState role, String stack) {
        return functions()
                .createFunction(new NewFunction(
                        name,
                        role.arn(),
                        settings(128, 3, Map.of("MODE", "a")),
                        echoPackage("pass"),
                        ownerTags(stack)));
    }

    /** Every name a contract test may create, so that runs against a long-lived account clean up after themselves. */
    private static final List<String> FUNCTIONS = List.of(
            "contract-fn",
            "dup-fn",
            "code-fn",
            "config-fn",
            "tag-fn",
            "mine-fn",
            "theirs-fn",
            "del-fn",
            "echo-fn",
            "rel-fn",
            "f");

    private static final List<String> ROLES = List.of(
            "contract-role",
            "policy-role",
            "update-role",
            "busy-role",
            "fn-role",
            "dup-role",
            "code-role",
            "config-role",
            "tag-role",
            "mine-role",
            "theirs-role",
            "del-role",
            "echo-role",
            "rel-role",
            "ec2-role",
            "r");

    /** Deletes whatever a contract test may have created; for targets that outlive the test run. */
    protected void deleteTestResources() {
        for (String name : FUNCTIONS) {
            if (functions().findFunction(name).isPresent()) {
                functions().deleteFunction(name);
            }
        }
        for (String name : ROLES) {
            roles().findRole(name).ifPresent(role -> {
                role.managedPolicyArns().forEach(arn -> roles().detachRolePolicy(name, arn));
                role.inlinePolicies().keySet().forEach(policy -> roles().deleteRolePolicy(name, policy));
                roles().deleteRole(name);
            });
        }
    }

    @Test
    void findRole_whenAbsent_isEmpty() {
        assertThat(roles().findRole("no-such-role")).isEmpty();
        assertThat(functions().findFunction("no-such-function")).isEmpty();
    }

    @Test
    void createRole_thenFindRole_returnsTrustPolicyAndTags() {
        RoleState created = createLambdaRole("contract-role", "s1");

        RoleState read = roles().findRole("contract-role").orElseThrow();

        assertThat(read.arn())
                .isEqualTo(created.arn())
                .isEqualTo(cloud().describe().roleArn("/", "contract-role"));
        assertThat(PolicyDocuments.equivalent(read.assumeRolePolicy(), LAMBDA_TRUST))
                .isTrue();
        assertThat(read.tags()).containsEntry(Stack.OWNER_TAG, "s1").containsEntry("team", "core");
        assertThat(read.maxSessionDuration()).isEqualTo(3600);
        assertThat(read.description()).isEqualTo("test role");
    }

    @Test
    void rolePolicies_attachDetachPutDelete_areReadBack() {
        createLambdaRole("policy-role", "s1");
        String inline = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"*\"}]}";

        roles().attachRolePolicy("policy-role", BASIC_EXECUTION);
        roles().putRolePolicy("policy-role", "read", inline);
        RoleState withPolicies = roles().findRole("policy-role").orElseThrow();
        roles().detachRolePolicy("policy-role", BASIC_EXECUTION);
        roles().deleteRolePolicy("policy-role", "read");
        RoleState without = roles().findRole("policy-role").orElseThrow();

        assertThat(withPolicies.managedPolicyArns()).containsExactly(BASIC_EXECUTION);
        assertThat(withPolicies.inlinePolicies()).containsOnlyKeys("read");
        assertThat(PolicyDocuments.equivalent(withPolicies.inlinePolicies().get("read"), inline))
                .isTrue();
        assertThat(without.managedPolicyArns()).isEmpty();
        assertThat(without.inlinePolicies()).isEmpty();
    }

    @Test
    void updateRole_andTags_areReadBack() {
        createLambdaRole("update-role", "s1");

        roles().updateRole("update-role", "new description", 7200);
        roles().tagRole("update-role", Map.of("env", "dev"));
        roles().untagRole("update-role", List.of("team"));

        RoleState read = roles().findRole("update-role").orElseThrow();
        assertThat(read.description()).isEqualTo("new description");
        assertThat(read.maxSessionDuration()).isEqualTo(7200);
        assertThat(read.tags()).containsEntry("env", "dev").doesNotContainKey("team");
    }

    @Test
    void deleteRole_withAttachedPolicy_isRefused_andAfterDetachSucceeds() {
        createLambdaRole("busy-role", "s1");
        roles().attachRolePolicy("busy-role", BASIC_EXECUTION);

        assertThatThrownBy(() -> roles().deleteRole("busy-role")).isInstanceOf(LambdaformException.class);

        roles().detachRolePolicy("busy-role", BASIC_EXECUTION);
        roles().deleteRole("busy-role");
        assertThat(roles().findRole("busy-role")).isEmpty();
    }

    @Test
    void createFunction_isActive_withTheUploadedCodeSha256AndTags() {
        RoleState role = createLambdaRole("fn-role", "s1");
        DeploymentPackage code = echoPackage("pass");

        functions()
                .createFunction(new NewFunction(
                        "contract-fn", role.arn(), settings(256, 10, Map.of("MODE", "a")), code, ownerTags("s1")));
        FunctionState read = functions().findFunction("contract-fn").orElseThrow();

        assertThat(read.codeSha256()).isEqualTo(code.codeSha256());
        assertThat(read.state()).isEqualTo("Active");
        assertThat(read.roleArn()).isEqualTo(role.arn());
        assertThat(read.settings().memorySize()).isEqualTo(256);
        assertThat(read.settings().timeout()).isEqualTo(10);
        assertThat(read.settings().environment()).containsEntry("MODE", "a");
        assertThat(read.settings().handler()).isEqualTo("app.handler");
        assertThat(read.tags()).containsEntry(Stack.OWNER_TAG, "s1");
    }

    @Test
    void createFunction_twice_isRefused() {
        RoleState role = createLambdaRole("dup-role", "s1");
        createFunction("dup-fn", role, "s1");

        assertThatThrownBy(() -> createFunction("dup-fn", role, "s1")).isInstanceOf(LambdaformException.class);
    }

    @Test
    void updateFunctionCode_changesCodeSha256() {
        RoleState role = createLambdaRole("code-role", "s1");
        createFunction("code-fn", role, "s1");
        DeploymentPackage next = echoPackage("print('v2')");

        functions().updateFunctionCode("code-fn", next, List.of("x86_64"));

        assertThat(functions().findFunction("code-fn").orElseThrow().codeSha256())
                .isEqualTo(next.codeSha256());
    }

    @Test
    void updateFunctionConfiguration_isReadBack() {
        RoleState role = createLambdaRole("config-role", "s1");
        createFunction("config-fn", role, "s1");

        functions().updateFunctionConfiguration("config-fn", role.arn(), settings(512, 30, Map.of("MODE", "b")));

        FunctionState read = functions().findFunction("config-fn").orElseThrow();
        assertThat(read.settings().memorySize()).isEqualTo(512);
        assertThat(read.settings().timeout()).isEqualTo(30);
        assertThat(read.settings().environment()).containsExactly(Map.entry("MODE", "b"));
        assertThat(read.lastUpdateStatus()).isEqualTo("Successful");
    }

    @Test
    void tagAndUntagFunction_areReadBack() {
        RoleState role = createLambdaRole("tag-role", "s1");
        createFunction("tag-fn", role, "s1");

        functions().tagFunction("tag-fn", Map.of("env", "dev"));
        functions().untagFunction("tag-fn", List.of("team"));

        assertThat(functions().findFunction("tag-fn").orElseThrow().tags())
                .containsEntry("env", "dev")
                .containsEntry(Stack.OWNER_TAG, "s1")
                .doesNotContainKey("team");
    }

    @Test
    void inventory_listsOnlyTheStacksOwnResources() {
        RoleState mine = createLambdaRole("mine-role", "mine");
        createLambdaRole("theirs-role", "theirs");
        createFunction("mine-fn", mine, "mine");
        createFunction("theirs-fn", mine, "theirs");

        assertThat(roles().inventory("mine", Set.of())).containsExactly("mine-role");
        assertThat(functions().inventory("mine", Set.of())).containsExactly("mine-fn");
    }

    @Test
    void deleteFunction_removesIt() {
        RoleState role = createLambdaRole("del-role", "s1");
        createFunction("del-fn", role, "s1");

        functions().deleteFunction("del-fn");

        assertThat(functions().findFunction("del-fn")).isEmpty();
        assertThat(functions().inventory("s1", Set.of())).isEmpty();
    }

    @Test
    void invoke_echoHandler_returnsTheEventWithoutFunctionError() throws Exception {
        RoleState role = createLambdaRole("echo-role", "s1");
        createFunction("echo-fn", role, "s1");

        InvocationResult result = functions().invoke("echo-fn", "{\"firstname\":\"Ada\"}");

        assertThat(result.functionError()).isEmpty();
        assertThat(new ObjectMapper()
                        .readTree(result.payload())
                        .path("firstname")
                        .asText())
                .isEqualTo("Ada");
    }

    @Test
    void versionsAndAliases_publishOnlyWhatChanged_routeByAlias_andKeepWhatAnAliasUses() {
        RoleState role = createLambdaRole("rel-role", "s1");
        TreeMap<String, String> tags = ownerTags("s1");
        tags.put(FunctionKind.PUBLISH_TAG, "true");
        FunctionState created = functions()
                .createFunction(new NewFunction(
                        "rel-fn", role.arn(), settings(128, 3, Map.of("MODE", "a")), echoPackage("pass"), tags));
        Aliases aliases = target().ports().get(Aliases.class);

        String first =
                functions().publishVersion("rel-fn", created.codeSha256(), FunctionVersion.description("c3JjLTE="));
        assertThat(functions().publishVersion("rel-fn", created.codeSha256(), FunctionVersion.description("c3JjLTE=")))
                .as("nothing changed since version " + first)
                .isEqualTo(first);
        functions().updateFunctionConfiguration("rel-fn", role.arn(), settings(128, 7, Map.of("MODE", "a")));
        String second =
                functions().publishVersion("rel-fn", created.codeSha256(), FunctionVersion.description("c3JjLTE="));
        assertThat(second).isNotEqualTo(first);

        aliases.createAlias(
                "rel-fn", "live", first, new TreeMap<>(), Aliases.State.description("s1", Optional.empty()));
        Aliases.State live = aliases.find("rel-fn:live").orElseThrow();
        assertThat(live.version()).isEqualTo(first);
        assertThat(live.tags()).containsEntry(Stack.OWNER_TAG, "s1");
        assertThat(aliases.inventory("s1", Set.of())).containsExactly("rel-fn:live");
        assertThat(aliases.inventory("s2", Set.of())).isEmpty();

        List<FunctionVersion> versions =
                functions().findFunction("rel-fn").orElseThrow().versions().orElseThrow();
        assertThat(versions).extracting(FunctionVersion::version).containsExactly(first, second);
        assertThat(versions.get(0).aliases()).containsExactly("live");
        assertThat(versions.get(0).sourceSha256()).isEqualTo("c3JjLTE=");
        assertThat(versions.get(1).settings().timeout()).isEqualTo(7);

        functions().deleteVersion("rel-fn", first);
        assertThat(functions().findFunction("rel-fn").orElseThrow().versions().orElseThrow())
                .as("a version an alias routes to is kept")
                .extracting(FunctionVersion::version)
                .contains(first);

        aliases.updateAlias(
                "rel-fn", "live", second, new TreeMap<>(), Aliases.State.description("s1", Optional.of(first)));
        assertThat(aliases.find("rel-fn:live").orElseThrow().previous()).contains(first);
        List<FunctionVersion> moved =
                functions().findFunction("rel-fn").orElseThrow().versions().orElseThrow();
        assertThat(moved.get(0).previousOf())
                .as("the version the alias rolls back to")
                .containsExactly("live");
        assertThat(moved.get(1).aliases()).containsExactly("live");

        aliases.untag("rel-fn:live", List.of(Stack.OWNER_TAG));
        Aliases.State released = aliases.find("rel-fn:live").orElseThrow();
        assertThat(released.tags()).as("released: no stack owns it").isEmpty();
        assertThat(released.previous()).as("released, it still rolls back").contains(first);
        assertThat(aliases.inventory("s1", Set.of())).isEmpty();
        aliases.tag("rel-fn:live", Map.of(Stack.OWNER_TAG, "s1"));
        assertThat(aliases.find("rel-fn:live").orElseThrow().description())
                .isEqualTo(Aliases.State.description("s1", Optional.of(first)));
        aliases.deleteAlias("rel-fn", "live");
        aliases.deleteAlias("rel-fn", "live");
        assertThat(aliases.find("rel-fn:live")).isEmpty();
        functions().deleteVersion("rel-fn", first);
        functions().deleteVersion("rel-fn", first);
        assertThat(functions().findFunction("rel-fn").orElseThrow().versions().orElseThrow())
                .extracting(FunctionVersion::version)
                .containsExactly(second);
    }

    @Test
    void invoke_ofAVersionOrAliasTheFunctionDoesNotHave_isAnError_whateverTheTargetAnswers() {
        RoleState role = createLambdaRole("rel-role", "s1");
        createFunction("rel-fn", role, "s1");

        assertThatThrownBy(() -> functions().invoke(new Invocation("rel-fn", "{}", Optional.of("nosuch"), false)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("function rel-fn has no version or alias 'nosuch'");
    }
}
