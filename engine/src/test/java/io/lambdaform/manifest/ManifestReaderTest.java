package io.lambdaform.manifest;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.bucket.Bucket;
import io.lambdaform.kinds.bucket.BucketKind;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Payload;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    private final ManifestReader reader = new ManifestReader(new YamlReader(), new SchemaValidator());

    @TempDir
    Path dir;

    private ManifestSet read() {
        return reader.read(List.of(dir), dir);
    }

    private List<String> messages() {
        return read().diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void read_validSet_buildsTheModel() {
        TestFiles.helloSet(dir);

        ManifestSet set = read();

        assertThat(set.diagnostics()).isEmpty();
        Stack stack = set.stack().orElseThrow();
        assertThat(stack.name()).isEqualTo("app");
        assertThat(stack.region()).contains("eu-west-1");
        Role role = stack.resources(RoleKind.KIND).get(0);
        assertThat(role.managedPolicyArns())
                .containsExactly("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(role.assumeRolePolicy()).contains("lambda.amazonaws.com");
        Function function = stack.resources(FunctionKind.KIND).get(0);
        assertThat(function.role()).isEqualTo(new RoleRef.StackRole("app-role"));
        assertThat(function.code().orElseThrow().kind()).isEqualTo(CodeSource.Kind.FOLDER);
        assertThat(function.settings().timeout()).isEqualTo(5);
        assertThat(function.settings().memorySize()).isEqualTo(128);
        assertThat(function.settings().environment())
                .containsEntry("TOKEN", "hunter2")
                .containsEntry("MODE", "test");
        assertThat(function.secretEnvironmentKeys()).containsExactly("TOKEN");
        Payload payload = stack.payloads().get(0);
        assertThat(payload.event()).isEqualTo("{\"name\":\"Ada\"}");
        assertThat(payload.expect().result()).contains("{\"hello\":\"Ada\"}");
        assertThat(payload.expect().logContains()).contains("saying hello");
    }

    @Test
    void read_tenMistakes_reportsTenDiagnosticsWithPositionsInOneRun() {
        write(dir, "app.yaml", """
                kind: Stack
                name: bad
                ---
                kind: Function
                name: broken
                spec:
                  runtime: python3.99
                  handler: nodots
                  code: missing.py
                  role: helo-ex
                  memorySize: 64
                  timeout: 901
                  memsize: 12
                  environment:
                    AWS_REGION: x
                ---
                kind: Payload
                name: p
                spec:
                  function: brokn
                ---
                kind: Role
                name: hello-ex
                spec:
                  maxSessionDuration: "3600"
                """);

        List<Diagnostic> diagnostics = read().diagnostics();

        assertThat(diagnostics).hasSize(10);
        assertThat(diagnostics).allSatisfy(d -> assertThat(d.position()).isPresent());
        assertThat(diagnostics.stream().map(d -> d.position().get().toString()))
                .containsExactly(
                        "app.yaml:7:12",
                        "app.yaml:8:12",
                        "app.yaml:9:9",
                        "app.yaml:10:9",
                        "app.yaml:11:15",
                        "app.yaml:12:12",
                        "app.yaml:13:3",
                        "app.yaml:15:5",
                        "app.yaml:20:13",
                        "app.yaml:25:23")
                .allSatisfy(p -> assertThat(p).startsWith("app.yaml:"));
        assertThat(diagnostics.stream().map(Diagnostic::message).toList())
                .satisfiesExactly(
                        m -> assertThat(m).contains("python3.99").contains("did you mean 'python3.9'"),
                        m -> assertThat(m).contains("handler 'nodots'").contains("module.function"),
                        m -> assertThat(m).contains("code path 'missing.py' does not exist"),
                        m -> assertThat(m).contains("role 'helo-ex'").contains("did you mean 'hello-ex'"),
                        m -> assertThat(m).contains("below the minimum of 128"),
                        m -> assertThat(m).contains("above the maximum of 900"),
                        m -> assertThat(m).contains("unknown field 'memsize'").contains("did you mean 'memorySize'"),
                        m -> assertThat(m).contains("'AWS_REGION' is reserved"),
                        m -> assertThat(m).contains("function 'brokn'").contains("did you mean 'broken'"),
                        m -> assertThat(m).contains("must be an integer, found a string"));
    }

    @Test
    void format_showsTheOffendingLineWithACaret() {
        write(dir, "a.yaml", "kind: Stack\nname: a\nspec:\n  regoin: us-east-1\n");

        assertThat(messages())
                .containsExactly(
                        "a.yaml:4:3: unknown field 'regoin' in Stack spec; did you mean"
                                + " 'region'? (allowed: allowedAccounts, allowedEnvironmentVariables, codeBucket, region, release, tags, variables)\n      regoin: us-east-1\n      ^");
    }

    @Test
    void read_duplicateNamesAndTwoStacks_areErrorsNamingTheFirstDeclaration() {
        TestFiles.helloSet(dir);
        write(dir, "zz-more.yaml", "kind: Stack\nname: other\n---\nkind: Role\nname: app-role\n");

        assertThat(messages())
                .anySatisfy(m -> assertThat(m)
                        .startsWith("zz-more.yaml:1:7: more than one Stack")
                        .contains("stack.yaml:1:7"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("zz-more.yaml:5:7: duplicate Role name 'app-role'")
                        .contains("role.yaml:2:7"));
    }

    @Test
    void read_release_buildsTheResourcesTheStackLetsGoOf() {
        TestFiles.helloSet(dir);
        write(dir, "stack.yaml", """
                kind: Stack
                name: app
                spec:
                  release:
                    - {kind: Role, name: old-ex}
                    - {kind: Function, name: old}
                """);

        ManifestSet set = read();

        assertThat(set.diagnostics()).isEmpty();
        assertThat(set.stack().orElseThrow().released())
                .containsExactly(new ResourceKey(RoleKind.KIND, "old-ex"), new ResourceKey(FunctionKind.KIND, "old"));
    }

    @Test
    void read_codeBucket_isTheStacksOwnBucket_andCannotBeDeclaredAsABucketToo() {
        TestFiles.helloSet(dir);
        write(dir, "stack.yaml", """
                kind: Stack
                name: app
                spec:
                  codeBucket: app-code-123
                """);

        ManifestSet set = read();

        assertThat(set.diagnostics()).isEmpty();
        Stack stack = set.stack().orElseThrow();
        assertThat(stack.codeBucket()).contains("app-code-123");
        assertThat(stack.resources(BucketKind.KIND)).containsExactly(new Bucket("app-code-123", new TreeMap<>(), true));

        write(dir, "bucket.yaml", "kind: Bucket\nname: app-code-123\n");
        assertThat(messages())
                .singleElement()
                .asString()
                .startsWith("stack.yaml:4:15: bucket 'app-code-123' is declared as a Bucket too");
    }

    @Test
    void read_releaseOfAnUnknownKind_orOfADeclaredResource_orOfAnUnboundedName_isAnError() {
        TestFiles.helloSet(dir);
        write(dir, "stack.yaml", """
                kind: Stack
                name: app
                spec:
                  release:
                    - {kind: Roles, name: old-ex}
                    - {kind: Role, name: app-role}
                    - {kind: Function, name: "a b"}
                """);

        assertThat(messages())
                .anySatisfy(m -> assertThat(m)
                        .startsWith("stack.yaml:5:14: spec.release names kind 'Roles', which is not a kind of resource;"
                                + " expected one of "
                                + String.join(
                                        ", ",
                                        Kinds.ALL.stream()
                                                .map(ResourceKind::manifestName)
                                                .toList())
                                + "; did you mean 'Role'?"))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("stack.yaml:6:26: Role 'app-role' is released by spec.release but declared at"
                                + " role.yaml:2:7: a stack cannot both manage and release a resource."))
                .anySatisfy(m -> assertThat(m).startsWith("stack.yaml:7:30:").contains("pattern"));
    }

    @Test
    void read_missingStack_saysHowToDeclareOne() {
        write(dir, "r.yaml", "kind: Role\nname: r\n");

        assertThat(messages())
                .singleElement()
                .asString()
                .contains("no Stack document")
                .contains("kind: Stack");
    }

    @Test
    void read_environmentOver4KB_isAnError() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: src\n  role: app-role\n  environment:\n    BIG: " + "x".repeat(4100) + "\n");

        assertThat(messages())
                .singleElement()
                .asString()
                .startsWith("function.yaml:8:3:")
                .contains("4 KB");
    }

    @Test
    void read_environmentOver4KB_withASecret_doesNotTellTheSizeOfTheSecret() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: src\n  role: app-role\n  environment:\n    BIG: " + "x".repeat(3000) + "\n"
                        + "    KEY: {value: " + "s".repeat(1234) + ", secret: true}\n");

        assertThat(messages())
                .singleElement()
                .asString()
                .startsWith("function.yaml:8:3:")
                .contains("environment variables take more than 4 KB in total (the exact size is not shown")
                .contains("Lambda allows at most 4 KB (4096 bytes of keys and values)")
                .doesNotContain("4240", "1234", "1237");
    }

    @Test
    void read_environmentOver4KB_withAValueFromTheProcessEnvironment_doesNotTellItsSize() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: src\n  role: app-role\n  environment:\n    BIG: " + "x".repeat(3000) + "\n"
                        + "    PASSED: ${env.DEPLOY_SETTING}\n");
        ManifestInputs inputs = new ManifestInputs(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of("DEPLOY_SETTING", "v".repeat(1500)),
                Optional.empty());

        assertThat(reader.read(List.of(dir), dir, inputs).diagnostics().stream()
                        .map(Diagnostic::format)
                        .toList())
                .singleElement()
                .asString()
                .contains("environment variables take more than 4 KB in total")
                .doesNotContain("4509");
    }

    @Test
    void read_nodeHandlerWithoutItsFile_isAnError() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: nodejs20.x\n  handler: index.handler\n"
                        + "  code: src\n  role: app-role\n");

        assertThat(messages()).singleElement().asString().contains("needs index.js");
    }

    @Test
    void read_yamlOneDotOneBooleans_stayStrings() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: src\n  role: app-role\n  environment:\n    FLAG: on\n    COUNTRY: NO\n    REAL: true\n");

        Function function =
                read().stack().orElseThrow().resources(FunctionKind.KIND).get(0);

        assertThat(function.settings().environment())
                .containsEntry("FLAG", "on")
                .containsEntry("COUNTRY", "NO")
                .containsEntry("REAL", "true");
    }

    @Test
    void read_billionLaughs_isRefusedQuickly() {
        StringBuilder yaml = new StringBuilder(
                "kind: Stack\nname: x\nspec:\n  tags:\n    a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char previous = (char) (c - 1);
            yaml.append("    ")
                    .append(c)
                    .append(": &")
                    .append(c)
                    .append(" [")
                    .append(String.join(",", Collections.nCopies(9, "*" + previous)))
                    .append("]\n");
        }
        write(dir, "laughs.yaml", yaml.toString());

        assertThat(messages()).singleElement().asString().contains("aliases");
    }

    @Test
    void read_selfReferencingAlias_isRefused() {
        write(dir, "r.yaml", "kind: Stack\nname: a\nspec: &s {tags: *s}\n");

        assertThat(messages()).singleElement().asString().contains("too deeply nested");
    }

    @Test
    void read_pythonObjectTag_isRefusedWithoutConstructingAnything() {
        write(dir, "t.yaml", "kind: Stack\nname: !!python/object/apply:os.system [\"echo pwned\"]\n");

        assertThat(messages())
                .singleElement()
                .asString()
                .startsWith("t.yaml:2:7:")
                .contains("tag");
    }

    @Test
    void read_customLocalTag_isRefused() {
        write(dir, "t.yaml", "kind: Stack\nname: !secret x\n");

        assertThat(messages()).singleElement().asString().contains("tag !secret is not allowed");
    }

    @Test
    void read_duplicateKey_isAnErrorAtTheSecondKey() {
        write(dir, "d.yaml", "kind: Stack\nname: a\nname: b\n");

        assertThat(messages()).singleElement().asString().startsWith("d.yaml:3:1: duplicate key 'name'");
    }

    @Test
    void read_fileOverOneMebibyte_isRefusedWithoutParsing() throws IOException {
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, "# " + "x".repeat(YamlReader.MAX_FILE_BYTES) + "\n");

        assertThat(messages()).singleElement().asString().contains("at most " + YamlReader.MAX_FILE_BYTES + " bytes");
    }

    @Test
    void read_brokenSyntax_pointsAtTheProblem() {
        write(dir, "b.yaml", "kind: Stack\nname: [unclosed\n");

        assertThat(messages())
                .singleElement()
                .asString()
                .startsWith("b.yaml:2:7: invalid YAML: a list opened with '[' is not closed with ']'");
    }

    @Test
    void read_notUtf8_isAnError() throws IOException {
        Files.write(dir.resolve("x.yaml"), new byte[] {'k', ':', ' ', (byte) 0xff, (byte) 0xfe});

        assertThat(messages()).singleElement().asString().contains("not valid UTF-8");
    }

    @Test
    void read_roleBothTrustForms_isAnError() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "role.yaml",
                "kind: Role\nname: app-role\nspec:\n  trustedServices: [lambda.amazonaws.com]\n"
                        + "  assumeRolePolicyDocument:\n    Version: \"2012-10-17\"\n    Statement:\n      Effect: Allow\n"
                        + "      Principal: {Service: lambda.amazonaws.com}\n      Action: sts:AssumeRole\n");

        assertThat(messages()).singleElement().asString().contains("assumeRolePolicyDocument and trustedServices");
    }

    @Test
    void read_documentOrderAndFileOrder_doNotMatter() {
        TestFiles.helloSet(dir);
        Stack first = read().stack().orElseThrow();
        write(
                dir,
                "all.yaml",
                String.join("\n---\n", readAll("function.yaml"), readAll("role.yaml"), readAll("stack.yaml")));
        deleteQuietly("function.yaml", "role.yaml", "stack.yaml");

        assertThat(read().stack().orElseThrow()).isEqualTo(first);
    }

    private String readAll(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteQuietly(String... names) {
        for (String name : names) {
            dir.resolve(name).toFile().delete();
        }
    }

    @Test
    void theEditorSchema_dispatchesExactlyTheKindsOfTheEngine() throws IOException {
        JsonNode schema = new ObjectMapper()
                .readTree(Path.of("../schemas/manifest.schema.json").toFile());
        List<String> listed = new ArrayList<>();
        schema.at("/properties/kind/enum").forEach(k -> listed.add(k.asText()));
        List<String> dispatched = new ArrayList<>();
        schema.path("allOf")
                .forEach(branch -> dispatched.add(branch.at("/if/properties/kind/const")
                                .asText() + " -> " + branch.at("/then/$ref").asText()));

        assertThat(listed).containsExactlyElementsOf(DocumentKind.manifestNames());
        assertThat(dispatched)
                .containsExactlyInAnyOrderElementsOf(DocumentKind.manifestNames().stream()
                        .map(k -> k + " -> " + DocumentKind.schemaName(k) + ".schema.json")
                        .toList());
    }

    @Test
    void read_emptyDocuments_areSkipped() {
        write(dir, "stack.yaml", "---\n---\nkind: Stack\nname: s\n---\n--- ~\n");

        assertThat(messages()).isEmpty();
    }

    @Test
    void read_commonYamlMistakes_areSaidInPlainWords_atTheirPlace() {
        write(dir, "a.yaml", "kind: Stack\n\tname: x\n");
        write(dir, "b.yaml", "kind: Stack\nname: a: b\n");
        write(dir, "c.yaml", "kind: Stack\nname: \"open\n");

        assertThat(messages())
                .anySatisfy(m -> assertThat(m).startsWith("a.yaml:2:1: invalid YAML: a tab: YAML indents with spaces"))
                .anySatisfy(m -> assertThat(m).startsWith("b.yaml:2:8: invalid YAML: a ':' where YAML allows none"))
                .anySatisfy(m -> assertThat(m).startsWith("c.yaml:2:7: invalid YAML: a quoted value is not closed"));
    }

    @Test
    void read_aLongLine_isQuotedAroundTheCaret() {
        TestFiles.helloSet(dir);
        write(
                dir,
                "p.yaml",
                "kind: Payload\nname: p\nspec: {function: hello, event: {a: \"" + "x".repeat(5000) + "\"}, bad: 1}\n");

        String message = messages().stream()
                .filter(m -> m.contains("unknown field 'bad'"))
                .findFirst()
                .orElseThrow();
        assertThat(message).startsWith("p.yaml:3:");
        assertThat(message.lines().toList().get(1)).hasSizeLessThan(200).contains("bad: 1");
        assertThat(message.lines().toList().get(2).indexOf('^'))
                .isEqualTo(message.lines().toList().get(1).indexOf("bad"));
    }

    @Test
    void read_aFolderHoldingSeveralSets_isOneProblemNamingTheirFolders() {
        TestFiles.helloSet(dir.resolve("manifests/hello"));
        TestFiles.helloSet(dir.resolve("manifests/other"));

        assertThat(messages())
                .singleElement()
                .asString()
                .contains("2 manifest sets")
                .contains("manifests/hello, manifests/other")
                .contains("name its folder (lambdaform validate manifests/hello)");
    }

    @Test
    void read_installedDependenciesAreSkipped_butASetKeptInBuildOutputIsRead() {
        TestFiles.helloSet(dir.resolve("target/app"));
        write(dir, "node_modules/pkg/x.yaml", "not: lambdaform\n");

        assertThat(messages()).isEmpty();
        assertThat(reader.read(List.of(dir), dir).stack()).isPresent();
        assertThat(reader.read(List.of(dir.resolve("node_modules")), dir).diagnostics())
                .isNotEmpty();
    }

    @Test
    void read_aQueuedPayload_carriesItsInvocationTypeAndDestination_andADestinationWithoutEventIsRefused() {
        TestFiles.helloSet(dir);
        write(dir, "queued.yaml", """
                kind: Payload
                name: queued
                spec:
                  function: app
                  invocationType: Event
                  expect: {outcome: functionError, destination: onFailure}
                ---
                kind: Payload
                name: waited
                spec:
                  function: app
                  invocationType: RequestResponse
                """);

        Stack stack = read().stack().orElseThrow();
        Payload queued = stack.payloads().stream()
                .filter(p -> p.name().equals("queued"))
                .findFirst()
                .orElseThrow();
        Payload waited = stack.payloads().stream()
                .filter(p -> p.name().equals("waited"))
                .findFirst()
                .orElseThrow();

        assertThat(queued.invocationType()).isEqualTo(Payload.InvocationType.EVENT);
        assertThat(queued.queued()).isTrue();
        assertThat(queued.expect().destination()).contains(Payload.Destination.ON_FAILURE);
        assertThat(queued.expect().outcome()).contains(Payload.Outcome.FUNCTION_ERROR);
        assertThat(waited.queued()).isFalse();
        assertThat(stack.payloads().stream()
                        .filter(p -> p.name().equals("ping"))
                        .findFirst()
                        .orElseThrow()
                        .invocationType())
                .isEqualTo(Payload.InvocationType.REQUEST_RESPONSE);

        write(dir, "queued.yaml", """
                kind: Payload
                name: queued
                spec:
                  function: app
                  expect: {destination: onSuccess}
                ---
                kind: Payload
                name: typo
                spec:
                  function: app
                  invocationType: event
                """);
        assertThat(messages())
                .anySatisfy(m -> assertThat(m)
                        .startsWith("queued.yaml:5:")
                        .contains("expect.destination checks where a queued event's invocation record went")
                        .contains("invocationType: Event"))
                .anySatisfy(m -> assertThat(m).startsWith("queued.yaml:11:").contains("Event"));
    }
}
