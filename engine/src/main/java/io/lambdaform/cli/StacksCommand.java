package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import io.lambdaform.cli.RepositoryStacks.Found;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform stacks [ROOT] [--changed-since REF] [--format text|json]}: the stacks under a folder, offline, and
 * with {@code --changed-since} those whose manifests, code, event files or build inputs changed since a git ref: what
 * a CI matrix runs.
 */
@Command(
        name = "stacks",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "List the stacks under a folder (each the folder of a Stack document), or those a change touches.")
public final class StacksCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    DebugOption debug;

    @Mixin
    InputOptions inputs;

    @Parameters(
            arity = "0..1",
            defaultValue = ".",
            paramLabel = "ROOT",
            description = "The folder to look under (default: the current folder).")
    Path root;

    @Option(
            names = "--changed-since",
            paramLabel = "REF",
            description = "Only the stacks whose files changed since where this branch left REF (a branch, tag or"
                    + " commit; its merge base with HEAD), with uncommitted and untracked files: a stack's folder, and"
                    + " the code, event files and build inputs its manifests name.")
    String changedSince;

    @Option(
            names = "--format",
            paramLabel = "text|json",
            defaultValue = "text",
            description = "text (default), or json: {\"stacks\": [...], \"include\": [{\"stack\", \"path\"}...]},"
                    + " whose include is a GitHub Actions matrix.")
    TextOrJson format = TextOrJson.text;

    private final ManifestSupport manifests;
    private final Console console;

    @Inject
    public StacksCommand(ManifestSupport manifests, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Path base = real(root);
        List<Found> found = RepositoryStacks.find(root, manifests, inputs);
        List<Found> listed = changedSince == null
                ? found
                : RepositoryStacks.changedSince(found, changedSince, base, console.environment());
        if (format == TextOrJson.json) {
            printJson(base, listed);
        } else {
            printText(base, listed, found.size());
        }
        return ExitCodes.OK;
    }

    /**
     * The folder relative to the root, as a shell reads it safely: never taken for an option ({@code ./-x}), no tab or
     * line break to shift the columns or lines a pipeline cuts ({@code \x09}).
     */
    static String relative(Path base, Path folder) {
        String path = base.relativize(folder).toString();
        if (path.isEmpty()) {
            return ".";
        }
        StringBuilder shown = new StringBuilder(path.startsWith("-") ? "./" : "");
        path.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                shown.append(String.format("\\x%02x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    private void printText(Path base, List<Found> listed, int all) {
        for (Found f : listed) {
            String name = f.stack().map(Stack::name).orElse("(invalid)");
            String region = f.stack().flatMap(Stack::region).orElse("-");
            console.out()
                    .println(name + "\t" + relative(base, f.folder()) + "\t" + region
                            + (f.problems() > 0
                                    ? "\t" + f.problems() + " problem(s): lambdaform validate "
                                            + relative(base, f.folder())
                                    : ""));
        }
        console.err()
                .println(
                        changedSince == null
                                ? all + " stack(s)."
                                : listed.size() + " of " + all + " stack(s) changed since " + changedSince + ".");
    }

    private void printJson(Path base, List<Found> listed) {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode stacks = document.putArray("stacks");
        ArrayNode include = document.putArray("include");
        for (Found f : listed) {
            ObjectNode stack = stacks.addObject();
            f.stack().ifPresentOrElse(s -> stack.put("name", s.name()), () -> stack.putNull("name"));
            stack.put("path", relative(base, f.folder()));
            f.stack().flatMap(Stack::region).ifPresent(r -> stack.put("region", r));
            f.stack().ifPresent(s -> {
                if (!s.allowedAccounts().isEmpty()) {
                    ArrayNode accounts = stack.putArray("allowedAccounts");
                    s.allowedAccounts().forEach(accounts::add);
                }
            });
            stack.put("valid", f.problems() == 0 && f.stack().isPresent());
            ArrayNode uses = stack.putArray("uses");
            f.node().uses().forEach(uses::add);
            ObjectNode entry = include.addObject();
            entry.put("stack", f.stack().map(Stack::name).orElse(relative(base, f.folder())));
            entry.put("path", relative(base, f.folder()));
        }
        console.out().println(document.toString());
    }

    /** The root as the stacks' folders are named: its real path (they are listed as real paths). */
    static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize();
        }
    }
}
