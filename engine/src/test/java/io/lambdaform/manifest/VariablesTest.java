package io.lambdaform.manifest;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariablesTest {
    private final ManifestReader reader = new ManifestReader(new YamlReader(), new SchemaValidator());

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        write(dir, "stack.yaml", """
                kind: Stack
                name: app-${var.stage}
                spec:
                  region: ${var.region}
                  allowedEnvironmentVariables: [API_TOKEN]
                  variables:
                    stage: {type: string}
                    region: {type: string, default: us-east-1}
                    memory: {type: integer, default: 128}
                ---
                kind: Environment
                name: dev
                spec:
                  values: {stage: dev}
                ---
                kind: Environment
                name: prod
                spec:
                  values: {stage: prod, region: eu-west-1, memory: 1024}
                ---
                kind: Role
                name: app-${var.stage}
                """);
        write(dir, "fn.yaml", """
                kind: Function
                name: app-${var.stage}-api
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: app.py
                  role: app-${var.stage}
                  memorySize: ${var.memory}
                  environment:
                    TOKEN: {value: "${env.API_TOKEN}", secret: true}
                    GREETING: "hello $${not.a.reference} from ${var.stage}"
                    FALLBACK: ${env.NOT_SET_ANYWHERE:-plain}
                """);
        write(dir, "app.py", "def handler(e, c):\n    return e\n");
    }

    private ManifestSet read(Optional<String> env, Optional<Path> values) {
        return reader.read(List.of(dir), dir, new ManifestInputs(env, values, Map.of("API_TOKEN", "t0k3n")));
    }

    private List<String> messages(Optional<String> env) {
        return read(env, Optional.empty()).diagnostics().stream()
                .map(Diagnostic::format)
                .toList();
    }

    @Test
    void environment_givesEachStackItsOwnNamesRegionAndTypedValues() {
        Stack dev = read(Optional.of("dev"), Optional.empty()).stack().orElseThrow();
        Stack prod = read(Optional.of("prod"), Optional.empty()).stack().orElseThrow();

        assertThat(dev.name()).isEqualTo("app-dev");
        assertThat(dev.region()).contains("us-east-1");
        assertThat(prod.name()).isEqualTo("app-prod");
        assertThat(prod.region()).contains("eu-west-1");
        Function prodFunction = prod.resources(FunctionKind.KIND).get(0);
        assertThat(prodFunction.name()).isEqualTo("app-prod-api");
        assertThat(prodFunction.settings().memorySize()).isEqualTo(1024);
        assertThat(prodFunction.settings().environment())
                .containsEntry("TOKEN", "t0k3n")
                .containsEntry("GREETING", "hello ${not.a.reference} from prod")
                .containsEntry("FALLBACK", "plain");
        assertThat(prodFunction.secretEnvironmentKeys()).containsExactly("TOKEN");
    }

    @Test
    void valuesFile_overridesTheEnvironment() {
        Path values = write(dir.resolveSibling(dir.getFileName() + "-values"), "ci.yaml", "memory: 256\n");

        Stack stack = read(Optional.of("prod"), Optional.of(values)).stack().orElseThrow();

        assertThat(stack.resources(FunctionKind.KIND).get(0).settings().memorySize())
                .isEqualTo(256);
    }

    @Test
    void undefinedVariable_isAnErrorAtTheReference() {
        write(
                dir,
                "fn.yaml",
                "kind: Function\nname: f\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: app.py\n  role: app-${var.stage}\n  description: ${var.stag}\n");

        assertThat(messages(Optional.of("dev")))
                .singleElement()
                .asString()
                .startsWith("fn.yaml:8:16: undefined variable 'stag'")
                .contains("did you mean 'stage'");
    }

    @Test
    void variableWithoutValue_isAnErrorSayingWhereToSetIt() {
        assertThat(messages(Optional.empty()))
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("variable 'stage' has no value"));
    }

    @Test
    void unknownEnvironment_suggestsTheClosest() {
        assertThat(messages(Optional.of("prd")))
                .anySatisfy(m ->
                        assertThat(m).contains("no Environment named 'prd'").contains("did you mean 'prod'"));
    }

    @Test
    void valueOfTheWrongType_isAnErrorAtTheValue() {
        write(dir, "env.yaml", "kind: Environment\nname: bad\nspec:\n  values: {stage: x, memory: lots}\n");

        assertThat(messages(Optional.of("bad")))
                .singleElement()
                .asString()
                .startsWith("env.yaml:4:30: variable 'memory' is declared as integer");
    }

    @Test
    void unsetProcessEnvironmentVariable_withoutDefault_isAnError() {
        ManifestSet set =
                reader.read(List.of(dir), dir, new ManifestInputs(Optional.of("dev"), Optional.empty(), Map.of()));

        assertThat(set.diagnostics())
                .singleElement()
                .satisfies(d -> assertThat(d.format())
                        .contains("environment variable API_TOKEN is not set")
                        .contains("${env.API_TOKEN:-value}"));
    }

    @Test
    void digest_differsBetweenEnvironments_andIsStableForTheSameInputs() {
        String dev = read(Optional.of("dev"), Optional.empty()).digest();

        assertThat(read(Optional.of("dev"), Optional.empty()).digest()).isEqualTo(dev);
        assertThat(read(Optional.of("prod"), Optional.empty()).digest()).isNotEqualTo(dev);
    }

    @Test
    void substitutionPastTheSetsLimit_isOneProblemAtTheFieldThatPassesIt(@TempDir Path other) {
        String big = "b".repeat(200_000);
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            refs.append("    - ${var.big}\n");
        }
        write(other, "stack.yaml", "kind: Stack\nname: s\nspec:\n  variables:\n    big: {type: string}\n");
        write(other, "payload.yaml", "kind: Payload\nname: p\nspec:\n  function: f\n  event:\n" + refs);
        Path values = write(other.resolve("ci"), "values.yaml", "big: " + big + "\n");

        ManifestSet set = reader.read(
                List.of(other.resolve("stack.yaml"), other.resolve("payload.yaml")),
                other,
                new ManifestInputs(Optional.empty(), Optional.of(values), Map.of()));

        // 60 x 200,000 characters would be 12 MB: the 42nd reference passes the 8 MiB limit, and is the one reported.
        assertThat(set.stack()).isEmpty();
        assertThat(set.diagnostics())
                .map(Diagnostic::format)
                .filteredOn(m -> m.contains("substituted"))
                .singleElement()
                .asString()
                .startsWith("payload.yaml:47:7: 'spec.event[41]' passes the limit on substituted text")
                .doesNotContain(big.substring(0, 100));
    }

    @Test
    void sensitiveVariableWithoutValue_isToldToComeFromASensitiveValuesFile() {
        write(dir, "stack.yaml", """
                kind: Stack
                name: s
                spec:
                  variables:
                    dbpass: {type: string, sensitive: true}
                """);
        write(dir, "fn.yaml", """
                kind: Payload
                name: p
                spec:
                  function: f
                  event: {password: "${var.dbpass}"}
                """);

        assertThat(messages(Optional.empty()))
                .anySatisfy(m -> assertThat(m)
                        .startsWith("fn.yaml:5:21: sensitive variable 'dbpass' has no value: give it in a"
                                + " --sensitive-values file")
                        .contains("event: {password: \"${var.dbpass}\"}"));
    }

    @Test
    void references_literalsAndUnclosedBraces_areReadInOnePass() {
        write(dir, "p.yaml", """
                kind: Payload
                name: p
                spec:
                  function: app-dev-api
                  event:
                    a: "x ${var.stage} ${"
                    b: "${ and $${x"
                    c: "$$${var.stage} $${var.stage}"
                    d: "${var.stage}"
                    e: "%s"
                """.formatted("${".repeat(50_000)));

        String event = read(Optional.of("dev"), Optional.empty())
                .stack()
                .orElseThrow()
                .payloads()
                .get(0)
                .event();

        assertThat(event)
                .contains("\"a\":\"x dev ${\"")
                .contains("\"b\":\"${ and ${x\"")
                .contains("\"c\":\"$${var.stage} ${var.stage}\"")
                .contains("\"d\":\"dev\"");
    }
}
