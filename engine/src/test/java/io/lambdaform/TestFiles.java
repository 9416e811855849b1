package io.lambdaform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Writes test files. */
public final class TestFiles {
    private TestFiles() {}

    public static Path write(Path root, String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the folder {@code from} (an example of manifests/, say) at {@code to}, which must not exist yet. */
    public static Path copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path copied = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copied);
                } else {
                    Files.copy(file, copied);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs git in {@code repo} (as a test user), failing the test when it fails. */
    public static String git(Path repo, String... args) {
        List<String> command = new ArrayList<>(
                List.of("git", "-C", repo.toString(), "-c", "user.name=test", "-c", "user.email=test@example.com"));
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A minimal valid set: stack "app", role "app-role", python function "app" with handler app.handler. */
    public static Path helloSet(Path root) {
        write(root, "stack.yaml", "kind: Stack\nname: app\nspec:\n  region: eu-west-1\n");
        write(
                root,
                "role.yaml",
                "kind: Role\nname: app-role\nspec:\n  managedPolicyArns:\n"
                        + "    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole\n");
        write(
                root,
                "function.yaml",
                "kind: Function\nname: app\nspec:\n  runtime: python3.12\n"
                        + "  handler: app.handler\n  code: src\n  role: app-role\n  timeout: 5\n"
                        + "  environment:\n    MODE: test\n    TOKEN:\n      value: hunter2\n      secret: true\n"
                        + "---\nkind: Payload\nname: ping\nspec:\n  function: app\n  event: {name: Ada}\n"
                        + "  expect:\n    result: {hello: Ada}\n    logContains: saying hello\n");
        write(
                root,
                "src/app.py",
                "def handler(event, context):\n    print('saying hello')\n" + "    return {'hello': event['name']}\n");
        return root;
    }
}
