package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestTarget;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.layer.Layers;
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
 * The layers example through the CLI, on the local cloud and on moto: a layer built from a folder is published once,
 * the Python function that names it imports its module (locally, where handlers run) and runs its version (on moto,
 * whose Invoke echoes the event, by the function's Layers), a change of the layer's contents publishes one version
 * that the function moves to in the same apply while the older one is deleted, and a layer version that does not
 * exist stops the plan.
 */
class LayersEndToEndTest {
    private static final Path LAYERS =
            Path.of("../manifests/layers").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path set;
    private CliRunner cli;
    private List<String> target;
    private Supplier<TestTarget<? extends CloudProvider>> outOfBand;

    private void on(String kind) {
        set = dir.resolve("repo/layers");
        copy(LAYERS, set);
        cli = new CliRunner(dir.resolve("state"));
        if (kind.equals("local")) {
            target = List.of();
            outOfBand = () -> TestTarget.local(new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "us-east-1")));
        } else {
            URI endpoint = MotoServer.freshEndpointForLayers();
            target = List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1");
            outOfBand = () -> AwsTestSupport.cloud(endpoint);
        }
    }

    private CliRunner.Result run(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, set.toString()));
        args.addAll(target);
        args.addAll(List.of(extra));
        return cli.run(args.toArray(String[]::new));
    }

    private List<String> functionLayers() {
        return outOfBand
                .get()
                .ports()
                .get(Functions.class)
                .findFunction("slugify")
                .orElseThrow()
                .settings()
                .layers();
    }

    private List<Long> layerVersions() {
        return outOfBand
                .get()
                .ports()
                .get(Layers.class)
                .find("textkit")
                .map(l -> l.versions().stream().map(Layers.Version::number).toList())
                .orElse(List.of());
    }

    private void changeTheLayer() throws IOException {
        Path module = set.resolve("layers/text/python/textkit/__init__.py");
        Files.writeString(module, Files.readString(module) + "\nVERSION = 2\n");
    }

    @Test
    void onTheLocalCloud_theFunctionImportsTheLayersModule_andMovesToEachNewVersion() throws IOException {
        on("local");
        CliRunner.Result apply = run("apply", "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains("layer textkit: publish version")
                .contains("layer:textkit:(known after apply)");
        assertThat(functionLayers()).containsExactly("arn:aws:lambda:us-east-1:000000000000:layer:textkit:1");

        CliRunner.Result invoke = run("invoke");
        assertThat(invoke.exitCode()).as(invoke.toString()).isZero();
        assertThat(invoke.out()).contains("payload slug -> function slugify: ok", "2 passed, 0 failed");

        assertThat(run("plan", "--detailed-exitcode").exitCode())
                .as("nothing changed")
                .isZero();

        changeTheLayer();
        CliRunner.Result again = run("apply", "--auto-approve");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out())
                .contains("~ layers = [arn:aws:lambda:us-east-1:000000000000:layer:textkit:1] ->")
                .contains("- layer textkit:1");
        assertThat(functionLayers()).containsExactly("arn:aws:lambda:us-east-1:000000000000:layer:textkit:2");
        assertThat(layerVersions()).containsExactly(2L);
        assertThat(run("plan", "--detailed-exitcode").exitCode()).isZero();
        assertThat(run("invoke").out()).contains("2 passed, 0 failed");

        CliRunner.Result destroy = run("destroy", "--auto-approve");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(layerVersions()).isEmpty();
    }

    @Test
    void onMoto_theFunctionRunsThePublishedVersion_andMovesToTheNextOne() throws IOException {
        on("aws");
        CliRunner.Result apply = run("apply", "--auto-approve");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        List<String> first = functionLayers();
        assertThat(first).singleElement().asString().matches("arn:aws:lambda:us-east-1:\\d{12}:layer:textkit:1");
        assertThat(layerVersions()).containsExactly(1L);

        CliRunner.Result noop = run("plan", "--detailed-exitcode", "--debug");
        assertThat(noop.exitCode()).as(noop.toString()).isZero();
        assertThat(noop.err()).contains("Lambda.ListLayers=1", "Lambda.ListLayerVersions=1");

        changeTheLayer();
        CliRunner.Result again = run("apply", "--auto-approve");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(functionLayers())
                .singleElement()
                .asString()
                .matches("arn:aws:lambda:us-east-1:\\d{12}:layer:textkit:2");
        assertThat(layerVersions()).containsExactly(2L);
        assertThat(run("plan", "--detailed-exitcode").exitCode()).isZero();

        assertThat(run("destroy", "--auto-approve").exitCode()).isZero();
        assertThat(layerVersions()).isEmpty();
    }

    @Test
    void aLayerVersionThatDoesNotExist_stopsThePlan_onBothTargets() throws IOException {
        for (String kind : List.of("local", "aws")) {
            on(kind);
            Path function = set.resolve("function.yaml");
            String missing = "arn:aws:lambda:us-east-1:123456789012:layer:nowhere:3";
            Files.writeString(
                    function, Files.readString(function).replace("layers: [textkit]", "layers: [" + missing + "]"));

            CliRunner.Result plan = run("plan");

            assertThat(plan.exitCode()).as(kind + ": " + plan).isEqualTo(ExitCodes.ERROR);
            assertThat(plan.err())
                    .as(kind)
                    .contains("function slugify names layer version " + missing)
                    .contains("does not");
            deleteRecursively(dir.resolve("repo"));
        }
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
            Files.createDirectories(to.getParent().resolve(".git"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
