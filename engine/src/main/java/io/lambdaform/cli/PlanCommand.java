package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.graph.StackGraph;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.PlanDocument;
import io.lambdaform.plan.PlanInputs;
import io.lambdaform.plan.PlanOptions;
import io.lambdaform.plan.SavedPlan;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lambdaform plan PATH...}: shows what apply would change, field by field. */
@Command(
        name = "plan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show what apply would create, update and delete, field by field.")
public final class PlanCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format {
        text,
        json,
        markdown
    }

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
            defaultValue = ".",
            paramLabel = "PATH",
            description = "Manifest files or folders (default: the current folder).")
    List<Path> paths;

    @Option(
            names = "--format",
            paramLabel = "text|json|markdown",
            defaultValue = "text",
            description = "Output format: text for people, json for machines, markdown for a pull-request comment.")
    Format format = Format.text;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Also save the plan as JSON to FILE, for 'lambdaform apply FILE'.")
    Path out;

    @Option(
            names = "--detailed-exitcode",
            description = "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    boolean detailedExitCode;

    @Option(
            names = "--adopt",
            paramLabel = "NAME",
            description = "Plan to take over an existing resource of that name.")
    Set<String> adopt = Set.of();

    @Option(
            names = "--no-payload-gate",
            description = "Plan aliases gated on payloads to move without running them (for an emulator whose Invoke"
                    + " echoes the event); the plan says so.")
    boolean noPayloadGate;

    @Option(
            names = "--graph",
            description = "With --format markdown: add a Mermaid graph of what changes, each resource marked created,"
                    + " updated or deleted.")
    boolean graph;

    private final Sessions sessions;
    private final Console console;

    private final Interruption interruption;
    private final ManifestSupport manifests;

    @Inject
    public PlanCommand(Sessions sessions, Console console, Interruption interruption, ManifestSupport manifests) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
    }

    @Override
    public Integer call() {
        if (allStacks.all) {
            if (out != null || format == Format.json) {
                throw LambdaformException.user("--all makes one text or markdown document of every stack's plan; a"
                        + " saved plan (--out) or JSON is one stack's: plan each stack's folder for those");
            }
            return allStacks.run(
                    spec,
                    paths,
                    new AllStacks.RunContext(console, interruption, manifests, inputs),
                    format == Format.markdown,
                    detailedExitCode);
        }
        if (out != null && !SavedPlan.hasPlanName(out)) {
            throw LambdaformException.user("name the saved plan FILE.json (" + out.getFileName() + " is not):"
                    + " 'apply FILE.json' tells a saved plan from manifests by its name");
        }
        if (graph && format != Format.markdown) {
            throw LambdaformException.user("--graph draws in the markdown plan: add --format markdown (lambdaform"
                    + " graph draws a stack in any plan's place)");
        }
        Sessions.Session session = sessions.openToPlan(paths, inputs, target, false);
        Engine.Target connected = session.target();
        Plan plan;
        String json;
        try {
            PlanOptions options = new PlanOptions(new TreeSet<>(adopt), !noPayloadGate);
            plan = connected.planner().plan(session.stack(), options);
            PlanInputs recorded = new PlanInputs(
                    paths.stream().map(Path::toString).toList(),
                    Optional.ofNullable(inputs.environment),
                    Optional.ofNullable(inputs.values).map(Path::toString),
                    Optional.ofNullable(inputs.sensitiveValues).map(Path::toString),
                    Optional.ofNullable(inputs.root).map(Path::toString),
                    options.adopt(),
                    session.manifests().digest(),
                    options.payloadGates());
            json = format == Format.json || out != null ? PlanDocument.render(plan, recorded) : null;
            if (format == Format.json) {
                console.out().print(json);
            } else if (format == Format.markdown) {
                console.out()
                        .print(PlanMarkdownRenderer.render(
                                plan, graph ? Optional.of(changes(session.stack(), plan)) : Optional.empty()));
            } else {
                console.out().print(PlanTextRenderer.render(plan, new Ansi(console.colors(common.noColor))));
            }
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
        if (out != null) {
            try {
                Files.writeString(out, console.redactor().redact(json));
            } catch (IOException e) {
                throw LambdaformException.user("cannot write the plan to " + out + ": " + e.getMessage());
            }
        }
        if (!plan.conflicts().isEmpty()) {
            return ExitCodes.ERROR;
        }
        return detailedExitCode && plan.hasChanges() ? ExitCodes.CHANGES : ExitCodes.OK;
    }

    /** The graph of what the plan creates, updates and deletes in the stack. */
    private static StackGraph changes(Stack stack, Plan plan) {
        Map<ResourceKey, Operation.Action> changes = new TreeMap<>();
        plan.byResource().forEach((key, operations) -> changes.put(key, Plan.resourceAction(operations)));
        return StackGraph.ofChanges(stack, changes);
    }
}
