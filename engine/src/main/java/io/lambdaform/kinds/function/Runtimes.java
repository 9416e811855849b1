package io.lambdaform.kinds.function;

import io.lambdaform.resource.HandlerNeed;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What each Lambda runtime family expects of a handler string, which source file it names, and what it needs to find
 * in the code to run it ({@link HandlerNeed}).
 */
final class Runtimes {
    private static final Pattern PYTHON =
            Pattern.compile("^([A-Za-z0-9_./-]*[A-Za-z0-9_])\\.([A-Za-z_][A-Za-z0-9_]*)$");
    private static final Pattern NODE =
            Pattern.compile("^([A-Za-z0-9_./-]*[A-Za-z0-9_-])\\.([A-Za-z_$][A-Za-z0-9_$]*)$");
    private static final Pattern RUBY = PYTHON;
    private static final Pattern JAVA =
            Pattern.compile("^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*(::[A-Za-z_$][A-Za-z0-9_$]*)?$");
    private static final Pattern DOTNET = Pattern.compile("^[^:\\s]+::[^:\\s]+::[^:\\s]+$");

    /** The runtimes a function manifest may name: the enum of schemas/function.schema.json (a test holds them equal). */
    static final Set<String> SUPPORTED = Set.of(
            "python3.9",
            "python3.10",
            "python3.11",
            "python3.12",
            "python3.13",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x",
            "java11",
            "java17",
            "java21",
            "java8.al2",
            "dotnet8",
            "ruby3.2",
            "ruby3.3",
            "ruby3.4",
            "provided.al2",
            "provided.al2023");

    /** The newest class file version each Java runtime runs (Java 8: 52, each release one more). */
    private static final Map<String, Integer> CLASS_VERSIONS =
            Map.of("java8.al2", 52, "java11", 55, "java17", 61, "java21", 65);

    /** The method Lambda's Java runtime calls when the handler names only a class (a RequestHandler's). */
    private static final String JAVA_DEFAULT_METHOD = "handleRequest";

    /** The file a custom runtime runs. */
    private static final String BOOTSTRAP = "bootstrap";

    private Runtimes() {}

    /** An error message when the handler does not fit the runtime, or empty. */
    static Optional<String> checkHandler(String runtime, String handler) {
        if (runtime.startsWith("python") && !PYTHON.matcher(handler).matches()) {
            return Optional.of(
                    "handler '" + handler + "' does not fit runtime " + runtime
                            + ": expected 'module.function', for example 'app.handler' for def handler(event, context) in app.py");
        }
        if (runtime.startsWith("nodejs") && !NODE.matcher(handler).matches()) {
            return Optional.of("handler '" + handler + "' does not fit runtime " + runtime
                    + ": expected 'file.export', for example 'index.handler' for exports.handler in index.js");
        }
        if (runtime.startsWith("ruby") && !RUBY.matcher(handler).matches()) {
            return Optional.of("handler '" + handler + "' does not fit runtime " + runtime
                    + ": expected 'file.method', for example 'function.handler'");
        }
        if (runtime.startsWith("java") && !JAVA.matcher(handler).matches()) {
            return Optional.of("handler '" + handler + "' does not fit runtime " + runtime
                    + ": expected 'package.Class::method' or 'package.Class'");
        }
        if (runtime.startsWith("dotnet") && !DOTNET.matcher(handler).matches()) {
            return Optional.of("handler '" + handler + "' does not fit runtime " + runtime
                    + ": expected 'Assembly::Namespace.Class::Method'");
        }
        return Optional.empty();
    }

    /**
     * What the runtime needs to find in the code for this handler, which fits the runtime: a Java class with the
     * method, a custom runtime's executable {@code bootstrap} (unless {@code layers} are declared: one may bring it),
     * a Python module's top-level function, a Node module's export. Empty for runtimes whose code is not looked into.
     */
    static Optional<HandlerNeed> need(String runtime, String handler, boolean layers) {
        if (runtime.startsWith("provided")) {
            return layers ? Optional.empty() : Optional.of(new HandlerNeed.Executable(runtime, BOOTSTRAP));
        }
        if (runtime.startsWith("java") && JAVA.matcher(handler).matches() && CLASS_VERSIONS.containsKey(runtime)) {
            int separator = handler.indexOf("::");
            String className = separator < 0 ? handler : handler.substring(0, separator);
            String method = separator < 0 ? JAVA_DEFAULT_METHOD : handler.substring(separator + 2);
            return Optional.of(new HandlerNeed.JavaMethod(
                    handler, className, method, CLASS_VERSIONS.get(runtime), runtime, layers));
        }
        if (runtime.startsWith("python")) {
            var m = PYTHON.matcher(handler);
            if (m.matches()) {
                return Optional.of(new HandlerNeed.PythonFunction(handler, handlerFiles(runtime, handler), m.group(2)));
            }
        }
        if (runtime.startsWith("nodejs")) {
            var m = NODE.matcher(handler);
            if (m.matches()) {
                return Optional.of(new HandlerNeed.NodeExport(handler, handlerFiles(runtime, handler), m.group(2)));
            }
        }
        return Optional.empty();
    }

    /** The source files (relative, with '/') one of which must be in the package for this handler, if checkable. */
    static List<String> handlerFiles(String runtime, String handler) {
        if (runtime.startsWith("python")) {
            var m = PYTHON.matcher(handler);
            if (m.matches()) {
                String module = m.group(1).replace('.', '/');
                return List.of(module + ".py", module + "/__init__.py");
            }
        }
        if (runtime.startsWith("nodejs")) {
            var m = NODE.matcher(handler);
            if (m.matches()) {
                String file = m.group(1);
                return List.of(file + ".js", file + ".mjs", file + ".cjs");
            }
        }
        return List.of();
    }
}
