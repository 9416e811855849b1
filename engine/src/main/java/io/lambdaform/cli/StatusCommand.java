package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform status PATH}: what a stack has deployed, read from the target without planning (no code walked, no
 * package built): each function's state, the code it runs, its owner, its newest version and its aliases' routing,
 * and the functions the stack owns there that its manifests no longer declare.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show what a stack has deployed (functions, versions, aliases, code, owner), without planning.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Parameters(
            arity = "0..*",
            defaultValue = ".",
            paramLabel = "PATH",
            description = "Manifest files or folders (default: the current folder).")
    List<Path> paths;

    private final Sessions sessions;
    private final Console console;

    @Inject
    public StatusCommand(Sessions sessions, Console console) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Sessions.Session session = sessions.open(paths, inputs, target);
        Stack stack = session.stack();
        Functions functions = session.target().ports().get(Functions.class);
        Aliases aliases = session.target().ports().get(Aliases.class);
        console.out()
                .println("Stack " + stack.name() + " on target "
                        + session.target().cloud().describe());
        List<Function> declared = stack.resources(FunctionKind.KIND);
        List<Alias> declaredAliases = stack.resources(AliasKind.KIND);
        int missing = 0;
        for (Function function : declared) {
            Optional<FunctionState> live = functions.findFunction(function.name());
            if (live.isEmpty()) {
                console.out().println("  function " + function.name() + ": not deployed");
                missing++;
                continue;
            }
            FunctionState f = live.get();
            String owner = f.tags().getOrDefault(Stack.OWNER_TAG, "(no owner)");
            console.out()
                    .println("  function " + f.name() + ": " + f.state()
                            + (f.lastUpdateStatus().isEmpty() ? "" : ", update " + f.lastUpdateStatus())
                            + ", owner " + owner + (owner.equals(stack.name()) ? "" : " (not this stack)"));
            console.out()
                    .println("    code " + f.codeSha256()
                            + Optional.ofNullable(f.tags().get(FunctionKind.SOURCE_TAG))
                                    .map(s -> ", contents " + s)
                                    .orElse(""));
            f.versions().filter(v -> !v.isEmpty()).ifPresent(versions -> {
                FunctionVersion newest = versions.get(versions.size() - 1);
                console.out()
                        .println("    " + versions.size() + " version(s), newest " + newest.version()
                                + (newest.aliases().isEmpty() ? "" : " (" + String.join(", ", newest.aliases()) + ")"));
            });
            for (Alias alias : declaredAliases) {
                if (alias.function().equals(f.name())) {
                    console.out()
                            .println("    alias " + alias.alias() + " -> "
                                    + aliases.find(alias.name())
                                            .map(Aliases.State::routing)
                                            .orElse("not deployed"));
                }
            }
        }
        Set<String> undeclared = functions.inventory(
                stack.name(),
                new TreeSet<>(declared.stream().map(Function::name).toList()));
        undeclared.forEach(name ->
                console.out().println("  function " + name + ": deployed, no longer declared (apply deletes it)"));
        console.err()
                .println(declared.size() + " function(s) declared, " + (declared.size() - missing) + " deployed"
                        + (undeclared.isEmpty() ? "" : ", " + undeclared.size() + " no longer declared") + ".");
        return ExitCodes.OK;
    }
}
