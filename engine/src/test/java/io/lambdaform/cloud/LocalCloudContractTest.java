package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.HostileCorpus;
import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The provider contract on the embedded local cloud, plus what only the local cloud does. */
class LocalCloudContractTest extends CloudProviderContract {
    private TestTarget<LocalCloud> cloud;

    @BeforeEach
    void start() {
        cloud = TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
    }

    @Override
    protected TestTarget<?> target() {
        return cloud;
    }

    @Test
    void lock_heldByOneRun_makesASecondFailNamingTheHolder() {
        try (StackLock first = cloud.cloud().lock("locked-stack", Duration.ZERO)) {
            assertThatThrownBy(() -> cloud.cloud().lock("locked-stack", Duration.ofMillis(300)))
                    .isInstanceOf(LambdaformException.class)
                    .hasMessageContaining("locked by another run")
                    .hasMessageContaining("pid");
        }
        try (StackLock again = cloud.cloud().lock("locked-stack", Duration.ZERO)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void createFunction_withRoleThatDoesNotTrustLambda_isRefusedAsAwsRefusesIt() {
        RoleState ec2 = cloud.roles()
                .createRole(new NewRole(
                        "ec2-role",
                        "/",
                        "",
                        LAMBDA_TRUST.replace("lambda", "ec2"),
                        3600,
                        Optional.empty(),
                        new TreeMap<>()));

        assertThatThrownBy(() -> cloud.functions()
                        .createFunction(new NewFunction(
                                "f", ec2.arn(), settings(128, 3, Map.of()), echoPackage("pass"), new TreeMap<>())))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("cannot be assumed by Lambda");
        assertThat(cloud.functions().findFunction("f")).isEmpty();
    }

    @Test
    void invoke_withoutTheInterpreter_namesWhatToInstall() {
        TestTarget<LocalCloud> noPython = TestTarget.local(new LocalCloud(
                new LocalCloudConfig(work.resolve("state"), "eu-west-1", "/nonexistent/python3", "node")));
        RoleState role = createLambdaRole("r", "s1");
        createFunction("f", role, "s1");

        assertThatThrownBy(() -> noPython.functions().invoke("f", "{}"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("cannot run '/nonexistent/python3'")
                .hasMessageContaining("install Python 3");
    }

    @Test
    void invoke_packageWithAZipSlipEntry_isRefusedAndWritesNothingOutside() throws IOException {
        RoleState role = createLambdaRole("r", "s1");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../../escaped.py"));
            zip.write("print('pwned')\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        byte[] evil = bytes.toByteArray();
        cloud.functions()
                .createFunction(new NewFunction(
                        "f",
                        role.arn(),
                        settings(128, 3, Map.of()),
                        new DeploymentPackage(evil, CodePackager.codeSha256(evil), "unused", 0),
                        new TreeMap<>()));

        assertThatThrownBy(() -> cloud.functions().invoke("f", "{}"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("zip-slip");
        try (var files = Files.walk(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("escaped.py");
        }
    }

    @Test
    void invoke_packageWhoseHeadersUnderstateItsSize_stopsExtractingAtLambdasLimit() throws IOException {
        RoleState role = createLambdaRole("r", "s1");
        Path zip = work.resolve("lying.zip");
        HostileCorpus.writeLyingZip(zip, "app.py", DeploymentPackage.MAX_UNZIPPED_BYTES + 1024 * 1024, 100);
        byte[] lying = Files.readAllBytes(zip);
        cloud.functions()
                .createFunction(new NewFunction(
                        "f",
                        role.arn(),
                        settings(128, 3, Map.of()),
                        new DeploymentPackage(lying, CodePackager.codeSha256(lying), "unused", 100),
                        new TreeMap<>()));

        assertThatThrownBy(() -> cloud.functions().invoke("f", "{}"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("holds more than 250 MB unzipped");
        try (var files = Files.walk(work)) {
            long written = files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
            assertThat(written).isLessThan(DeploymentPackage.MAX_UNZIPPED_BYTES / 2);
        }
    }

    @Test
    void invoke_givesTheHandlerItsEnvironmentLambdasVariablesAndAContext() throws Exception {
        RoleState role = createLambdaRole("r", "s1");
        Path folder = TestFiles.write(
                        work,
                        "ctx/app.py",
                        String.join(
                                "\n",
                                "import os",
                                "def handler(event, context):",
                                "    return {",
                                "        'mode': os.environ['MODE'],",
                                "        'name': os.environ['AWS_LAMBDA_FUNCTION_NAME'],",
                                "        'memory': os.environ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'],",
                                "        'region': os.environ['AWS_REGION'],",
                                "        'handler': os.environ['_HANDLER'],",
                                "        'ctxName': context.function_name,",
                                "        'requestId': context.aws_request_id,",
                                "        'remaining': context.get_remaining_time_in_millis(),",
                                "        'hostOnly': os.environ.get('NO_COLOR'),",
                                "    }",
                                ""))
                .getParent();
        var code = new CodePackager().pack(new CodeSource(folder, CodeSource.Kind.FOLDER, List.of()));
        cloud.functions()
                .createFunction(new NewFunction(
                        "ctx", role.arn(), settings(256, 7, Map.of("MODE", "blue")), code, new TreeMap<>()));

        InvocationResult result = cloud.functions().invoke("ctx", "{}");

        var json = new ObjectMapper().readTree(result.payload());
        assertThat(result.functionError()).isEmpty();
        assertThat(json.path("mode").asText()).isEqualTo("blue");
        assertThat(json.path("name").asText()).isEqualTo("ctx");
        assertThat(json.path("ctxName").asText()).isEqualTo("ctx");
        assertThat(json.path("memory").asText()).isEqualTo("256");
        assertThat(json.path("region").asText()).isEqualTo("eu-west-1");
        assertThat(json.path("handler").asText()).isEqualTo("app.handler");
        assertThat(json.path("requestId").asText()).hasSize(36);
        assertThat(json.path("remaining").asLong()).isBetween(1L, 7000L);
        assertThat(System.getenv("NO_COLOR"))
                .as("surefire sets it for the test JVM")
                .isNotNull();
        assertThat(json.path("hostOnly").isNull())
                .as("the host environment does not leak into the function")
                .isTrue();
        assertThat(result.log())
                .as("a cold start: INIT_START first, then the invocation")
                .startsWith("INIT_START Runtime Version: ")
                .contains("\nSTART RequestId: " + json.path("requestId").asText());
    }

    @Test
    void state_survivesANewProcess_andIsWrittenAtomically() throws IOException {
        createLambdaRole("persisted", "s1");

        TestTarget<LocalCloud> reopened =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));

        assertThat(reopened.roles().findRole("persisted")).isPresent();
        try (var files = Files.list(work.resolve("state"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void corruptState_isAClearErrorAndIsLeftAsItIs() throws IOException {
        createLambdaRole("r", "s1");
        Files.writeString(work.resolve("state/state.json"), "{not json");

        assertThatThrownBy(() -> cloud.roles().findRole("r"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("cannot be read");
        assertThat(Files.readString(work.resolve("state/state.json"))).isEqualTo("{not json");
    }

    @Test
    void aDamagedRecord_isAClearErrorNamingTheFileAndTheRecord_andFieldsItDoesNotKnowAreKept() throws IOException {
        Path stateFile = work.resolve("state/state.json");
        Files.createDirectories(stateFile.getParent());
        Files.writeString(stateFile, "{\"version\": 1, \"note\": \"kept by hand\", \"roles\": {\"broken\": \"x\"}}");

        assertThatThrownBy(() -> cloud.roles().findRole("broken"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining(stateFile.toString())
                .hasMessageContaining("its role broken is damaged");
        createLambdaRole("another", "s1");

        JsonNode written = new ObjectMapper().readTree(stateFile.toFile());
        assertThat(written.path("version").asInt())
                .as("older versions refuse format 2")
                .isEqualTo(2);
        assertThat(written.path("note").asText()).isEqualTo("kept by hand");
        assertThat(written.path("roles").has("broken")).isTrue();
        assertThat(cloud.roles().findRole("another")).isPresent();
    }

    @Test
    void aChangeIsAppendedToTheJournal_andALineTornByAKilledProcessIsLeftOut() throws IOException {
        createLambdaRole("kept", "s1");
        Path journal = work.resolve("state/state.log");
        long snapshotSize = Files.size(work.resolve("state/state.json"));
        createLambdaRole("also-kept", "s1");
        assertThat(Files.size(work.resolve("state/state.json"))).isEqualTo(snapshotSize);
        assertThat(Files.readAllLines(journal)).hasSize(2);
        // Cut in the middle of a two-byte character, as a crash can leave it.
        byte[] torn = "{\"section\":\"roles\",\"name\":\"torn\",\"value\":{\"description\":\"caf\u00e9"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(journal, Arrays.copyOf(torn, torn.length - 1), StandardOpenOption.APPEND);

        TestTarget<LocalCloud> restarted =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        assertThat(restarted.roles().findRole("kept")).isPresent();
        assertThat(restarted.roles().findRole("torn")).isEmpty();
        restarted.roles().deleteRole("kept");

        TestTarget<LocalCloud> again =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        assertThat(again.roles().findRole("kept")).isEmpty();
        assertThat(again.roles().findRole("also-kept")).isPresent();
        assertThat(Files.readString(work.resolve("state/state.json"))).doesNotContain("torn");
    }

    @Test
    void aDamagedJournalLine_isAnErrorNamingStateLogAndTheLine_andBlankLinesAtItsEndAreNotDamage() throws IOException {
        createLambdaRole("kept", "s1");
        createLambdaRole("also-kept", "s1");
        Path journal = work.resolve("state/state.log");
        Files.writeString(journal, "\n\n  \n", StandardOpenOption.APPEND);

        TestTarget<LocalCloud> edited =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        assertThat(edited.roles().findRole("also-kept")).isPresent();
        edited.roles().deleteRole("kept");
        assertThat(TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")))
                        .roles()
                        .findRole("kept"))
                .isEmpty();

        Files.writeString(journal, "{\"section\":\"roles\",\"name\":\"x\",\n", StandardOpenOption.APPEND);
        long lines = Files.readAllLines(journal).size();
        TestTarget<LocalCloud> damaged =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        assertThatThrownBy(() -> damaged.roles().findRole("also-kept"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("line " + lines + " of " + journal + " is damaged");
    }

    @Test
    void aDamagedRecordFromTheJournal_isAnErrorNamingStateLogAndTheLine_notStateJson() throws IOException {
        createLambdaRole("kept", "s1");
        Path journal = work.resolve("state/state.log");
        Files.writeString(
                journal, "{\"section\":\"roles\",\"name\":\"broken\",\"value\":\"x\"}\n", StandardOpenOption.APPEND);
        long line = Files.readAllLines(journal).size();

        TestTarget<LocalCloud> restarted =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));

        assertThat(restarted.roles().findRole("kept")).isPresent();
        assertThatThrownBy(() -> restarted.roles().findRole("broken"))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("its role broken, set by line " + line + " of " + journal + ", is damaged")
                .hasMessageNotContaining("state.json cannot be read");
    }

    @Test
    void arns_areInTheAwsPartition_whateverTheLocalRegion() {
        TestTarget<LocalCloud> china =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("cn-state"), "cn-north-1")));

        RoleState role = china.roles()
                .createRole(new NewRole("r", "/", "", LAMBDA_TRUST, 3600, Optional.empty(), new TreeMap<>()));

        assertThat(role.arn()).isEqualTo("arn:aws:iam::000000000000:role/r");
        assertThat(china.cloud().describe().roleArn("/", "r")).isEqualTo(role.arn());
    }

    @Test
    void stateReadOnce_isReadAgainWhenAnotherProcessChangedIt() {
        createLambdaRole("first", "s1");
        TestTarget<LocalCloud> other =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(work.resolve("state"), "eu-west-1")));
        assertThat(cloud.roles().findRole("second")).isEmpty();

        other.roles().createRole(new NewRole("second", "/", "", LAMBDA_TRUST, 3600, Optional.empty(), new TreeMap<>()));
        other.roles().deleteRole("first");

        assertThat(cloud.roles().findRole("second")).isPresent();
        assertThat(cloud.roles().findRole("first")).isEmpty();
    }
}
