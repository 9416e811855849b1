package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.aws.AwsConfig;
import io.lambdaform.importer.ImportRequest;
import io.lambdaform.importer.ImportResult;
import io.lambdaform.manifest.RepositoryRoot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lambdaform import --function NAME --out DIR}: writes manifests for functions that exist on the target (and
 * their roles), so that a plan with {@code --adopt} only tags them. It changes nothing on the target.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Write manifests for functions that exist on the target, with their roles and code, for"
                + " 'plan --adopt'. Reads the target; changes nothing there.")
public final class ImportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TargetOptions target;

    @Option(
            names = "--function",
            paramLabel = "NAME",
            required = true,
            description = "A function to import (repeat for several); its execution role comes with it.")
    List<String> functions = new ArrayList<>();

    @Option(
            names = "--out",
            paramLabel = "DIR",
            required = true,
            description = "The folder to write the manifests and the code into (created when missing).")
    Path out;

    @Option(
            names = "--stack",
            paramLabel = "NAME",
            description = "The Stack's name; default: the name of the --out folder.")
    String stack;

    @Option(
            names = "--code",
            paramLabel = "NAME=FILE",
            description = "The zip function NAME was created from, when the target does not serve its code"
                    + " (emulators); it must be the package the function runs, and is written as DIR/NAME.zip.")
    Map<String, Path> code = new TreeMap<>();

    @Option(names = "--force", description = "Replace files and code folders that exist in DIR.")
    boolean force;

    private final Engine engine;
    private final Console console;

    @Inject
    public ImportCommand(Engine engine, Console console) {
        this.engine = requireNonNull(engine, "engine is null");
        this.console = requireNonNull(console, "console is null");
    }

    /** A function's name as Lambda names it; ARNs and qualified names would name files and adoptions wrongly. */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Override
    public Integer call() {
        for (String function : functions) {
            if (!FUNCTION_NAME.matcher(function).matches()) {
                throw LambdaformException.user("--function " + function + ": give the function's name (letters,"
                        + " digits, - and _, at most 64), not an ARN or a name with a version or alias");
            }
        }
        // The local cloud's state is the one the written manifests will find: beside them, as for every command.
        Engine.Target connected = engine.connect(
                target, RepositoryRoot.ofFolder(out), Optional.empty(), new ProgressRouter(console.err()));
        ImportResult result;
        try {
            result = connected
                    .importer()
                    .run(
                            new ImportRequest(
                                    new TreeSet<>(functions),
                                    out,
                                    Optional.ofNullable(stack),
                                    new TreeMap<>(code),
                                    force),
                            console.redactor()::register);
        } finally {
            connected.cloud().usage(common.debug).ifPresent(console.err()::println);
        }
        console.redactor().register(result.sensitive());
        report(result);
        return ExitCodes.OK;
    }

    private void report(ImportResult result) {
        PrintWriter printed = console.out();
        printed.println("Imported " + result.functions().size() + " function(s) and "
                + result.roles().size() + " role(s) from target " + result.target() + " as stack " + result.stack()
                + ":");
        for (Path path : result.written()) {
            printed.println("  " + out.resolve(path.getFileName()));
        }
        for (String note : result.notes()) {
            printed.println("note: " + note);
        }
        String valuesOption = "";
        if (!result.secrets().isEmpty()) {
            printed.println();
            printed.println("These environment variables look secret; their values were not written:");
            for (ImportResult.Secret secret : result.secrets()) {
                printed.println("  function " + secret.function() + ", " + secret.key() + " (" + secret.reason()
                        + "): read from the sensitive variable " + secret.variable());
            }
            printed.println("Give their values in a sensitive-values file kept out of git (add it to .gitignore),"
                    + " one line each:");
            for (ImportResult.Secret secret : result.secrets()) {
                printed.println("  " + secret.variable() + ": <the value of " + secret.key() + ">");
            }
            printed.println("and pass it to plan and apply with --sensitive-values FILE.");
            valuesOption = " --sensitive-values FILE";
        }
        // Functions first, as they were listed; then their roles.
        List<String> adopt = new ArrayList<>();
        result.functions().stream().filter(result.adopt()::contains).forEach(f -> adopt.add("--adopt " + f));
        result.roles().stream().filter(result.adopt()::contains).forEach(r -> adopt.add("--adopt " + r));
        String arguments =
                out + (adopt.isEmpty() ? "" : " " + String.join(" ", adopt)) + valuesOption + targetOptions();
        printed.println();
        if (adopt.isEmpty()) {
            printed.println(
                    "Next, plan them: they already belong to stack " + result.stack() + ", so nothing needs --adopt:");
            printed.println("  lambdaform plan " + arguments);
            return;
        }
        printed.println("Next, take them over (a plan that only adds tags):");
        printed.println("  lambdaform plan " + arguments);
        printed.println("  lambdaform apply " + arguments);
    }

    /** The options that name this target again, for the commands to run next. */
    private String targetOptions() {
        StringBuilder options = new StringBuilder();
        if (target.target == TargetOptions.Target.aws) {
            options.append(" --target aws");
            if (target.profile != null) {
                options.append(" --profile ").append(target.profile);
            }
            if (target.endpointUrl != null) {
                // Never a user and password or a query written in it: the printed commands leave them out.
                options.append(" --endpoint-url ").append(AwsConfig.shown(target.endpointUrl));
            }
        } else {
            // The state the function was read from: outside git, the written folder alone would find another.
            options.append(" --state-dir ")
                    .append(target.stateDir(RepositoryRoot.ofFolder(out), console.environment()));
        }
        target.region().ifPresent(r -> options.append(" --region ").append(r));
        return options.toString();
    }
}
