package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.PathWords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lambdaform init [FOLDER] [--name NAME] [--runtime python|node]}: a new manifest set in an empty folder: a
 * stack, its execution role, a function with its code and a payload that passes, ready to apply on the local cloud.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Write a new manifest set (a stack, a role, a function and a payload) into an empty folder.")
public final class InitCommand implements Callable<Integer> {
    /** The runtimes a new set can start from. */
    enum Template {
        python,
        node
    }

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,39}$");

    @Parameters(
            arity = "0..1",
            defaultValue = ".",
            paramLabel = "FOLDER",
            description = "An empty or missing folder (default: the current folder).")
    Path folder;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The stack's name, and its function's (default: the folder's name).")
    String name;

    @Option(
            names = "--runtime",
            paramLabel = "python|node",
            defaultValue = "python",
            description = "The function's runtime: python (python3.12, default) or node (nodejs20.x).")
    Template runtime = Template.python;

    private final Console console;

    @Inject
    public InitCommand(Console console) {
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public Integer call() {
        Path target = folder.toAbsolutePath().normalize();
        String stack = name != null
                ? name
                : target.getFileName() == null
                        ? ""
                        : target.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(stack).matches()) {
            throw LambdaformException.user(
                    (name != null ? "--name '" : "the folder's name '") + PathWords.shortened(stack)
                            + "' is not a stack name Lambdaform can start from (a lowercase letter, then up to 39 lowercase"
                            + " letters, digits and dashes): give one with --name");
        }
        requireEmpty(target);
        Map<String, String> files = files(stack, runtime);
        try {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = target.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
        } catch (IOException e) {
            throw LambdaformException.user("could not write the new manifest set into "
                    + PathWords.shortened(folder.toString()) + ": " + PathWords.reason(e));
        }
        String shown = folder.toString();
        console.out().println("Wrote stack " + stack + " (" + runtime + ") into " + PathWords.shortened(shown) + ":");
        files.keySet().forEach(f -> console.out().println("  " + f));
        console.out().println("Next:");
        console.out().println("  lambdaform validate " + shown);
        console.out().println("  lambdaform apply " + shown + " --auto-approve");
        console.out().println("  lambdaform invoke " + shown);
        return ExitCodes.OK;
    }

    private void requireEmpty(Path target) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw LambdaformException.user(PathWords.shortened(folder.toString()) + " is not a folder");
        }
        try (Stream<Path> entries = Files.list(target)) {
            List<String> present = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".git"))
                    .sorted()
                    .limit(5)
                    .toList();
            if (!present.isEmpty()) {
                throw LambdaformException.user(PathWords.shortened(folder.toString()) + " is not empty (it holds "
                        + String.join(", ", present) + "): init writes a new set into an empty folder only, and"
                        + " overwrites nothing");
            }
        } catch (IOException e) {
            throw LambdaformException.user(
                    "cannot list " + PathWords.shortened(folder.toString()) + ": " + PathWords.reason(e));
        }
    }

    /** The files of a new set, by path in the folder. */
    static Map<String, String> files(String stack, Template runtime) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("stack.yaml", """
                # The stack: what every resource below is tagged with (lambdaform:stack=STACK), and where it deploys.
                kind: Stack
                name: STACK
                spec:
                  region: us-east-1
                ---
                # The function's execution role: Lambda may assume it, and it may write logs.
                kind: Role
                name: STACK-fn
                spec:
                  trustedServices: [lambda.amazonaws.com]
                  managedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
                """.replace("STACK", stack));
        boolean python = runtime == Template.python;
        files.put("function.yaml", """
                kind: Function
                name: STACK
                spec:
                  runtime: RUNTIME
                  handler: HANDLER
                  code: src
                  role: STACK-fn
                  timeout: 5
                ---
                # A payload: 'lambdaform invoke' runs it and checks the answer.
                kind: Payload
                name: greet
                spec:
                  function: STACK
                  event: {name: Ada}
                  expect:
                    result: {message: Hello Ada!}
                """.replace("STACK", stack)
                .replace("RUNTIME", python ? "python3.12" : "nodejs20.x")
                .replace("HANDLER", python ? "app.handler" : "index.handler"));
        if (python) {
            files.put("src/app.py", """
                    def handler(event, context):
                        return {"message": f"Hello {event.get('name', 'world')}!"}
                    """);
        } else {
            files.put("src/index.mjs", """
                    export const handler = async (event) => ({ message: `Hello ${event.name ?? "world"}!` });
                    """);
        }
        return files;
    }
}
