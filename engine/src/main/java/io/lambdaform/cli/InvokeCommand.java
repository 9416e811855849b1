package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.invoke.PayloadRunner;
import io.lambdaform.kinds.function.Expectations;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.kinds.function.QueuedRun;
import io.lambdaform.resource.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lambdaform invoke [PATH...] [PAYLOAD|FUNCTION]...}: runs declared payloads as smoke tests; with
 * {@code --event}, invokes one function with an event given on the command line.
 */
@Command(
        name = "invoke",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Invoke functions with the declared payloads and check their expectations, or invoke one function with"
                    + " an event of your own (--event).",
            "Exit 0 when every payload passed (with --event: when the function returned without a function error;"
                    + " with --async on the local cloud, when its last attempt did), 1 otherwise."
        })
public final class InvokeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Mixin
    AllStacks allStacks;

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..*",
            paramLabel = "PATH|NAME",
            description = "Manifest files or folders (default: the current folder), then payload or function names"
                    + " to run (default: all payloads). An existing file, or a folder holding manifests, is a path.")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = "--event",
            paramLabel = "JSON|FILE|-",
            description = "Invoke the one FUNCTION named with this event: a JSON document, a file holding one, or -"
                    + " for standard input.")
    String event;

    @Option(
            names = "--qualifier",
            paramLabel = "VERSION|ALIAS",
            description = "Invoke this version or alias instead of $LATEST (AWS).")
    String qualifier;

    @Option(
            names = "--async",
            description = "With --event: queue the event (Lambda's Event invocation type) and return once Lambda"
                    + " accepted it; the local cloud runs it at once, with the function's retries, and writes its"
                    + " invocation record for the function's destination.")
    boolean async;

    @Option(
            names = "--format",
            paramLabel = "text|json",
            defaultValue = "text",
            description = "text (default), or json: the response, the function error, the executed version and the"
                    + " log, as one JSON document.")
    TextOrJson format = TextOrJson.text;

    private final Sessions sessions;
    private final Console console;
    private final Interruption interruption;
    private final ManifestSupport manifests;

    @Inject
    public InvokeCommand(Sessions sessions, Console console, Interruption interruption, ManifestSupport manifests) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
    }

    @Override
    public Integer call() {
        if (allStacks.all) {
            if (format == TextOrJson.json) {
                throw LambdaformException.user(
                        "--all prints every stack's payloads as text; JSON is one stack's: invoke"
                                + " each stack's folder for it");
            }
            List<Path> folders = new ArrayList<>();
            for (String argument : arguments.isEmpty() ? List.of(".") : arguments) {
                if (!Files.isDirectory(Path.of(argument))) {
                    throw LambdaformException.user("with --all, invoke runs every payload of every stack under the"
                            + " folders given; '" + argument + "' is not a folder (name payloads without --all)");
                }
                folders.add(Path.of(argument));
            }
            return allStacks.run(
                    spec, folders, new AllStacks.RunContext(console, interruption, manifests, inputs), false, false);
        }
        PathsAndNames split = PathsAndNames.of(arguments);
        List<Path> paths = split.paths();
        List<String> selectors = split.names();
        if (event == null && async) {
            throw LambdaformException.user("--async queues one event: give it with --event and name the function");
        }
        String eventText = null;
        if (event != null) {
            if (selectors.size() > 1) {
                throw oneFunction(selectors);
            }
            eventText = EventArgument.read(event, console.in());
        }
        Sessions.Session session = sessions.open(paths, inputs, target);
        Stack stack = session.stack();
        if (eventText != null && selectors.isEmpty()) {
            // A stack of one function needs no name for it.
            List<String> functions = stack.resources(FunctionKind.KIND).stream()
                    .map(Function::name)
                    .toList();
            if (functions.size() != 1) {
                throw oneFunction(selectors);
            }
            selectors = functions;
        }
        Engine.Target connected = session.target();
        PayloadRunner runner = connected.payloads();
        int code = eventText == null
                ? runPayloads(runner, stack, selectors)
                : invokeOnce(runner, stack, new Invocation(selectors.get(0), eventText, qualifier(), async));
        connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        return code;
    }

    private static LambdaformException oneFunction(List<String> named) {
        return LambdaformException.user("--event invokes one function: name exactly one after the manifest paths"
                + " (found " + (named.isEmpty() ? "none" : String.join(", ", named)) + "), for example: lambdaform"
                + " invoke manifests/hello hello --event '{\"name\":\"Ada\"}'");
    }

    private Optional<String> qualifier() {
        return Optional.ofNullable(qualifier).filter(q -> !q.isBlank());
    }

    private int invokeOnce(PayloadRunner runner, Stack stack, Invocation invocation) {
        InvocationResult result = runner.invoke(stack, invocation);
        if (format == TextOrJson.json) {
            ObjectNode document = JSON.createObjectNode();
            document.put("function", invocation.function());
            document.put("qualifier", invocation.qualifier().orElse(null));
            document.put("async", invocation.async());
            document.setAll(resultJson(result));
            console.out().println(write(document));
        } else if (invocation.async() && result.queuedRun().isPresent()) {
            Ansi ansi = new Ansi(console.colors(common.noColor));
            QueuedRun run = result.queuedRun().get();
            for (int i = 0; i < run.attempts().size(); i++) {
                InvocationResult attempt = run.attempts().get(i);
                console.err().println("attempt " + (i + 1) + ":");
                attempt.log().lines().forEach(line -> console.err().println(line));
                if (attempt.failed()) {
                    console.err()
                            .println(ansi.red("function error ("
                                            + attempt.functionError().get() + "): ")
                                    + Expectations.errorSummary(attempt.payload()));
                }
            }
            String summary = "queued: the local cloud ran the event for " + invocation.function() + " at once"
                    + " (status " + result.statusCode() + "): " + run.summary();
            console.err().println(run.failed() ? ansi.red(summary) : summary);
        } else if (invocation.async()) {
            console.err()
                    .println("queued: Lambda accepted the event for " + invocation.function() + " (status "
                            + result.statusCode() + ")");
        } else {
            Ansi ansi = new Ansi(console.colors(common.noColor));
            console.out().println(result.payload());
            result.log().lines().forEach(line -> console.err().println(line));
            if (result.failed()) {
                console.err()
                        .println(ansi.red("function error ("
                                        + result.functionError().get() + "): ")
                                + Expectations.errorSummary(result.payload()));
            }
        }
        boolean failed =
                result.failed() || result.queuedRun().map(QueuedRun::failed).orElse(false);
        return failed ? ExitCodes.ERROR : ExitCodes.OK;
    }

    private int runPayloads(PayloadRunner runner, Stack stack, List<String> selectors) {
        Ansi ansi = new Ansi(console.colors(common.noColor));
        boolean text = format == TextOrJson.text;
        List<PayloadRunner.PayloadRun> runs = runner.run(runner.select(stack, selectors), qualifier(), run -> {
            if (text) {
                print(run, ansi);
            }
        });
        long notRun = runs.stream().filter(r -> r.notRun().isPresent()).count();
        long failed = runs.stream().filter(r -> !r.passed()).count() - notRun;
        long passed = runs.size() - failed - notRun;
        if (text) {
            String summary = passed + " passed, " + failed + " failed" + (notRun > 0 ? ", " + notRun + " not run" : "");
            console.out().println(failed + notRun == 0 ? ansi.green(summary) : ansi.red(summary));
        } else {
            ObjectNode document = JSON.createObjectNode();
            ArrayNode list = document.putArray("runs");
            for (PayloadRunner.PayloadRun run : runs) {
                ObjectNode one = run.result().map(InvokeCommand::resultJson).orElseGet(JSON::createObjectNode);
                run.notRun().ifPresent(reason -> one.put("notRun", reason));
                run.notChecked().ifPresent(note -> one.put("notChecked", note));
                one.put("payload", run.payload().name());
                one.put("function", run.payload().function());
                one.put("passed", run.passed());
                run.failures().forEach(one.putArray("failures")::add);
                list.add(one);
            }
            document.put("passed", passed);
            document.put("failed", failed);
            document.put("notRun", notRun);
            console.out().println(write(document));
        }
        return failed + notRun == 0 ? ExitCodes.OK : ExitCodes.ERROR;
    }

    /** The result's fields; the response as JSON when it is JSON, else as a string. */
    private static ObjectNode resultJson(InvocationResult result) {
        ObjectNode node = JSON.createObjectNode();
        node.put("statusCode", result.statusCode());
        node.put("executedVersion", result.executedVersion().orElse(null));
        node.put("functionError", result.functionError().orElse(null));
        JsonNode response;
        try {
            response = JSON.readTree(result.payload());
        } catch (JsonProcessingException e) {
            response = JSON.getNodeFactory().textNode(result.payload());
        }
        node.set("response", response);
        node.put("log", result.log());
        node.put("durationMillis", result.durationMillis());
        result.queuedRun().ifPresent(run -> node.set("queuedRun", queuedJson(run)));
        return node;
    }

    /** What the local cloud did with a queued event: each attempt, and the invocation record sent. */
    private static ObjectNode queuedJson(QueuedRun run) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requestId", run.requestId());
        node.put("maximumRetryAttempts", run.maximumRetryAttempts());
        node.put("outcome", run.failed() ? "functionError" : "success");
        ArrayNode attempts = node.putArray("attempts");
        run.attempts().forEach(attempt -> attempts.add(resultJson(attempt)));
        run.delivery().ifPresent(delivery -> {
            ObjectNode sent = node.putObject("destination");
            sent.put("name", delivery.destination().written());
            sent.put("arn", delivery.arn());
            sent.put("file", delivery.file());
            try {
                sent.set("record", JSON.readTree(delivery.record()));
            } catch (JsonProcessingException e) {
                sent.put("record", delivery.record());
            }
        });
        return node;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void print(PayloadRunner.PayloadRun run, Ansi ansi) {
        if (run.notRun().isPresent()) {
            console.out()
                    .println("payload " + run.payload().name() + " -> function "
                            + run.payload().function() + ": " + ansi.red("NOT RUN") + ": "
                            + run.notRun().get());
            console.out().flush();
            return;
        }
        var result = run.result().orElseThrow();
        String status = run.passed() ? ansi.green("ok") : ansi.red("FAILED");
        console.out()
                .println("payload " + run.payload().name() + " -> function "
                        + run.payload().function()
                        + result.executedVersion()
                                .filter(v -> !v.equals("$LATEST"))
                                .map(v -> " (version " + v + ")")
                                .orElse("")
                        + ": " + status + " (" + result.durationMillis() + " ms)");
        if (result.queuedRun().isPresent()) {
            QueuedRun queued = result.queuedRun().get();
            console.out().println("  queued: " + queued.summary());
            for (int i = 0; i < queued.attempts().size(); i++) {
                InvocationResult attempt = queued.attempts().get(i);
                console.out()
                        .println("  attempt " + (i + 1) + ": "
                                + (attempt.failed()
                                        ? "function error: " + Expectations.errorSummary(attempt.payload())
                                        : "response: " + attempt.payload()));
                attempt.log().lines().forEach(line -> console.out().println("    " + line));
            }
        } else if (run.payload().queued()) {
            run.notChecked().ifPresent(note -> console.out().println("  queued: " + note));
        } else {
            if (result.failed()) {
                console.out().println("  function error: " + Expectations.errorSummary(result.payload()));
            }
            console.out().println("  response: " + result.payload());
            console.out().println("  log:");
            result.log().lines().forEach(line -> console.out().println("    " + line));
        }
        for (String failure : run.failures()) {
            console.out().println("  " + ansi.red("expectation failed: ") + failure);
        }
        console.out().flush();
    }
}
