package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code lambdaform graph} of the example stacks, fixed in golden files, Mermaid and DOT. Run with
 * -Dgolden.update=true to rewrite the files after an intended change.
 */
class GoldenGraphTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    private final CliRunner cli = new CliRunner(Path.of("unused"));

    @ParameterizedTest
    @CsvSource({
        "hello, mermaid",
        "hello, dot",
        "triggers, mermaid",
        "triggers, dot",
        "production, mermaid",
        "production, dot",
        "hello triggers production, mermaid",
        "hello triggers production, dot"
    })
    void graph_ofTheExamples_isAsGolden(String stacks, String format) throws IOException {
        List<String> args = new ArrayList<>(List.of("graph", "--format", format));
        for (String stack : stacks.split(" ")) {
            args.add("../manifests/" + stack);
        }

        CliRunner.Result graph = cli.run(args.toArray(String[]::new));

        assertThat(graph.exitCode()).as(graph.toString()).isZero();
        assertThat(graph.err()).isEmpty();
        String name =
                "graph-" + (stacks.contains(" ") ? "examples" : stacks) + (format.equals("dot") ? ".dot" : ".mmd");
        check(name, graph.out());
        // The same stacks in another order, or one given twice, draw the same graph.
        List<String> paths = new ArrayList<>(args.subList(3, args.size()));
        Collections.reverse(paths);
        List<String> reversed = new ArrayList<>(args.subList(0, 3));
        reversed.addAll(paths);
        reversed.add(args.get(3));
        assertThat(cli.run(reversed.toArray(String[]::new)).out()).isEqualTo(graph.out());
    }

    @Test
    void theDocs_showTheTriggersGraphAsItIs() throws IOException {
        assertThat(Files.readString(Path.of("../docs/cli.md")))
                .contains("```mermaid\n" + Files.readString(GOLDEN.resolve("graph-triggers.mmd")) + "```\n");
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
