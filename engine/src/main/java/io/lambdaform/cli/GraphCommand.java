package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.graph.DotGraph;
import io.lambdaform.graph.MermaidGraph;
import io.lambdaform.graph.StackGraph;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform graph PATH...}: the resources of one or more stacks and their links, as Mermaid or DOT, read
 * offline as validate reads them.
 */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Draw the stacks' resources and their links as a Mermaid or DOT graph, offline.")
public final class GraphCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        mermaid,
        dot
    }

    @Mixin
    DebugOption debug;

    @Mixin
    InputOptions inputs;

    @Parameters(
            arity = "0..*",
            defaultValue = ".",
            paramLabel = "PATH",
            description = "One manifest set (a stack) per path, file or folder (default: the current folder).")
    List<Path> paths;

    @Option(
            names = "--format",
            paramLabel = "mermaid|dot",
            defaultValue = "mermaid",
            description = "Output format: mermaid (GitHub draws it in markdown) or dot (Graphviz: dot -Tsvg).")
    Format format = Format.mermaid;

    private final ManifestSupport manifests;
    private final Console console;

    @Inject
    public GraphCommand(ManifestSupport manifests, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Set<Path> sets = new LinkedHashSet<>();
        paths.forEach(p -> sets.add(p.toAbsolutePath().normalize()));
        List<Stack> stacks = new ArrayList<>();
        int invalid = 0;
        for (Path path : sets) {
            ManifestSet set = manifests.read(List.of(path), inputs);
            if (set.valid()) {
                stacks.add(set.stack().get());
            } else {
                invalid++;
            }
        }
        if (invalid > 0) {
            console.err()
                    .println(invalid + " of " + sets.size() + " manifest set(s) with problems; no graph was drawn.");
            return ExitCodes.ERROR;
        }
        StackGraph graph = StackGraph.of(stacks);
        if (format == Format.dot) {
            console.out().print(DotGraph.render(graph));
            return ExitCodes.OK;
        }
        String mermaid = MermaidGraph.render(graph);
        console.out().print(mermaid);
        if (graph.edges().size() > MermaidGraph.GITHUB_MAX_EDGES || mermaid.length() > MermaidGraph.GITHUB_MAX_TEXT) {
            console.err()
                    .println("note: GitHub draws Mermaid of at most " + MermaidGraph.GITHUB_MAX_EDGES + " links and "
                            + String.format("%,d", MermaidGraph.GITHUB_MAX_TEXT) + " characters; this graph has "
                            + graph.edges().size() + " and " + String.format("%,d", mermaid.length())
                            + ": graph fewer stacks, or use --format dot");
        }
        return ExitCodes.OK;
    }
}
