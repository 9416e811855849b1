package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.LambdaControlsFake;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.kinds.role.Roles;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The function controls Lambda keeps apart from the configuration (issue #22), through the ports, on the local cloud
 * and on moto: reserved concurrency, asynchronous invocation, recursion control and runtime management on a function,
 * provisioned concurrency on an alias, each read back by a find of a declared resource that sets it (on AWS, only by
 * such a find: each costs a call of its own). On moto the
 * APIs it lacks (recursion, runtime management, provisioned concurrency) meet {@link LambdaControlsFake}.
 */
class FunctionControlsContractTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String RUNTIME_VERSION =
            "arn:aws:lambda:eu-west-1::runtime:0cdcfbdefbc5e7d3343f73c2e2dd3cba17d61dea0686b404502a0c9ce83931b9";

    @TempDir
    Path work;

    private final List<String> progress = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private TestTarget<?> target(String name) {
        if (name.equals(ContractTargets.MOTO)) {
            LambdaControlsFake fake = LambdaControlsFake.inFrontOf(MotoServer.freshEndpoint());
            closing.add(fake);
            return ContractTargets.aws(fake.endpoint(), "eu-west-1", progress::add);
        }
        return ContractTargets.empty(name, work, "eu-west-1", progress::add);
    }

    private FunctionState function(TestTarget<?> target, String name) {
        RoleState role = target.ports()
                .get(Roles.class)
                .createRole(new NewRole(name + "-role", "/", "controls", TRUST, 3600, Optional.empty(), owned()));
        Path folder = work.resolve("code-" + name);
        TestFiles.write(folder, "app.py", "def handler(event, context):\n    return event\n");
        DeploymentPackage code = new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
        return target.ports()
                .get(Functions.class)
                .createFunction(new NewFunction(
                        name, role.arn(), FunctionSettings.of("python3.12", "app.handler"), code, owned()));
    }

    private static TreeMap<String, String> owned() {
        return new TreeMap<>(Map.of(Stack.OWNER_TAG, "s1"));
    }

    /** The function as the manifests would declare it with these settings: what a plan's find is asked with. */
    private static Function declared(FunctionState live, FunctionSettings settings) {
        return new Function(
                live.name(),
                new CodeSource(Path.of("/nowhere"), CodeSource.Kind.FOLDER, List.of()),
                new RoleRef.External(live.roleArn()),
                settings,
                new TreeSet<>(),
                new TreeMap<>(),
                Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void reservedConcurrencyAndAsyncInvoke_arePut_andReadBackWhereDeclared(String name) {
        TestTarget<?> target = target(name);
        Functions functions = target.ports().get(Functions.class);
        FunctionState live = function(target, "controls-fn");
        FunctionSettings.AsyncInvokeConfig async = new FunctionSettings.AsyncInvokeConfig(
                Optional.of(1),
                Optional.of(600),
                Optional.empty(),
                Optional.of("arn:aws:sqs:eu-west-1:" + target.cloud().describe().accountId() + ":failed"));

        functions.putConcurrency("controls-fn", 7);
        functions.putEventInvokeConfig("controls-fn", async);
        FunctionSettings wanted =
                live.settings().withReservedConcurrency(Optional.of(7)).withAsyncInvoke(Optional.of(async));

        FunctionState read = functions.find(declared(live, wanted)).orElseThrow();
        assertThat(read.settings().reservedConcurrency()).contains(7);
        assertThat(read.settings().asyncInvoke()).contains(async);
        if (name.equals(ContractTargets.MOTO)) {
            // On AWS each costs a call of its own: read only for a function that declares it. (The local
            // cloud's reads cost nothing, and it returns what it keeps.)
            assertThat(functions
                            .find(declared(live, live.settings()))
                            .orElseThrow()
                            .settings()
                            .asyncInvoke())
                    .as("not declared, not read")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void recursionAndRuntimeManagement_arePut_andReadBackWhereDeclared(String name) {
        TestTarget<?> target = target(name);
        Functions functions = target.ports().get(Functions.class);
        FunctionState live = function(target, "runtime-fn");
        FunctionSettings.RuntimeManagement manual =
                new FunctionSettings.RuntimeManagement("Manual", Optional.of(RUNTIME_VERSION));

        functions.putRecursionConfig("runtime-fn", "Allow");
        functions.putRuntimeManagementConfig("runtime-fn", manual);
        FunctionSettings wanted =
                live.settings().withRecursiveLoop(Optional.of("Allow")).withRuntimeManagement(Optional.of(manual));

        FunctionState read = functions.find(declared(live, wanted)).orElseThrow();
        assertThat(read.settings().recursiveLoop()).contains("Allow");
        assertThat(read.settings().runtimeManagement()).contains(manual);
        if (name.equals(ContractTargets.MOTO)) {
            FunctionState undeclared =
                    functions.find(declared(live, live.settings())).orElseThrow();
            assertThat(undeclared.settings().recursiveLoop()).isEmpty();
            assertThat(undeclared.settings().runtimeManagement()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void provisionedConcurrency_isReadyWhenPut_readBackWhereDeclared_andDeletedTwice(String name) {
        TestTarget<?> target = target(name);
        Functions functions = target.ports().get(Functions.class);
        Aliases aliases = target.ports().get(Aliases.class);
        FunctionState live = function(target, "warm-fn");
        String version = functions.publishVersion("warm-fn", live.codeSha256(), "v1");
        aliases.createAlias(
                "warm-fn", "live", version, new TreeMap<>(), Aliases.State.description("s1", Optional.empty()));
        Alias declared = new Alias("warm-fn", "live", Optional.empty(), false, Optional.empty(), Optional.of(3));

        aliases.putProvisionedConcurrency("warm-fn", "live", 3);

        Aliases.Provisioned provisioned =
                aliases.find(declared).orElseThrow().provisioned().orElseThrow();
        assertThat(provisioned.requested()).isEqualTo(3);
        assertThat(provisioned.status()).isEqualTo(Aliases.Provisioned.READY);
        if (name.equals(ContractTargets.MOTO)) {
            assertThat(aliases.find(new Alias("warm-fn", "live", Optional.empty(), false, Optional.empty()))
                            .orElseThrow()
                            .provisioned())
                    .as("not declared, not read")
                    .isEmpty();
        }

        aliases.deleteProvisionedConcurrency("warm-fn", "live");
        aliases.deleteProvisionedConcurrency("warm-fn", "live");
        assertThat(aliases.find(declared).orElseThrow().provisioned()).isEmpty();
    }
}
