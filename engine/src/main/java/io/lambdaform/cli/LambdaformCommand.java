package io.lambdaform.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command. */
@Command(
        name = "lambdaform",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Declarative deployments of AWS Lambda functions, their IAM roles and test payloads.")
public final class LambdaformCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** No command given: the usage, on standard error, and exit 1. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.ERROR;
    }

    /**
     * The subcommands, in the order help lists them. {@link Main} registers only the one a run names (building a
     * command's model costs start-up time), or all of them when none is named.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            InitCommand.class,
            ValidateCommand.class,
            GraphCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DestroyCommand.class,
            RollbackCommand.class,
            InvokeCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            EventsCommand.class,
            ServeCommand.class,
            ImportCommand.class,
            ForceUnlockCommand.class,
            StacksCommand.class,
            CompletionCommand.class);
}
