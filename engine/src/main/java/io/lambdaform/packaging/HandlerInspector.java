package io.lambdaform.packaging;

import io.lambdaform.FuzzyMatcher;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.CodeInspector.Finding;
import io.lambdaform.resource.HandlerNeed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a function's code holds what its handler needs ({@link HandlerNeed}), found offline by reading files, never
 * by loading a class or importing a module: a custom runtime's executable {@code bootstrap}, a Java class and its
 * method ({@link JavaClassPath}), a Python module's top-level function ({@link PythonDefinitions}), a Node module's
 * export ({@link NodeExports}, a warning when it cannot tell). Everything stays inside the code ({@link PackageFiles})
 * and within bounds; what it cannot know, or cannot read, it does not report: packaging reports unreadable files.
 */
final class HandlerInspector {
    /** Superclasses and interfaces looked for, at most, for a Java handler's method. */
    static final int MAX_CLASSES = 32;

    /** The public methods every class has from {@code java.lang.Object}. */
    private static final Set<String> OBJECT_METHODS =
            Set.of("equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait");

    private static final String OBJECT = "java/lang/Object";
    /** Names listed in a message, at most. */
    private static final int MAX_LISTED = 10;

    private HandlerInspector() {}

    /** What {@code source} (named as {@code shown}) lacks of {@code need}; empty when nothing, or when unknown. */
    static Optional<Finding> inspect(CodeSource source, HandlerNeed need, String shown) {
        try (PackageFiles files = PackageFiles.of(source)) {
            if (need instanceof HandlerNeed.Executable executable) {
                return bootstrap(files, executable, source, shown);
            }
            if (need instanceof HandlerNeed.JavaMethod java) {
                return java(files, java, source, shown);
            }
            if (need instanceof HandlerNeed.PythonFunction python) {
                return python(files, python, shown);
            }
            if (need instanceof HandlerNeed.NodeExport node) {
                return node(files, node, shown);
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            // A file that cannot be read, or that defeats a reader: nothing is known. Packaging reads it again, and
            // reports what it cannot read.
            return Optional.empty();
        }
    }

    private static Optional<Finding> bootstrap(
            PackageFiles files, HandlerNeed.Executable need, CodeSource source, String shown) throws IOException {
        String runs = "runtime " + need.runtime() + " runs the package's '" + need.name() + "'";
        Optional<PackageFiles.PackageFile> file = files.find(need.name());
        if (file.isEmpty()) {
            return Optional.of(Finding.problem(runs + ", but code " + shown + " holds no file named " + need.name()
                    + " at its root"
                    + (source.excludes().isEmpty() ? "" : " (or code.exclude leaves it out)")
                    + ": add the executable that starts the runtime (a script or a binary for Amazon Linux), or"
                    + " declare the layer that brings it"));
        }
        if (file.get().executable().orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(Finding.problem(
                source.kind() == CodeSource.Kind.ARCHIVE
                        ? runs + ", but " + need.name() + " is not executable in " + shown + " (its entry's mode has"
                                + " no execute bit): chmod +x " + need.name() + " and zip it again"
                        : runs + ", but " + need.name() + " is not executable: chmod +x " + need.name()));
    }

    private static Optional<Finding> java(
            PackageFiles files, HandlerNeed.JavaMethod need, CodeSource source, String shown) throws IOException {
        JavaClassPath classes = new JavaClassPath(files);
        String className = need.className();
        JavaClassPath.Lookup handler = classes.find(className.replace('.', '/'));
        switch (handler.status()) {
            case UNKNOWN:
                return Optional.empty();
            case ABSENT:
                return need.layers()
                        ? Optional.empty()
                        : Optional.of(Finding.problem(notInPackage(className, classes, source, shown)));
            case UNREADABLE:
                return Optional.of(Finding.problem("class " + className + " is in the package (" + handler.where()
                        + ") but cannot be read: " + handler.reason() + "; build the package again"));
            default:
                break;
        }
        JavaClassFile found = handler.file().orElseThrow();
        if (found.majorVersion() > need.maxClassVersion()) {
            int java = javaRelease(found.majorVersion());
            return Optional.of(Finding.problem(String.format(
                    "class %s is compiled for Java %d (class file version %d), but runtime %s runs Java %d:"
                            + " compile for Java %d (javac --release %d, or the build's release setting), or choose"
                            + " a runtime of Java %d or later",
                    className,
                    java,
                    found.majorVersion(),
                    need.runtime(),
                    javaRelease(need.maxClassVersion()),
                    javaRelease(need.maxClassVersion()),
                    javaRelease(need.maxClassVersion()),
                    java)));
        }
        if (hasMethod(classes, found, need.method())) {
            return Optional.empty();
        }
        List<String> declared = found.methodNames();
        String named = need.handler().contains("::")
                ? "handler '" + need.handler() + "' names method " + need.method()
                : "handler '" + need.handler() + "' names no method, so Lambda calls " + need.method();
        return Optional.of(Finding.problem(named + ", but class " + className + " has no method '" + need.method()
                + "' (it declares: " + listed(declared, "no method") + ")"
                + FuzzyMatcher.suggestion(need.method(), declared)
                + (need.handler().contains("::")
                        ? ""
                        : ": implement RequestHandler or RequestStreamHandler, or name the method (Class::method)")));
    }

    /**
     * Whether the class, a superclass or an interface of it in the package has the method; true as well when that
     * cannot be known (a superclass outside the package: a library's).
     */
    private static boolean hasMethod(JavaClassPath classes, JavaClassFile handler, String method) {
        Deque<String> interfaces = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        JavaClassFile current = handler;
        while (true) {
            if (current.methods().contains(method)) {
                return true;
            }
            interfaces.addAll(current.interfaces());
            Optional<String> superName = current.superName();
            if (superName.isEmpty() || superName.get().equals(OBJECT)) {
                if (OBJECT_METHODS.contains(method)) {
                    return true;
                }
                break;
            }
            if (seen.size() >= MAX_CLASSES || !seen.add(superName.get())) {
                return true;
            }
            JavaClassPath.Lookup lookup = classes.find(superName.get());
            if (lookup.status() != JavaClassPath.Status.FOUND) {
                return true; // the chain leaves the package, or cannot be read: the method may be there
            }
            current = lookup.file().orElseThrow();
        }
        // A default method of an interface the package holds (one it does not hold is taken to have none).
        while (!interfaces.isEmpty() && seen.size() < MAX_CLASSES) {
            String name = interfaces.pop();
            if (!seen.add(name)) {
                continue;
            }
            JavaClassPath.Lookup lookup = classes.find(name);
            if (lookup.status() == JavaClassPath.Status.FOUND) {
                JavaClassFile type = lookup.file().orElseThrow();
                if (type.methods().contains(method)) {
                    return true;
                }
                interfaces.addAll(type.interfaces());
            }
        }
        return !interfaces.isEmpty();
    }

    private static String notInPackage(String className, JavaClassPath classes, CodeSource source, String shown) {
        String file = className.replace('.', '/') + ".class";
        String jars =
                classes.jarCount() == 0 ? "none" : classes.jarCount() == 1 ? "1 jar" : classes.jarCount() + " jars";
        String where = source.kind() == CodeSource.Kind.FOLDER
                ? "looked in the folder's classes (" + file + " in " + shown + ") and in lib/*.jar (" + jars + ")"
                : "looked in the classes of " + shown + " (" + file + " at its root) and in its lib/*.jar (" + jars
                        + ")";
        String unreadable = classes.unreadableJars().entrySet().stream()
                .map(e -> e.getKey() + " could not be read (" + e.getValue() + ")")
                .collect(Collectors.joining("; "));
        return "class " + className + " is not in the package: " + where
                + (unreadable.isEmpty() ? "" : "; " + unreadable)
                + ". Check the handler's package and class name, and that code names the build's output (the"
                + " classes folder, or the jar or zip the build makes)";
    }

    private static int javaRelease(int classVersion) {
        return classVersion - 44;
    }

    private static Optional<Finding> python(PackageFiles files, HandlerNeed.PythonFunction need, String shown)
            throws IOException {
        Optional<Module> module = module(files, need.modules(), PythonDefinitions.MAX_BYTES);
        if (module.isEmpty()) {
            return Optional.of(missingModule(need.handler(), need.modules(), shown));
        }
        PythonDefinitions definitions = PythonDefinitions.scan(module.get().text());
        if (definitions.defines(need.function()) || definitions.unknowable().isPresent()) {
            return Optional.empty();
        }
        List<String> functions = definitions.functions();
        return Optional.of(Finding.problem("handler '" + need.handler() + "' names function " + need.function()
                + ", but " + module.get().name() + " defines no top-level '" + need.function() + "' ("
                + (functions.isEmpty()
                        ? "it defines no function at its top level"
                        : "it defines: " + listed(functions, ""))
                + ")" + FuzzyMatcher.suggestion(need.function(), definitions.names())));
    }

    private static Optional<Finding> node(PackageFiles files, HandlerNeed.NodeExport need, String shown)
            throws IOException {
        Optional<Module> module = module(files, need.files(), NodeExports.MAX_BYTES);
        if (module.isEmpty()) {
            return Optional.of(missingModule(need.handler(), need.files(), shown));
        }
        NodeExports exports = NodeExports.scan(module.get().text());
        if (exports.exports(need.export())) {
            return Optional.empty();
        }
        String name = module.get().name();
        if (exports.unsure().isPresent()) {
            return Optional.of(Finding.warning("handler '" + need.handler() + "' names export " + need.export()
                    + ", which " + name + " may not export: " + exports.unsure().get()
                    + ", so what it exports is known only when it runs"));
        }
        return Optional.of(Finding.problem("handler '" + need.handler() + "' names export " + need.export() + ", but "
                + name + " exports no '" + need.export() + "' ("
                + (exports.names().isEmpty()
                        ? "it exports nothing"
                        : "it exports: " + listed(new TreeSet<>(exports.names()), ""))
                + ")" + FuzzyMatcher.suggestion(need.export(), exports.names())));
    }

    /** A module's name in the package and its text. */
    private record Module(String name, String text) {}

    /**
     * The first of {@code candidates} the package holds, read; empty when none is there. A module over {@code limit}
     * bytes is not read ({@link BeyondBounds}).
     */
    private static Optional<Module> module(PackageFiles files, List<String> candidates, int limit) throws IOException {
        for (String candidate : candidates) {
            Optional<PackageFiles.PackageFile> file = files.find(candidate);
            if (file.isPresent()) {
                return Optional.of(new Module(candidate, new String(file.get().read(limit), StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    /** The module a handler names is not in the package (in a folder, the function kind finds it before). */
    private static Finding missingModule(String handler, List<String> candidates, String shown) {
        return Finding.problem("handler '" + handler + "' needs " + candidates.get(0) + " in the code, but " + shown
                + " has no such file");
    }

    /** The names in their order, at most {@value #MAX_LISTED} of them. */
    private static String listed(Collection<String> names, String none) {
        if (names.isEmpty()) {
            return none;
        }
        List<String> all = List.copyOf(names);
        String shown = String.join(", ", all.subList(0, Math.min(MAX_LISTED, all.size())));
        return all.size() > MAX_LISTED ? shown + " and " + (all.size() - MAX_LISTED) + " more" : shown;
    }
}
