package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.inject.Inject;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.TriggerEvents;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform events generate [PATH...] TRIGGER}: prints the event Lambda sends the trigger's function, generated
 * from the trigger's declaration, offline: what a Payload with {@code trigger:} invokes, to save and edit, or to pipe
 * into {@code invoke --event -}.
 */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print the event Lambda sends a function for one of its triggers (an S3 put, an SQS batch, an SNS"
                    + " notification, an EventBridge event, an API Gateway or function URL request), generated from"
                    + " the trigger's declaration, offline: lambdaform events generate [PATH...] TRIGGER"
        })
public final class EventsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    DebugOption debug;

    @Mixin
    InputOptions inputs;

    @Parameters(index = "0", paramLabel = "generate", description = "The action: generate (the only one).")
    String action;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "PATH|TRIGGER",
            description = "Manifest files or folders (default: the current folder), then the name of one trigger.")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = "--merge",
            paramLabel = "JSON|FILE|-",
            description = "Merge this JSON on top of the generated event (objects key by key, arrays element by"
                    + " element), as a Payload's event is.")
    String merge;

    private final ManifestSupport manifests;
    private final Console console;

    @Inject
    public EventsCommand(ManifestSupport manifests, Console console) {
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        if (!action.equals("generate")) {
            throw LambdaformException.user("unknown action '" + action + "'"
                    + FuzzyMatcher.suggestion(action, List.of("generate"))
                    + ": lambdaform events generate [PATH...] TRIGGER");
        }
        PathsAndNames split = PathsAndNames.of(arguments);
        List<Path> paths = split.paths();
        ManifestSet set = manifests.requireValidSet(paths, inputs);
        Stack stack = set.stack().orElseThrow();
        List<Trigger> triggers = stack.resources(TriggerKind.KIND);
        String names = triggers.stream().map(Trigger::name).collect(Collectors.joining(", "));
        if (split.names().size() != 1) {
            throw LambdaformException.user("name one trigger after the manifest paths (found "
                    + (split.names().isEmpty() ? "none" : String.join(", ", split.names())) + "); this set has: "
                    + (names.isEmpty() ? "no triggers" : names));
        }
        String name = split.names().get(0);
        Trigger trigger = triggers.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> LambdaformException.user("no trigger '" + name + "' in this set"
                        + FuzzyMatcher.suggestion(
                                name, triggers.stream().map(Trigger::name).toList())
                        + "; it has: " + (names.isEmpty() ? "no triggers" : names)));
        if (!TriggerEvents.generates(trigger.type())) {
            throw LambdaformException.user("trigger " + name + " is a bare permission: it has no event of its own");
        }
        Optional<JsonNode> overrides = Optional.empty();
        if (merge != null) {
            try {
                overrides = Optional.of(JSON.readTree(EventArgument.read("--merge", merge, console.in())));
            } catch (JsonProcessingException e) {
                throw LambdaformException.user("--merge is not JSON: " + e.getOriginalMessage());
            }
            if (!overrides.get().isObject()) {
                throw LambdaformException.user("--merge takes a JSON object, merged into the event key by key (found "
                        + overrides.get().getNodeType().toString().toLowerCase(Locale.ROOT) + ")");
            }
        }
        TargetDescription example = new TargetDescription(
                "events",
                "generated",
                TriggerEvents.EXAMPLE_ACCOUNT,
                stack.region().orElse("us-east-1"));
        try {
            console.out().println(JSON.writeValueAsString(TriggerEvents.generate(trigger, example, overrides)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return ExitCodes.OK;
    }
}
