package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a runtime needs to find in a function's code to run its handler, as the function kind reads it from the
 * runtime and the handler; {@code validate} asks a {@link CodeInspector} whether the code holds it, offline: no class
 * is loaded and no module imported. Each carries the handler as the manifest writes it, for the message.
 */
public sealed interface HandlerNeed {
    /**
     * Lambda's Java runtime loads {@code className} (a binary name, {@code com.example.Hello}) from the package's
     * root or its {@code lib/*.jar} and calls {@code method} on it; the class file must be at most
     * {@code maxClassVersion} (the runtime's Java). With {@code layers}, the class may come from a layer.
     */
    record JavaMethod(
            String handler, String className, String method, int maxClassVersion, String runtime, boolean layers)
            implements HandlerNeed {
        public JavaMethod {
            requireNonNull(handler, "handler is null");
            requireNonNull(className, "className is null");
            requireNonNull(method, "method is null");
            requireNonNull(runtime, "runtime is null");
        }
    }

    /** A custom runtime runs the file {@code name} at the package's root, which must be executable. */
    record Executable(String runtime, String name) implements HandlerNeed {
        public Executable {
            requireNonNull(runtime, "runtime is null");
            requireNonNull(name, "name is null");
        }
    }

    /**
     * Python imports the first of {@code modules} (paths in the package) and takes {@code function}, which the module
     * must define at its top level.
     */
    record PythonFunction(String handler, List<String> modules, String function) implements HandlerNeed {
        public PythonFunction {
            requireNonNull(handler, "handler is null");
            modules = List.copyOf(modules);
            requireNonNull(function, "function is null");
        }
    }

    /** Node loads the first of {@code files} (paths in the package), which must export {@code export}. */
    record NodeExport(String handler, List<String> files, String export) implements HandlerNeed {
        public NodeExport {
            requireNonNull(handler, "handler is null");
            files = List.copyOf(files);
            requireNonNull(export, "export is null");
        }
    }
}
