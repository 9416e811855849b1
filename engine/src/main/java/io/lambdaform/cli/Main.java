package io.lambdaform.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;

/** The entry point: a thin {@link #run} that tests call directly with their own streams and environment. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Interruption interruption = Signals.install();
        int code =
                run(args, System.out, System.err, System.in, System.getenv(), System.console() != null, interruption);
        System.exit(code);
    }

    /** Runs the CLI as a non-interactive process with this JVM's environment. */
    public static int run(String[] args, OutputStream out, OutputStream err) {
        return run(args, out, err, InputStream.nullInputStream(), System.getenv(), false);
    }

    public static int run(
            String[] args,
            OutputStream out,
            OutputStream err,
            InputStream in,
            Map<String, String> env,
            boolean interactive) {
        return run(args, out, err, in, env, interactive, new Interruption());
    }

    /**
     * Runs one command; {@code interruption} is how SIGINT and SIGTERM ask it to stop. A command stopped that way
     * exits as a process killed by the signal would (130, 143), after saying what was done and what was not.
     */
    public static int run(
            String[] args,
            OutputStream out,
            OutputStream err,
            InputStream in,
            Map<String, String> env,
            boolean interactive,
            Interruption interruption) {
        Redactor redactor = new Redactor();
        PrintWriter outWriter = new PrintWriter(
                redactor.redacting(new OutputStreamWriter(out, StandardCharsets.UTF_8), interactive), true);
        PrintWriter errWriter = new PrintWriter(
                redactor.redacting(new OutputStreamWriter(err, StandardCharsets.UTF_8), interactive), true);
        Console console = new Console(
                outWriter,
                errWriter,
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)),
                env,
                interactive,
                redactor);
        boolean debug = Arrays.asList(args).contains("--debug");
        Injector injector = null;
        try {
            injector = Guice.createInjector(Stage.PRODUCTION, new CliModule(console, interruption));
            GuiceFactory factory = new GuiceFactory(injector);
            CommandLine commandLine = commandLine(factory, args);
            commandLine
                    .setOut(outWriter)
                    .setErr(errWriter)
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .setParameterExceptionHandler((e, a) -> {
                        Optional<String> command = unknownCommand(e);
                        if (command.isPresent()) {
                            List<String> known = LambdaformCommand.SUBCOMMANDS.stream()
                                    .map(type -> type.getAnnotation(CommandLine.Command.class)
                                            .name())
                                    .toList();
                            errWriter.println("error: '" + command.get() + "' is not a command of lambdaform"
                                    + FuzzyMatcher.suggestion(command.get(), known));
                        } else {
                            errWriter.println("error: " + e.getMessage());
                            if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
                                Optional<String> elsewhere = optionOfAnotherCommand(unmatched, factory);
                                if (elsewhere.isPresent()) {
                                    errWriter.println(elsewhere.get());
                                } else {
                                    CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, errWriter);
                                }
                            }
                        }
                        errWriter.println(
                                "Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
                        return ExitCodes.ERROR;
                    })
                    .setExecutionExceptionHandler((e, cmd, parsed) -> report(e, console, debug));
            int code = commandLine.execute(args);
            return stopped(interruption, code);
        } catch (RuntimeException e) {
            int code = report(e, console, debug);
            return stopped(interruption, code);
        } finally {
            if (injector != null) {
                closeQuietly(injector.getInstance(Engine.class), console, debug);
            }
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** Ends what the command's targets keep running; a failure to is reported, never the command's outcome. */
    private static void closeQuietly(Engine engine, Console console, boolean debug) {
        try {
            engine.close();
        } catch (RuntimeException e) {
            if (debug) {
                e.printStackTrace(console.err());
            }
        }
    }

    /** The word given where a command was expected, when it names none. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && e.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return Optional.of(unmatched.getUnmatched().get(0));
        }
        return Optional.empty();
    }

    /**
     * For an option the command does not take, the commands that do, when it is theirs, or when it is misspelt and
     * neither the command nor picocli's suggestions have a close one but another command has: "'--auto-approve' is
     * an option of apply and destroy, not plan". Made from every command's options, on this error only.
     */
    static Optional<String> optionOfAnotherCommand(
            CommandLine.UnmatchedArgumentException e, CommandLine.IFactory factory) {
        CommandLine command = e.getCommandLine();
        Optional<String> given = e.getUnmatched().stream()
                .filter(a -> a.startsWith("-") && !a.equals("-"))
                .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
                .findFirst();
        if (command.getParent() == null || given.isEmpty()) {
            return Optional.empty();
        }
        String name = command.getCommandName();
        Map<String, Set<String>> commandsByOption = new LinkedHashMap<>();
        for (CommandLine other :
                commandLine(factory, new String[0]).getSubcommands().values()) {
            if (other.getCommandName().equals(name)) {
                continue;
            }
            for (CommandLine.Model.OptionSpec option : other.getCommandSpec().options()) {
                for (String optionName : option.names()) {
                    if (!command.getCommandSpec().optionsMap().containsKey(optionName)) {
                        commandsByOption
                                .computeIfAbsent(optionName, k -> new LinkedHashSet<>())
                                .add(other.getCommandName());
                    }
                }
            }
        }
        Optional<String> option = commandsByOption.containsKey(given.get())
                ? given
                : e.getSuggestions().isEmpty()
                        ? FuzzyMatcher.closestOf(given.get(), commandsByOption.keySet())
                        : Optional.empty();
        return option.map(o -> "'" + o + "' is an option of " + list(commandsByOption.get(o)) + ", not " + name);
    }

    /** "apply", "apply and destroy", "plan, apply and destroy". */
    private static String list(Set<String> names) {
        List<String> all = List.copyOf(names);
        return all.size() == 1
                ? all.get(0)
                : String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    /**
     * A command the signal stopped exits as a process the signal killed (130, 143); one that finished all the same, or
     * whose normal end the signal is (logs --follow), exits as it would have.
     */
    private static int stopped(Interruption interruption, int code) {
        return code == ExitCodes.OK
                ? code
                : interruption.requested().map(Signals::exitCode).orElse(code);
    }

    /**
     * The command line for {@code args}: the root with the subcommand they name, or with every subcommand when they
     * name none (help, a typo).
     */
    static CommandLine commandLine(CommandLine.IFactory factory, String[] args) {
        CommandLine root = new CommandLine(LambdaformCommand.class, factory);
        String named =
                Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
        for (Class<?> type : LambdaformCommand.SUBCOMMANDS) {
            if (type.getAnnotation(CommandLine.Command.class).name().equals(named)) {
                return root.addSubcommand(type);
            }
        }
        LambdaformCommand.SUBCOMMANDS.forEach(root::addSubcommand);
        return root;
    }

    /** One clear message per failure; a stack trace only for internal errors with --debug. */
    static int report(Exception e, Console console, boolean debug) {
        PrintWriter err = console.err();
        if (e instanceof ManifestSupport.ReportedException) {
            return ExitCodes.ERROR;
        }
        if (e instanceof LambdaformException le && le.category() != LambdaformException.Category.INTERNAL) {
            String prefix =
                    le.category() == LambdaformException.Category.EXTERNAL ? "error from the target: " : "error: ";
            err.println(prefix
                    + le.getMessage()
                    + le.requestId().map(id -> " (request id " + id + ")").orElse(""));
            if (debug && le.getCause() != null) {
                le.getCause().printStackTrace(err);
            }
            return ExitCodes.ERROR;
        }
        err.println("internal error (a bug in Lambdaform): " + e);
        if (debug) {
            e.printStackTrace(err);
        } else {
            err.println("Run again with --debug for the stack trace, and please report it.");
        }
        return ExitCodes.ERROR;
    }
}
