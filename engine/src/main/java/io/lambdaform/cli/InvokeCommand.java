package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.invoke.Expectations;
import io.lambdaform.invoke.PayloadRunner;
import io.lambdaform.resource.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code lambdaform invoke PATH... [PAYLOAD|FUNCTION]...}: runs declared payloads as smoke tests. */
@Command(
        name = "invoke",
        mixinStandardHelpOptions = true,
        description = "Invoke functions with the declared payloads and check their expectations.")
public final class InvokeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Parameters(
            arity = "1..*",
            paramLabel = "PATH|NAME",
            description = "Manifest files or folders, then optionally payload or function names to run (default: all"
                    + " payloads). An argument that is an existing file or folder is a path.")
    List<String> arguments;

    private final Sessions sessions;
    private final Console console;

    @Inject
    public InvokeCommand(Sessions sessions, Console console) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        List<Path> paths = new ArrayList<>();
        List<String> selectors = new ArrayList<>();
        for (String argument : arguments) {
            if (Files.exists(Path.of(argument))) {
                paths.add(Path.of(argument));
            } else {
                selectors.add(argument);
            }
        }
        if (paths.isEmpty()) {
            throw LambdaformException.user("no manifest path among " + arguments + "; give the manifest folder first,"
                    + " for example: lambdaform invoke manifests/hello greet");
        }
        Sessions.Session session = sessions.open(paths, inputs, target);
        Stack stack = session.stack();
        Engine.Target connected = session.target();
        PayloadRunner runner = connected.payloads();
        Ansi ansi = new Ansi(console.colors(common.noColor));
        List<PayloadRunner.PayloadRun> runs = runner.run(runner.select(stack, selectors), run -> print(run, ansi));
        long failed = runs.stream().filter(r -> !r.passed()).count();
        String summary = (runs.size() - failed) + " passed, " + failed + " failed";
        console.out().println(failed == 0 ? ansi.green(summary) : ansi.red(summary));
        connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        return failed == 0 ? ExitCodes.OK : ExitCodes.ERROR;
    }

    private void print(PayloadRunner.PayloadRun run, Ansi ansi) {
        var result = run.result();
        String status = run.passed() ? ansi.green("ok") : ansi.red("FAILED");
        console.out()
                .println("payload " + run.payload().name() + " -> function "
                        + run.payload().function() + ": " + status + " (" + result.durationMillis() + " ms)");
        if (result.failed()) {
            console.out().println("  function error: " + Expectations.errorSummary(result.payload()));
        }
        console.out().println("  response: " + result.payload());
        console.out().println("  log:");
        result.log().lines().forEach(line -> console.out().println("    " + line));
        for (String failure : run.failures()) {
            console.out().println("  " + ansi.red("expectation failed: ") + failure);
        }
        console.out().flush();
    }
}
