package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import io.lambdaform.Durations;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.cloud.LogEvent;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lambdaform logs [PATH...] [FUNCTION...]}: prints, or follows, what the stack's functions logged. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Print what the stack's functions logged (their output and Lambda's START, END and REPORT"
                + " lines), merged in time order; --follow keeps printing new lines.")
public final class LogsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REQUEST_BOUNDARIES =
            List.of("START RequestId: ", "END RequestId: ", "REPORT RequestId: ");

    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Parameters(
            arity = "0..*",
            paramLabel = "PATH|FUNCTION",
            description = "Manifest files or folders (default: the current folder), then optionally the functions"
                    + " whose logs to print (default: every function of the stack). An argument that is an existing"
                    + " file or folder is a path.")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = "--since",
            paramLabel = "DURATION|INSTANT",
            defaultValue = "10m",
            description = "Print the events of the last DURATION (30s, 10m, 2h, 1d), or since an ISO-8601 instant"
                    + " (2026-11-28T16:00:00Z). Default: 10m.")
    String since = "10m";

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new events as they come, until interrupted (Ctrl-C).")
    boolean follow;

    @Option(
            names = "--filter",
            paramLabel = "PATTERN",
            description = "Only the events that match this CloudWatch Logs filter pattern: terms that must all appear,"
                    + " \"quoted phrases\", -term to exclude, ?term ?term for any of them. JSON patterns on AWS"
                    + " only.")
    String filter;

    @Option(
            names = "--format",
            paramLabel = "text|json",
            defaultValue = "text",
            description = "text for people (time, function, message), json for machines (one object per line).")
    TextOrJson format = TextOrJson.text;

    @Option(
            names = "--poll-interval",
            paramLabel = "DURATION",
            description = "With --follow, how often to ask for new events (1s, 500ms...). Default: 1s on the local"
                    + " cloud, 2s on AWS.")
    String pollInterval;

    private final Sessions sessions;
    private final Console console;
    private final Interruption interruption;

    @Inject
    public LogsCommand(Sessions sessions, Console console, Interruption interruption) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
    }

    @Override
    public Integer call() {
        Instant from = since(since, Instant.now());
        Duration interval = pollInterval == null
                ? (target.target == TargetOptions.Target.aws ? Duration.ofSeconds(2) : Duration.ofSeconds(1))
                : interval(pollInterval);
        PathsAndNames split = PathsAndNames.of(arguments);
        List<Path> paths = split.paths();
        List<String> names = split.names();
        Sessions.Session session = sessions.open(paths, inputs, target);
        List<String> functions = functions(session.stack(), names);
        if (functions.isEmpty()) {
            console.err().println("Stack " + session.stack().name() + " declares no function.");
            return ExitCodes.OK;
        }
        Engine.Target connected = session.target();
        int width = functions.stream().mapToInt(String::length).max().orElse(0);
        Ansi ansi = new Ansi(console.colors(common.noColor));
        Consumer<LogEvent> print = format == TextOrJson.json
                ? e -> console.out().println(json(e))
                : e -> console.out().println(text(e, width, ansi));
        LogReader reader = new LogReader(
                connected.logs(),
                functions.stream()
                        .map(f -> new FunctionLogs.Query(
                                f, from, Optional.ofNullable(filter), logGroup(session.stack(), f)))
                        .toList(),
                print,
                (function, reason) -> console.err()
                        .println("no logs yet for " + function + " (" + reason + ")"
                                + (follow ? "; waiting for it" : "")),
                LogReader.Sleeper.REAL);
        Runnable run = () -> {
            if (follow) {
                reader.follow(interval);
            } else {
                reader.readAll();
            }
            console.out().flush();
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        };
        if (follow) {
            untilSignalled(run);
        } else {
            run.run();
        }
        return ExitCodes.OK;
    }

    /**
     * The functions named, each a Function of the stack (a misspelt one gets a suggestion), in the order given; every
     * function of the stack when none is named.
     */
    /** The log group the function's logging configuration names ({@code loggingConfig.logGroup}), if any. */
    static Optional<String> logGroup(Stack stack, String function) {
        return stack.resource(FunctionKind.KIND, function)
                .flatMap(f -> f.settings().loggingConfig())
                .flatMap(FunctionSettings.LoggingConfig::logGroup);
    }

    static List<String> functions(Stack stack, List<String> names) {
        List<String> declared =
                stack.resources(FunctionKind.KIND).stream().map(f -> f.name()).toList();
        if (names.isEmpty()) {
            return declared;
        }
        Set<String> selected = new LinkedHashSet<>();
        for (String name : names) {
            if (!declared.contains(name)) {
                throw LambdaformException.user("'" + name + "' is neither a manifest file or folder nor a Function"
                        + " of stack " + stack.name() + FuzzyMatcher.suggestion(name, declared));
            }
            selected.add(name);
        }
        return List.copyOf(selected);
    }

    /**
     * Runs {@code follow} until Ctrl-C (SIGINT) or SIGTERM asks the command to stop: the loop stops after the line it
     * is printing, and the command ends normally (exit 0): that is how following ends.
     */
    private void untilSignalled(Runnable follow) {
        Thread loop = Thread.currentThread();
        try (Interruption.Registration stop = interruption.onRequest(loop::interrupt)) {
            follow.run();
        }
    }

    static String text(LogEvent event, int width, Ansi ansi) {
        String message = event.message();
        boolean boundary = REQUEST_BOUNDARIES.stream().anyMatch(message::startsWith);
        return TIMESTAMP.format(event.timestamp()) + " " + pad(event.function(), width) + "  "
                + (boundary ? ansi.cyan(message) : message);
    }

    static String json(LogEvent event) {
        ObjectNode line = JSON.createObjectNode();
        line.put("function", event.function());
        line.put("timestamp", TIMESTAMP.format(event.timestamp()));
        line.put("logStream", event.logStream());
        line.put("message", event.message());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /**
     * The instant {@code --since} names: a duration before {@code now} ({@code 30s}, {@code 10m}, {@code 2h},
     * {@code 1d}, or ISO-8601's {@code PT10M}), or an ISO-8601 instant ({@code 2026-11-28T16:00:00Z}, or with an
     * offset).
     */
    static Instant since(String value, Instant now) {
        Optional<Duration> ago = duration(value);
        if (ago.isPresent()) {
            try {
                return now.minus(ago.get());
            } catch (DateTimeException | ArithmeticException e) {
                throw LambdaformException.user("--since '" + value + "' reaches further back than time does; give"
                        + " a duration such as 30s, 10m, 2h or 1d");
            }
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw LambdaformException.user("--since '" + value + "' is neither a duration (30s, 10m, 2h, 1d) nor an"
                    + " ISO-8601 instant (2026-11-28T16:00:00Z)");
        }
    }

    /** The poll interval of --follow: a positive duration. */
    static Duration interval(String value) {
        Optional<Duration> interval = duration(value).filter(d -> !d.isZero());
        if (interval.isEmpty()) {
            throw LambdaformException.user(
                    "--poll-interval '" + value + "' is not a positive duration (500ms, 1s, 5s)");
        }
        return interval.get();
    }

    private static Optional<Duration> duration(String value) {
        return Durations.parse(value.strip());
    }
}
