package io.lambdaform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
