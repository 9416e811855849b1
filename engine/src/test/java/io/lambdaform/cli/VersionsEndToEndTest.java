package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.Functions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The releases example through the CLI, as a user would, on the local cloud and on moto: nothing published twice, one
 * version per change, a failing payload holding the alias back, rollback in one call, a revert reusing its version,
 * and pruning that never takes a version an alias uses. Moto's Invoke echoes the event, so there the payload gate
 * cannot pass: applies that must go through pass --no-payload-gate, and the gate's refusal is what moto shows.
 */
class VersionsEndToEndTest {
    private static final Path RELEASES =
            Path.of("../manifests/releases").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path set;
    private CliRunner cli;
    private List<String> target;
    private Supplier<TestTarget<? extends CloudProvider>> outOfBand;

    private void on(String kind) throws IOException {
        set = dir.resolve("repo/releases");
        copy(RELEASES, set);
        Files.createDirectories(dir.resolve("repo/.git"));
        cli = new CliRunner(dir.resolve("state"));
        if (kind.equals("local")) {
            target = List.of();
            outOfBand = () -> TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        } else {
            URI endpoint = MotoServer.freshEndpoint();
            target = List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
            // A fresh adapter each time: one lists a function's aliases once, as a run of the CLI does.
            outOfBand = () -> AwsTestSupport.cloud(endpoint);
        }
    }

    private CliRunner.Result run(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, set.toString()));
        args.addAll(target);
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private CliRunner.Result apply(String... extra) {
        List<String> args = new ArrayList<>(List.of("--auto-approve"));
        args.addAll(List.of(extra));
        return run("apply", args.toArray(String[]::new));
    }

    private List<String> versions() {
        FunctionState prices = outOfBand
                .get()
                .ports()
                .get(Functions.class)
                .findFunction("prices")
                .orElseThrow();
        return prices.versions().orElseThrow().stream()
                .map(FunctionVersion::version)
                .toList();
    }

    private String live() {
        return outOfBand
                .get()
                .ports()
                .get(Aliases.class)
                .find("prices:live")
                .orElseThrow()
                .version();
    }

    private void setPrice(String item, String price) throws IOException {
        Path code = set.resolve("src/prices.py");
        Files.writeString(
                code, Files.readString(code).replaceAll("\"" + item + "\": [0-9.]+", "\"" + item + "\": " + price));
    }

    @Test
    void onTheLocalCloud_aReleaseIsGatedOnItsPayloads_rolledBackInOneCall_andRevertedWithoutPublishing()
            throws IOException {
        on("local");
        assertThat(apply().exitCode()).isZero();
        assertThat(versions()).containsExactly("1");
        assertThat(live()).isEqualTo("1");

        CliRunner.Result again = apply();
        assertThat(again.out()).contains("No changes.");
        assertThat(versions()).containsExactly("1");

        setPrice("pear", "0.8");
        CliRunner.Result release = apply();
        assertThat(release.exitCode()).as(release.toString()).isZero();
        assertThat(release.out()).contains("publish version", "alias live: 1 → (new), once its payloads pass");
        assertThat(versions()).containsExactly("1", "2");
        assertThat(live()).isEqualTo("2");

        setPrice("apple", "0.6");
        CliRunner.Result broken = apply();
        assertThat(broken.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(broken.out() + broken.err())
                .contains("payload gate of alias prices:live: quote-apples failed against version 3")
                .contains("the alias stays on 2");
        assertThat(live()).isEqualTo("2");

        CliRunner.Result rollback = run("rollback", "--auto-approve");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).contains("alias live: 2 → 1 (rollback)");
        assertThat(live()).isEqualTo("1");
        assertThat(run("plan").out()).contains("alias live: 1 → 3");

        setPrice("apple", "0.5");
        setPrice("pear", "0.75");
        CliRunner.Result revert = apply();
        assertThat(revert.exitCode()).as(revert.toString()).isZero();
        assertThat(revert.out()).doesNotContain("publish version");
        assertThat(versions()).containsExactly("1", "2", "3");
        assertThat(live()).isEqualTo("1");

        CliRunner.Result invoked = run("invoke", "--qualifier", "live");
        assertThat(invoked.out()).contains("payload quote-apples -> function prices (version 1): ok");
        assertThat(run("invoke", "prices", "--event", "{}", "--qualifier", "7").err())
                .contains("function prices has no version or alias '7'");
    }

    @Test
    void onTheLocalCloud_pruningKeepsTheNewest_andNeverAVersionTheAliasUsesOrRollsBackTo() throws IOException {
        on("local");
        assertThat(apply().exitCode()).isZero();
        for (String price : List.of("0.81", "0.82", "0.83", "0.84", "0.85")) {
            setPrice("pear", price);
            assertThat(apply().exitCode()).isZero();
        }

        // keep: 3. Kept: 6 (live), 5 (what live rolls back to), and the two newest others, 4 and 3; and the plan
        // after the last apply has nothing left to delete.
        assertThat(versions()).containsExactly("3", "4", "5", "6");
        assertThat(run("plan", "--detailed-exitcode").exitCode()).isZero();
        assertThat(live()).isEqualTo("6");

        assertThat(run("rollback", "--auto-approve").exitCode()).isZero();
        assertThat(live()).isEqualTo("5");
        setPrice("pear", "0.86");
        assertThat(apply().exitCode()).isZero();
        assertThat(live()).isEqualTo("7");
        assertThat(versions()).contains("5", "6", "7");
    }

    @Test
    void aSavedPlan_isRefused_whenSomeoneElsePublishedAVersionMeanwhile() throws IOException {
        on("local");
        assertThat(apply().exitCode()).isZero();
        setPrice("pear", "0.8");
        Path saved = dir.resolve("release.json");
        assertThat(run("plan", "--out", saved.toString()).exitCode()).isZero();
        Functions functions = outOfBand.get().ports().get(Functions.class);
        FunctionState prices = functions.findFunction("prices").orElseThrow();
        functions.updateFunctionConfiguration(
                "prices", prices.roleArn(), prices.settings().withTimeout(9));
        functions.publishVersion("prices", prices.codeSha256(), "by hand");

        CliRunner.Result apply = cli.run("apply", saved.toString(), "--auto-approve");

        assertThat(apply.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.err()).contains("stale plan");
        assertThat(live()).isEqualTo("1");
    }

    @Test
    void onMoto_nothingIsPublishedTwice_theGateHoldsTheAliasBack_andRollbackIsOneCall() throws IOException {
        on("aws");
        CliRunner.Result first = apply("--no-payload-gate");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("payload gate skipped (--no-payload-gate)");
        assertThat(versions()).containsExactly("1");
        assertThat(live()).isEqualTo("1");

        CliRunner.Result noop = run("plan", "--debug");
        assertThat(noop.out()).contains("No changes.");
        // A function that publishes: GetFunction, one ListVersionsByFunction and one ListAliases, whatever its aliases.
        assertThat(noop.err())
                .contains("Lambda.GetFunction=1", "Lambda.ListAliases=1", "Lambda.ListVersionsByFunction=1");

        setPrice("pear", "0.8");
        CliRunner.Result gated = apply();
        assertThat(gated.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(gated.out() + gated.err()).contains("the alias stays on 1");
        assertThat(live()).isEqualTo("1");
        assertThat(versions()).containsExactly("1", "2");

        CliRunner.Result released = apply("--no-payload-gate");
        assertThat(released.exitCode()).as(released.toString()).isZero();
        assertThat(released.out()).doesNotContain("publish version");
        assertThat(live()).isEqualTo("2");

        CliRunner.Result rollback = run("rollback", "--auto-approve", "--debug");
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(rollback.err()).contains("Lambda.UpdateAlias=1");
        assertThat(live()).isEqualTo("1");

        setPrice("pear", "0.75");
        CliRunner.Result revert = apply("--no-payload-gate");
        assertThat(revert.exitCode()).as(revert.toString()).isZero();
        assertThat(revert.out()).doesNotContain("publish version");
        assertThat(live()).isEqualTo("1");
        assertThat(run("invoke", "prices", "--event", "{}", "--qualifier", "nosuch")
                        .err())
                .contains("function prices has no version or alias 'nosuch'");
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
