package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.lambdaform.Interruption;
import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.apply.Applier;
import io.lambdaform.apply.ApplyListener;
import io.lambdaform.apply.OperationRunner;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.SchemaValidator;
import io.lambdaform.manifest.YamlReader;
import io.lambdaform.model.Sensitive;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.plan.LiveReader;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanDocument;
import io.lambdaform.plan.PlanInputs;
import io.lambdaform.plan.Planner;
import io.lambdaform.plan.Planning;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKind;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What people and machines read, fixed in golden files: a plan with a create, updates (configuration, code, a secret,
 * a policy), and deletes. Run with -Dgolden.update=true to rewrite the files after an intended change.
 */
class GoldenPlanTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    static Path dir;

    private static Plan plan;

    @BeforeAll
    static void makePlan() {
        Path m = TestFiles.helloSet(dir.resolve("m"));
        write(
                m,
                "old.yaml",
                "kind: Function\nname: old\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: src\n  role: app-role\n");
        TestTarget<LocalCloud> cloud =
                TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        CodePackager packager = new CodePackager();
        Planning planner = new Planning(new LiveReader(cloud.cloud(), cloud.ports(), packager), new Planner());
        Applier applier =
                new Applier(new OperationRunner(cloud.ports(), packager, ProgressListener.NONE), new Interruption());
        assertThat(applier.apply(planner.plan(read(m), Set.of()), ApplyListener.NONE, 1)
                        .succeeded())
                .isTrue();

        write(m, "old.yaml", "# removed\n");
        write(
                m,
                "new.yaml",
                "kind: Function\nname: new\nspec:\n  runtime: nodejs20.x\n  handler: index.handler\n"
                        + "  code: node\n  role: app-role\n  memorySize: 256\n");
        write(m, "node/index.js", "exports.handler = async () => 'hi';\n");
        write(m, "src/app.py", "def handler(event, context):\n    return {'hello': event['name'], 'v': 2}\n");
        write(
                m,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: app-role\n  timeout: 30\n  description: the app\n"
                        + "  environment:\n    MODE: prod\n    TOKEN:\n      value: rotated-secret\n      secret: true\n");
        write(
                m,
                "role.yaml",
                "kind: Role\nname: app-role\nspec:\n  inlinePolicies:\n    read:\n"
                        + "      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n"
                        + "          Action: s3:GetObject\n          Resource: \"arn:aws:s3:::bucket/*\"\n");
        Plan computed = new Planning(new LiveReader(cloud.cloud(), cloud.ports(), new CodePackager()), new Planner())
                .plan(read(m), Set.of());
        plan = new Plan(
                computed.stackName(),
                new TargetDescription("local", "state in .lambdaform", "000000000000", "us-east-1"),
                computed.operations(),
                computed.conflicts(),
                computed::liveFingerprint,
                Sensitive.NONE,
                Set.of(),
                Set.of(),
                computed.packages());
    }

    private static Stack read(Path m) {
        return new ManifestReader(new YamlReader(), new SchemaValidator())
                .read(List.of(m), m)
                .stack()
                .orElseThrow();
    }

    @Test
    void text() throws IOException {
        check("plan.txt", PlanTextRenderer.render(plan, new Ansi(false)));
    }

    @Test
    void json() throws IOException {
        check(
                "plan.json",
                PlanDocument.render(
                        plan,
                        new PlanInputs(
                                List.of("manifests/app"),
                                Optional.of("dev"),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                new TreeSet<>(),
                                "0123456789abcdef")));
    }

    @Test
    void json_conformsToThePublishedSchema() throws IOException {
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("classpath:schemas/plan.schema.json"));
        var json = new ObjectMapper().readTree(Files.readString(GOLDEN.resolve("plan.json")));

        assertThat(schema.validate(json)).isEmpty();
        assertThat(schema.validate(((ObjectNode) json.deepCopy()).put("formatVersion", 2)))
                .isNotEmpty();
    }

    @Test
    void schema_listsExactlyTheOperationTypesAndResourceTypesOfTheEngine() throws IOException {
        var schema = new ObjectMapper()
                .readTree(Path.of("../schemas/plan.schema.json").toFile());
        var operation = schema.at("/properties/operations/items/properties");
        List<String> operations = new ArrayList<>();
        operation.at("/operation/enum").forEach(n -> operations.add(n.asText()));
        List<String> types = new ArrayList<>();
        operation.at("/type/enum").forEach(n -> types.add(n.asText()));
        List<String> conflictTypes = new ArrayList<>();
        schema.at("/properties/conflicts/items/properties/type/enum").forEach(n -> conflictTypes.add(n.asText()));

        assertThat(operations)
                .containsExactlyInAnyOrderElementsOf(Kinds.operationTypes().stream()
                        .map(Operation.Type::name)
                        .toList());
        assertThat(types)
                .containsExactlyInAnyOrderElementsOf(
                        Kinds.ALL.stream().map(ResourceKind::label).toList());
        assertThat(conflictTypes).containsExactlyInAnyOrderElementsOf(types);
    }

    @Test
    void markdown() throws IOException {
        check("plan.md", PlanMarkdownRenderer.render(plan));
    }

    @Test
    void noRendering_showsTheSecret() {
        assertThat(PlanTextRenderer.render(plan, new Ansi(false))
                        + PlanMarkdownRenderer.render(plan)
                        + PlanDocument.render(plan))
                .doesNotContain("rotated-secret")
                .doesNotContain("hunter2")
                .contains("(sensitive)");
    }

    private static void check(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual)
                .as("golden file %s (rewrite with -Dgolden.update=true)", file)
                .isEqualTo(Files.readString(file));
    }
}
