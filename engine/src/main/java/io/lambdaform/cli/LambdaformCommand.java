package io.lambdaform.cli;

import picocli.CommandLine.Command;

/** The root command. */
@Command(
        name = "lambdaform",
        mixinStandardHelpOptions = true,
        version = "lambdaform 0.1.0",
        description = "Declarative deployments of AWS Lambda functions, their IAM roles and test payloads.",
        subcommands = {
            ValidateCommand.class,
            PlanCommand.class,
            ApplyCommand.class,
            DestroyCommand.class,
            InvokeCommand.class,
            ForceUnlockCommand.class
        })
public final class LambdaformCommand {}
