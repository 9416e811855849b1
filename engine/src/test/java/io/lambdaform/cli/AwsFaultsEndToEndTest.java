package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.aws.AwsCloud;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.FaultProxy;
import io.lambdaform.cloud.aws.FaultProxy.Fault;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.resource.Stack;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Apply and destroy through the CLI with faults injected between the SDK and moto by {@link FaultProxy}: transient
 * faults at 25% still converge in one run, and a lost response costs a retry, not a 10-minute wait.
 */
class AwsFaultsEndToEndTest {
    private static final Path HELLO =
            Path.of("../manifests/hello").toAbsolutePath().normalize();
    private static final int FUNCTIONS = 20;

    @TempDir
    Path dir;

    private CliRunner cli;
    private TestTarget<AwsCloud> outOfBand;
    private URI moto;
    private FaultProxy proxy;

    @BeforeEach
    void setUp() {
        moto = MotoServer.freshEndpoint();
        cli = new CliRunner(dir.resolve("state"));
        outOfBand = AwsTestSupport.cloud(moto);
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private CliRunner.Result run(URI endpoint, String command, Path manifests, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                command,
                manifests.toString(),
                "--target",
                "aws",
                "--endpoint-url",
                endpoint.toString(),
                "--region",
                "us-east-1"));
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    /** A stack of one role and {@value #FUNCTIONS} functions, each with its own code. */
    private Path stack() {
        Path root = dir.resolve("m");
        TestFiles.write(
                root,
                "stack.yaml",
                "kind: Stack\nname: chaos\nspec:\n  region: us-east-1\n---\nkind: Role\n"
                        + "name: chaos-ex\nspec:\n  managedPolicyArns:\n"
                        + "    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n");
        for (int i = 0; i < FUNCTIONS; i++) {
            TestFiles.write(root, "fn" + i + "/app.py", "def handler(event, context):\n    return " + i + "\n");
            TestFiles.write(
                    root,
                    "fn" + i + ".yaml",
                    "kind: Function\nname: chaos-fn-" + i + "\nspec:\n"
                            + "  runtime: python3.12\n  handler: app.handler\n  code: fn" + i + "\n  role: chaos-ex\n"
                            + "  environment:\n    INDEX: \"" + i + "\"\n");
        }
        return root;
    }

    private static int apiCalls(CliRunner.Result result) {
        Matcher m = Pattern.compile("AWS API calls: (\\d+)").matcher(result.err());
        assertThat(m.find()).as(result.toString()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private void assertConverged(Path manifests) {
        proxy.randomFaultsFor(operation -> false);
        for (int i = 0; i < FUNCTIONS; i++) {
            assertThat(outOfBand.functions().findFunction("chaos-fn-" + i))
                    .as("chaos-fn-" + i)
                    .hasValueSatisfying(f -> assertThat(f.tags()).containsEntry(Stack.OWNER_TAG, "chaos"));
        }
        assertThat(outOfBand.roles().findRole("chaos-ex").orElseThrow().tags()).containsEntry(Stack.OWNER_TAG, "chaos");
        // Nothing orphaned: the stack holds exactly what the manifests declare, and nothing else exists.
        assertThat(outOfBand.functions().inventory("chaos", Set.of()))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, FUNCTIONS)
                        .mapToObj(i -> "chaos-fn-" + i)
                        .toList());
        assertThat(outOfBand.roles().inventory("chaos", Set.of())).containsExactly("chaos-ex");
        CliRunner.Result plan = run(proxy.endpoint(), "plan", manifests, "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("No changes.");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void apply_withoutFaults_baseline() {
        Path manifests = stack();
        proxy = FaultProxy.to(moto).start();

        long start = System.nanoTime();
        CliRunner.Result apply = run(proxy.endpoint(), "apply", manifests, "--auto-approve");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Apply complete: 21 created").doesNotContain("retrying");
        System.out.println("[measure] apply of " + FUNCTIONS + " functions + 1 role, no faults: " + millis + " ms, "
                + apiCalls(apply) + " API calls");
        assertConverged(manifests);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void apply_with25PercentMixedTransientFaults_convergesInOneRun() {
        Path manifests = stack();
        proxy = FaultProxy.to(moto)
                .seed(25)
                .rates(0.05, Fault.ERROR_500, Fault.ERROR_503, Fault.THROTTLE, Fault.DROP, Fault.LOST_RESPONSE)
                .rate(Fault.LATENCY, 0.05)
                .start();

        long start = System.nanoTime();
        CliRunner.Result apply = run(proxy.endpoint(), "apply", manifests, "--auto-approve", "--debug");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Apply complete: 21 created").contains("retrying in");
        assertThat(proxy.injected().get(Fault.LOST_RESPONSE)).isPositive();
        assertThat(apply.out() + apply.err()).doesNotContain("aws4_request", "Signature=", "secretAccessKey");
        System.out.println("[measure] apply of " + FUNCTIONS + " functions + 1 role, 25% faults " + proxy.injected()
                + " of "
                + proxy.requests().values().stream().mapToInt(Integer::intValue).sum() + " requests: "
                + millis + " ms, " + apiCalls(apply) + " API calls");
        assertConverged(manifests);
    }

    @ParameterizedTest(name = "25% {0}")
    @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void apply_with25PercentOfEachKindOfFault_convergesInOneRun(Fault fault) {
        Path manifests = stack();
        proxy = FaultProxy.to(moto).seed(7 + fault.ordinal()).rate(fault, 0.25).start();

        long start = System.nanoTime();
        CliRunner.Result apply = run(proxy.endpoint(), "apply", manifests, "--auto-approve");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out()).contains("Apply complete: 21 created");
        assertThat(proxy.injected().get(fault)).as("faults injected").isPositive();
        if (fault != Fault.LATENCY) {
            assertThat(apply.out()).contains("retrying in");
        }
        System.out.println("[measure] apply of " + FUNCTIONS + " functions + 1 role, 25% " + fault + " "
                + proxy.injected() + ": " + millis + " ms, " + apiCalls(apply) + " API calls");
        assertConverged(manifests);
    }

    @Test
    @Timeout(60)
    void lostCreateFunctionResponse_costsOneRetry_notTheConflictLoop() {
        proxy = FaultProxy.to(moto).start().script("lambda:CreateFunction", Fault.LOST_RESPONSE);

        long start = System.nanoTime();
        CliRunner.Result apply = run(proxy.endpoint(), "apply", HELLO, "--auto-approve");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains(
                        "Apply complete: 2 created",
                        "Lambda CreateFunction hello: no response",
                        "(attempt 2 of 10)",
                        "Lambda CreateFunction hello: it already exists, with this stack's tag and as planned")
                .doesNotContain("another update of the function is in progress");
        assertThat(proxy.requests("lambda:CreateFunction")).isEqualTo(2);
        assertThat(proxy.log()).containsExactly("lambda:CreateFunction LOST_RESPONSE");
        System.out.println("[measure] apply of hello with its CreateFunction response lost: " + millis + " ms, "
                + apiCalls(apply) + " API calls; "
                + apply.out()
                        .lines()
                        .filter(l -> l.contains("CreateFunction") || l.contains("function hello"))
                        .map(String::trim)
                        .toList());
        CliRunner.Result plan = run(moto, "plan", HELLO, "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
    }

    @Test
    @Timeout(60)
    void lostCreateRoleResponse_costsOneRetry() {
        proxy = FaultProxy.to(moto).start().script("iam:CreateRole", Fault.LOST_RESPONSE);

        CliRunner.Result apply = run(proxy.endpoint(), "apply", HELLO, "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains(
                        "Apply complete: 2 created",
                        "IAM CreateRole hello-ex: no response",
                        "IAM CreateRole hello-ex: it already exists, with this stack's tag and as planned");
        assertThat(proxy.requests("iam:CreateRole")).isEqualTo(2);
        assertThat(outOfBand.roles().findRole("hello-ex").orElseThrow().tags()).containsEntry(Stack.OWNER_TAG, "hello");
        CliRunner.Result plan = run(moto, "plan", HELLO, "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
    }

    @Test
    @Timeout(60)
    void lostDeleteResponses_destroyStillSucceeds() {
        assertThat(run(moto, "apply", HELLO, "--auto-approve").exitCode()).isZero();
        proxy = FaultProxy.to(moto)
                .start()
                .script("lambda:DeleteFunction", Fault.LOST_RESPONSE)
                .script("iam:DetachRolePolicy", Fault.LOST_RESPONSE)
                .script("iam:DeleteRole", Fault.LOST_RESPONSE);

        CliRunner.Result destroy = run(proxy.endpoint(), "destroy", HELLO, "--auto-approve");

        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out())
                .contains(
                        "Destroy complete",
                        "Lambda DeleteFunction hello: already gone",
                        "IAM DeleteRole hello-ex: already gone");
        assertThat(proxy.log()).hasSize(3);
        assertThat(outOfBand.functions().findFunction("hello")).isEmpty();
        assertThat(outOfBand.roles().findRole("hello-ex")).isEmpty();
    }

    @Test
    @Timeout(60)
    void faultsWhilePlanning_areReportedAsTheyAreRetried() {
        proxy = FaultProxy.to(moto).start().script("lambda:GetFunction", Fault.ERROR_503);

        CliRunner.Result plan = run(proxy.endpoint(), "plan", HELLO);

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.err()).contains("Lambda GetFunction", "retrying in", "AWS API calls:");
    }
}
