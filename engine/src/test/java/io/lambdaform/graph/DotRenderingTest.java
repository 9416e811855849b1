package io.lambdaform.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.SchemaValidator;
import io.lambdaform.manifest.YamlReader;
import io.lambdaform.resource.Stack;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The DOT of the example stacks, and of the most hostile names, drawn by Graphviz's {@code dot} into an SVG. Skipped,
 * with a message, where {@code dot} is not on the PATH (Debian: {@code apt-get install graphviz}).
 */
class DotRenderingTest {
    @Test
    void theExampleStacks_renderThroughDot_intoAnSvg() throws Exception {
        Path dot = requireDot();
        List<Stack> stacks = new ArrayList<>();
        for (String example : List.of("hello", "triggers", "production", "layers", "releases", "orders")) {
            Path folder = Path.of("../manifests", example);
            var set = new ManifestReader(new YamlReader(), new SchemaValidator()).read(List.of(folder), folder);
            if (set.stack().isPresent()) {
                stacks.add(set.stack().get());
            }
        }
        assertThat(stacks).hasSizeGreaterThanOrEqualTo(3);

        StackGraph graph = StackGraph.of(stacks);

        String svg = svg(dot, DotGraph.render(graph));

        assertThat(svg).contains("<svg", "</svg>", "stack hello", "stack triggers", "stack production");
        assertThat(svg.split("class=\"node\"", -1)).hasSize(graph.nodeCount() + 1);
        assertThat(svg.split("class=\"edge\"", -1)).hasSize(graph.edges().size() + 1);
    }

    @Test
    void hostileNames_renderAsText() throws Exception {
        Path dot = requireDot();

        String svg = svg(dot, DotGraph.render(StackGraphTest.hostileGraph()));

        assertThat(svg).contains("<svg", "</svg>", "&lt;script&gt;").doesNotContain("<script");
    }

    private static Path requireDot() {
        Optional<Path> dot = onPath("dot");
        assumeTrue(
                dot.isPresent(),
                "Graphviz's dot is not on the PATH: DOT rendering not tested (Debian: apt-get install graphviz)");
        return dot.get();
    }

    private static Optional<Path> onPath(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String svg(Path dot, String graph) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(dot.toString(), "-Tsvg").start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (var in = process.getOutputStream()) {
            in.write(graph.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String errors = new String(err.join(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(errors).isZero();
        assertThat(errors).as("dot's warnings").isEmpty();
        return new String(out.join(), StandardCharsets.UTF_8);
    }
}
