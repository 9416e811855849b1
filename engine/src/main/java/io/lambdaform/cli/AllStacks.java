package io.lambdaform.cli;

import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * {@code --all}: a command run for every stack under the folders it names (default: the current folder), each stack
 * a run of its own (its own target connection, lock, redaction and state), at most {@value #PARALLELISM} at once,
 * sharing the process's AWS rate limiter per region: one exit code (an error wins over changes), each stack's output
 * in turn, and with {@code --format markdown} one document, a summary table on top and a collapsible section per
 * stack, cut to a pull-request comment's size.
 */
public final class AllStacks {
    /** Stacks run at once: each mostly waits on its target, and the account's quota is shared anyway. */
    static final int PARALLELISM = 4;
    /** GitHub refuses a comment of more than 65,536 characters; the document keeps below. */
    static final int COMMENT_LIMIT = 60_000;

    @Option(
            names = "--all",
            description = "Every stack under the PATH folders (default: the current folder; a stack is the folder of a"
                    + " Stack document), each on its own, up to " + PARALLELISM + " at once: one exit code, each"
                    + " stack's output in turn, and with --format markdown one document.")
    boolean all;

    @Option(
            names = "--changed-since",
            paramLabel = "REF",
            description =
                    "With --all: only the stacks a change since REF reaches, as 'lambdaform stacks --changed-since'"
                            + " lists them (nothing to do when none).")
    String changedSince;

    @Option(
            names = "--full-markdown",
            paramLabel = "FILE",
            description = "With --all and --format markdown: also write the whole document to FILE, which a document"
                    + " cut to a pull-request comment's size points at.")
    Path fullMarkdown;

    /** What the command gives the stacks' runs: its console and interruption, and how it reads manifests. */
    record RunContext(Console console, Interruption interruption, ManifestSupport manifests, InputOptions inputs) {}

    /** What one stack's run printed, and how it ended. */
    record Outcome(String folder, int exitCode, String out, String err) {}

    /**
     * Runs the command {@code spec} parsed once per stack under {@code roots}, with the options it was given but
     * {@code --all}, {@code --full-markdown} and the paths.
     */
    int run(CommandSpec spec, List<Path> roots, RunContext context, boolean markdown, boolean detailedExitCode) {
        Console console = context.console();
        Interruption interruption = context.interruption();
        // Each stack shown by its folder under the folder it was found in ("stacks/orders"), read once to order the
        // stacks by their references (and, with --changed-since, to tell which a change reaches).
        Map<Path, String> shownAs = new TreeMap<>();
        Map<Path, RepositoryStacks.Found> found = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw LambdaformException.user("--all takes folders to look for stacks under; " + root + " is not one");
            }
            Path base = StacksCommand.real(root);
            List<RepositoryStacks.Found> under = RepositoryStacks.find(root, context.manifests(), context.inputs());
            if (changedSince != null) {
                under = RepositoryStacks.changedSince(under, changedSince, base, console.environment());
            }
            for (RepositoryStacks.Found stack : under) {
                String shown = shown(base, stack.folder());
                // A folder that is itself a stack is shown as it was given ("stacks/orders", not ".").
                shownAs.putIfAbsent(stack.folder(), shown.equals(".") ? root.toString() : shown);
                found.putIfAbsent(stack.folder(), stack);
            }
        }
        if (found.isEmpty()) {
            if (changedSince != null) {
                if (markdown) {
                    console.out()
                            .println("## Lambdaform: no stack changed since `" + changedSince.replace("`", "'") + "`");
                }
                console.err().println("No stack under " + roots + " changed since " + changedSince + ".");
                return ExitCodes.OK;
            }
            throw LambdaformException.user(
                    "no stack under " + roots + ": a stack is a folder holding a manifest with 'kind: Stack'");
        }
        List<String> forwarded = forwarded(spec);
        boolean plan = spec.name().equals("plan");
        if (plan && !forwarded.contains("--detailed-exitcode")) {
            forwarded.add("--detailed-exitcode"); // to tell a stack with changes from one without
        }
        // In the order references ask: a stack after the stacks whose roles it uses, side by side within a wave; a
        // stack whose owner failed is not run.
        List<StackOrder.Node> nodes =
                found.values().stream().map(RepositoryStacks.Found::node).toList();
        Map<Path, Outcome> byFolder = new TreeMap<>();
        Set<String> failedNames = new TreeSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, found.size()), r -> {
            Thread thread = new Thread(r, "stack");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (List<StackOrder.Node> wave : StackOrder.waves(nodes)) {
                List<Future<Outcome>> running = new ArrayList<>();
                List<StackOrder.Node> started = new ArrayList<>();
                for (StackOrder.Node node : wave) {
                    String shown = shownAs.get(node.folder());
                    if (interruption.requested().isPresent()) {
                        // Stopping: nothing more is started.
                        byFolder.put(node.folder(), new Outcome(shown, ExitCodes.ERROR, "", "not run: interrupted\n"));
                        continue;
                    }
                    Optional<String> failedUse =
                            node.uses().stream().filter(failedNames::contains).findFirst();
                    if (failedUse.isPresent()) {
                        byFolder.put(
                                node.folder(),
                                new Outcome(
                                        shown,
                                        ExitCodes.ERROR,
                                        "",
                                        "not run: it uses stack " + failedUse.get() + ", which failed\n"));
                        node.name().ifPresent(failedNames::add);
                        continue;
                    }
                    List<String> args = new ArrayList<>();
                    args.add(spec.name());
                    args.add(node.folder().toString());
                    args.addAll(forwarded);
                    started.add(node);
                    running.add(pool.submit(() -> {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        ByteArrayOutputStream err = new ByteArrayOutputStream();
                        int code = Main.run(
                                args.toArray(String[]::new),
                                out,
                                err,
                                InputStream.nullInputStream(),
                                console.environment(),
                                false,
                                interruption);
                        return new Outcome(
                                shown,
                                code,
                                out.toString(StandardCharsets.UTF_8),
                                err.toString(StandardCharsets.UTF_8));
                    }));
                }
                for (int i = 0; i < running.size(); i++) {
                    Outcome outcome = running.get(i).get();
                    byFolder.put(started.get(i).folder(), outcome);
                    if (outcome.exitCode() != ExitCodes.OK && outcome.exitCode() != ExitCodes.CHANGES) {
                        started.get(i).name().ifPresent(failedNames::add);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LambdaformException.user("interrupted while the stacks ran");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a stack's run failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (List<StackOrder.Node> wave : StackOrder.waves(nodes)) {
            wave.forEach(n -> outcomes.add(byFolder.get(n.folder())));
        }
        if (markdown) {
            printMarkdown(outcomes, console, plan);
        } else {
            for (Outcome o : outcomes) {
                console.out().println("== " + o.folder() + " ==");
                console.out().print(o.out());
                console.err().print(o.err());
                console.out().flush();
            }
        }
        boolean failed = outcomes.stream().anyMatch(o -> o.exitCode() != 0 && o.exitCode() != 2);
        boolean changes = outcomes.stream().anyMatch(o -> o.exitCode() == 2);
        console.err()
                .println(outcomes.size() + " stack(s): "
                        + outcomes.stream().filter(o -> o.exitCode() == 0).count() + " ok"
                        + (plan
                                ? ", "
                                        + outcomes.stream()
                                                .filter(o -> o.exitCode() == 2)
                                                .count() + " with changes"
                                : "")
                        + ", "
                        + outcomes.stream()
                                .filter(o -> o.exitCode() != 0 && o.exitCode() != 2)
                                .count()
                        + " failed.");
        if (failed) {
            return ExitCodes.ERROR;
        }
        return changes && detailedExitCode ? ExitCodes.CHANGES : ExitCodes.OK;
    }

    private static String shown(Path base, Path stack) {
        String relative = stack.startsWith(base) ? base.relativize(stack).toString() : stack.toString();
        return relative.isEmpty() ? "." : relative;
    }

    /** The options the command was given, as given, but those of this mixin and the paths. */
    private static List<String> forwarded(CommandSpec spec) {
        ParseResult parsed = spec.commandLine().getParseResult();
        Set<String> skipped = new HashSet<>(List.of("--all"));
        List<String> forwarded = new ArrayList<>();
        Set<String> positionals = new HashSet<>();
        parsed.matchedPositionals().forEach(p -> positionals.addAll(p.originalStringValues()));
        List<String> original = parsed.originalArgs();
        // The arguments after the command's name (the whole command line is kept).
        for (int i = original.indexOf(spec.name()) + 1; i < original.size(); i++) {
            String arg = original.get(i);
            if (skipped.contains(arg)) {
                continue;
            }
            if (arg.equals("--full-markdown") || arg.equals("--changed-since")) {
                i++;
                continue;
            }
            if (arg.startsWith("--full-markdown=") || arg.startsWith("--changed-since=")) {
                continue;
            }
            if (positionals.remove(arg)) {
                continue;
            }
            ArgSpec option = parsed.matchedOption(arg);
            forwarded.add(arg);
            if (option != null && option.arity().max() > 0 && !arg.contains("=") && i + 1 < original.size()) {
                forwarded.add(original.get(++i));
            }
        }
        return forwarded;
    }

    /** The most stacks the summary table lists by name: the rest are counted. */
    static final int TABLE_ROWS = 300;

    private void printMarkdown(List<Outcome> outcomes, Console console, boolean plan) {
        StringBuilder table = new StringBuilder(
                "## Lambdaform: " + outcomes.size() + " stack(s)\n\n" + "| stack | result |\n| --- | --- |\n");
        int rows = 0;
        for (Outcome o : outcomes) {
            if (++rows > TABLE_ROWS) {
                table.append("| … | ").append(outcomes.size() - TABLE_ROWS).append(" more stack(s) |\n");
                break;
            }
            String result = switch (o.exitCode()) {
                case 0 -> plan ? "no changes" : "ok";
                case 2 -> "changes";
                default -> "**failed** (exit " + o.exitCode() + ")";
            };
            table.append("| `")
                    .append(cell(o.folder()))
                    .append("` | ")
                    .append(result)
                    .append(" |\n");
        }
        List<String> sections = new ArrayList<>();
        for (Outcome o : outcomes) {
            boolean failed = o.exitCode() != 0 && o.exitCode() != 2;
            String errors = "```\n" + o.err().replace("```", "'''") + "```\n";
            // A failed stack's section shows why, whatever it printed before failing.
            String body = o.out().isBlank() ? errors : failed ? o.out() + "\n" + errors : o.out();
            sections.add("\n<details" + (o.exitCode() == 0 ? "" : " open") + "><summary><code>"
                    + escapeHtml(cell(o.folder())) + "</code></summary>\n\n" + body + "\n</details>\n");
        }
        StringBuilder whole = new StringBuilder(table);
        sections.forEach(whole::append);
        if (fullMarkdown != null) {
            try {
                Files.writeString(fullMarkdown, whole.toString());
            } catch (IOException e) {
                throw LambdaformException.user("could not write " + fullMarkdown + ": " + e.getMessage());
            }
        }
        // The note that names what is left out is bounded too, and counted before any section is kept.
        int note = 1_500;
        StringBuilder document = new StringBuilder(table);
        List<String> left = new ArrayList<>();
        for (int i = 0; i < sections.size(); i++) {
            if (document.length() + sections.get(i).length() + note > COMMENT_LIMIT) {
                left.add(cell(outcomes.get(i).folder()));
            } else {
                document.append(sections.get(i));
            }
        }
        if (!left.isEmpty()) {
            String named = String.join(
                            ", ",
                            left.stream().limit(20).map(f -> "`" + f + "`").toList())
                    + (left.size() > 20 ? " and " + (left.size() - 20) + " more" : "");
            document.append("\n> ")
                    .append(left.size())
                    .append(" stack section(s) left out to keep within a comment's size (")
                    .append(named.length() > 1_200 ? left.size() + " stacks" : named)
                    .append("): ")
                    .append(
                            fullMarkdown != null
                                    ? "the whole document is in `"
                                            + cell(fullMarkdown.getFileName().toString()) + "`"
                                    : "write the whole document with --full-markdown FILE")
                    .append(".\n");
        }
        String shown = document.length() > COMMENT_LIMIT
                ? document.substring(0, COMMENT_LIMIT) + "\n\n> (cut to a comment's size)\n"
                : document.toString();
        PrintWriter out = console.out();
        out.print(shown);
        out.flush();
    }

    /**
     * A folder name as one table cell and one code span: no line break, tab or other control character (shown
     * {@code \xNN}), no {@code |} that would split the cell, no backtick that would end the span, at most 200 characters.
     */
    static String cell(String text) {
        StringBuilder cell = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                cell.append(String.format("\\x%02x", c));
            } else if (c == '|') {
                cell.append("\\|");
            } else if (c == '`') {
                cell.append('\'');
            } else {
                cell.appendCodePoint(c);
            }
        });
        return cell.toString();
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
