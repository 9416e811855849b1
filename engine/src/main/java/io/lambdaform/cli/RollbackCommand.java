package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.apply.Applier;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.resource.Stack;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform rollback PATH [FUNCTION...] [--alias NAME] [--to VERSION]}: moves aliases back to the version they
 * routed to before, one UpdateAlias each, after showing the plan.
 */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Move aliases back to the version they routed to before their last move (or --to VERSION),"
                + " one call each; the next plan shows the way forward again.")
public final class RollbackCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    InputOptions inputs;

    @Mixin
    TargetOptions target;

    @Mixin
    LockOptions lock;

    @Mixin
    ChangeOptions change;

    @Parameters(
            arity = "0..*",
            paramLabel = "PATH|FUNCTION",
            description = "Manifest files or folders (default: the current folder), then the functions whose aliases"
                    + " to move back (default: every function with an alias).")
    List<String> arguments = List.of();

    @Option(names = "--alias", paramLabel = "NAME", description = "Only the alias of this name.")
    String alias;

    @Option(
            names = "--to",
            paramLabel = "VERSION",
            description = "The version to move to, instead of the one each alias routed to before.")
    String to;

    private final ChangeRunner runner;

    @Inject
    public RollbackCommand(ChangeRunner runner) {
        this.runner = requireNonNull(runner, "runner is null");
    }

    @Override
    public Integer call() {
        if (to != null && !to.matches("[0-9]{1,9}")) {
            throw LambdaformException.user("--to takes a version number, not '" + to + "'");
        }
        PathsAndNames given = PathsAndNames.of(arguments);
        return runner.runRollback(
                given.paths(),
                inputs,
                common,
                lock.applyTo(target),
                change,
                stack -> selected(stack, given.names()),
                Optional.ofNullable(to),
                Applier.DEFAULT_PARALLELISM);
    }

    /** The aliases to move back: of the functions named (all when none), of the alias named (any when none). */
    private List<Alias> selected(Stack stack, List<String> functions) {
        List<Alias> all = stack.resources(AliasKind.KIND);
        List<Alias> chosen = all.stream()
                .filter(a -> functions.isEmpty() || functions.contains(a.function()))
                .filter(a -> alias == null || a.alias().equals(alias))
                .toList();
        if (chosen.isEmpty()) {
            throw LambdaformException.user("no alias of stack " + stack.name() + " matches"
                    + (functions.isEmpty() ? "" : " function(s) " + String.join(", ", functions))
                    + (alias == null ? "" : " and --alias " + alias)
                    + (all.isEmpty()
                            ? ": it declares none (kind: Alias)"
                            : "; its aliases: "
                                    + String.join(
                                            ", ", all.stream().map(Alias::name).toList())));
        }
        if (to != null && chosen.stream().map(Alias::function).distinct().count() > 1) {
            throw LambdaformException.user(
                    "--to names a version of one function: name the function (and --alias)" + " whose alias to move");
        }
        return chosen;
    }
}
