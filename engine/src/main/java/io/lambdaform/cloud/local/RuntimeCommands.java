package io.lambdaform.cloud.local;

import io.lambdaform.LambdaformException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What starts a function's runtime on this machine, for each runtime family Lambda offers that can run here: Python
 * and Node.js through Lambdaform's runtime clients, Java through its Java runtime client on a JDK, and custom
 * runtimes ({@code provided.*}) through the package's own {@code bootstrap}. Each finds the interpreter of the
 * version the function declares ({@code python3.12} on the PATH for a {@code python3.12} function) and, where only
 * another one exists, says which one it used.
 */
final class RuntimeCommands {
    private static final Pattern PYTHON = Pattern.compile("^python(\\d+\\.\\d+)$");
    private static final Pattern NODE = Pattern.compile("^nodejs(\\d+)\\.x$");
    private static final Pattern JAVA = Pattern.compile("^java(\\d+)(\\.al2)?$");
    /** Interpreters asked once per command and path (a PATH shim such as pyenv's needs the host's environment). */
    private static final Map<String, Optional<Found>> ASKED = new ConcurrentHashMap<>();

    private final LocalCloudConfig config;

    RuntimeCommands(LocalCloudConfig config) {
        this.config = config;
    }

    /**
     * How to start a runtime for {@code runtime}; a user error for a runtime that cannot run here (Ruby, .NET, a
     * container image).
     */
    Launch launch(String runtime, Function<String, Path> script) {
        Matcher python = PYTHON.matcher(runtime);
        if (python.matches()) {
            Found found =
                    interpreter(Family.PYTHON, config.python(), "python" + python.group(1), python.group(1), runtime);
            return new Launch(
                    found,
                    (bootstrap, opt, tmp) -> List.of(
                            found.executable().toString(),
                            script.apply("python_bootstrap.py").toString()));
        }
        Matcher node = NODE.matcher(runtime);
        if (node.matches()) {
            Found found = interpreter(Family.NODE, config.node(), "node" + node.group(1), node.group(1), runtime);
            return new Launch(
                    found,
                    (bootstrap, opt, tmp) -> List.of(
                            found.executable().toString(),
                            script.apply("node_bootstrap.mjs").toString()));
        }
        Matcher java = JAVA.matcher(runtime);
        if (java.matches()) {
            Found found = java(java.group(1));
            return new Launch(found, (bootstrap, opt, tmp) -> javaCommand(found.executable(), opt, tmp));
        }
        if (runtime.startsWith("provided")) {
            Found found = new Found(Path.of("bootstrap"), "", Optional.empty());
            return new Launch(found, (bootstrap, opt, tmp) -> List.of(bootstrap.toString()));
        }
        throw LambdaformException.user(
                "the local cloud runs python, nodejs, java and provided (custom runtime)" + " functions; runtime "
                        + runtime + " can be deployed to it but not invoked. Invoke it on --target aws");
    }

    /** The Python that runs the sandbox launcher on Linux, whatever the function's runtime. */
    Path launcherPython() {
        return ASKED.computeIfAbsent(Family.PYTHON + "\0" + config.python(), key -> Family.PYTHON.ask(config.python()))
                .map(Found::executable)
                .orElseThrow(() -> LambdaformException.user("cannot run '" + config.python()
                        + "', which starts every local invocation on Linux; " + Family.PYTHON.install));
    }

    /** The interpreter a Python or Node.js function runs on; the declared version's own command first. */
    private Found interpreter(Family family, String configured, String versioned, String wanted, String runtime) {
        boolean chosen = !configured.equals(family.defaultCommand);
        // The configured command first: when it is of the declared version, no other is asked for.
        List<String> commands = chosen ? List.of(configured) : List.of(configured, versioned);
        Optional<Found> fallback = Optional.empty();
        for (String command : commands) {
            Optional<Found> found = ASKED.computeIfAbsent(family + "\0" + command, key -> family.ask(command));
            if (found.isPresent() && matches(found.get(), wanted)) {
                return found.get();
            }
            fallback = fallback.or(() -> found);
        }
        Found f = fallback.orElseThrow(() -> LambdaformException.user(
                "cannot run '" + configured + "' to invoke a " + runtime + " function locally; " + family.install));
        return f.withNote(runtime + " ran on " + family.display + " " + f.version() + " (" + f.executable() + "): "
                + (chosen
                        ? family.variable + " names that one"
                        : "no " + versioned + " found on PATH; install it or point " + family.variable + " at one"));
    }

    private static boolean matches(Found found, String wanted) {
        return found.version().startsWith(wanted + ".") || found.version().equals(wanted);
    }

    /** The JDK that runs the engine runs Java functions: its version is what the function gets. */
    private static Found java(String wanted) {
        Path executable = Path.of(System.getProperty("java.home"), "bin", "java");
        String version = String.valueOf(Runtime.version().feature());
        Found found = new Found(executable, version, Optional.empty());
        if (version.equals(wanted)) {
            return found;
        }
        return found.withNote("java" + wanted + " ran on Java " + Runtime.version() + " (" + executable
                + "), the JDK that runs Lambdaform");
    }

    /**
     * The Java runtime client on the engine's own class path (it needs Jackson, nothing else of the engine; the
     * handler's classes load apart from it), started as Lambda starts its Java runtime: the client compiler only, and
     * class data sharing.
     */
    private static List<String> javaCommand(Path java, Optional<Path> opt, Path tmp) {
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                // The JVM takes its home from the password database and its temporary folder from its own default:
                // the environment's tmp folder, as HOME and TMPDIR say, so no host ~/.aws is read.
                "-Duser.home=" + tmp,
                "-Djava.io.tmpdir=" + tmp));
        // Where the layers are (Lambda's /opt), for their java/lib/*.jar: a property, not a variable the handler sees.
        opt.ifPresent(o -> command.add("-Dlambdaform.opt=" + o));
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), "io.lambdaform.runtime.JavaRuntimeClient"));
        return command;
    }

    /**
     * How to start one runtime: its interpreter, and its command given the custom runtime's bootstrap (the package's
     * or a layer's), the folder of the layers, if any, and the environment's tmp folder.
     */
    record Launch(Found interpreter, Command command) {}

    /** A runtime's command line, given its environment's folders. */
    @FunctionalInterface
    interface Command {
        List<String> of(Path bootstrap, Optional<Path> opt, Path tmp);
    }

    /** An interpreter found on this machine, its version, and what to tell the user about it. */
    record Found(Path executable, String version, Optional<String> note) {
        Found withNote(String text) {
            return new Found(executable, version, Optional.of(text));
        }
    }

    private enum Family {
        PYTHON(
                "python3",
                "Python",
                "LAMBDAFORM_PYTHON",
                "install Python 3 (for example 'apt-get install python3') and make sure it is on PATH, or point"
                        + " LAMBDAFORM_PYTHON at it",
                "-c",
                "import sys; sys.stdout.write(sys.executable + '\\n' + '%d.%d.%d' % sys.version_info[:3])"),
        NODE(
                "node",
                "Node.js",
                "LAMBDAFORM_NODE",
                "install Node.js 18 or newer (for example 'apt-get install nodejs') and make sure it is on PATH, or"
                        + " point LAMBDAFORM_NODE at it",
                "-e",
                "process.stdout.write(process.execPath + '\\n' + process.versions.node)");

        private final String defaultCommand;
        private final String display;
        private final String variable;
        private final String install;
        private final List<String> printExecutable;

        Family(String defaultCommand, String display, String variable, String install, String... printExecutable) {
            this.defaultCommand = defaultCommand;
            this.display = display;
            this.variable = variable;
            this.install = install;
            this.printExecutable = List.of(printExecutable);
        }

        /** Asks the interpreter for its executable's path and version; empty if it cannot be run or does not answer. */
        Optional<Found> ask(String command) {
            if (!command.contains(File.separator) && !onPath(command)) {
                return Optional.empty();
            }
            List<String> ask = new ArrayList<>(List.of(command));
            ask.addAll(printExecutable);
            try {
                Process process = new ProcessBuilder(ask)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                process.getOutputStream().close();
                byte[] answer = process.getInputStream().readNBytes(16 * 1024);
                if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    return Optional.empty();
                }
                String[] lines =
                        new String(answer, StandardCharsets.UTF_8).strip().split("\n");
                if (lines.length != 2) {
                    return Optional.empty();
                }
                Path executable = Path.of(lines[0].strip());
                return executable.isAbsolute() && Files.isExecutable(executable)
                        ? Optional.of(new Found(executable, lines[1].strip(), Optional.empty()))
                        : Optional.empty();
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Whether a command name is found in one of the PATH's folders (saves starting one that is not there). */
    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty()
                    && Files.isExecutable(Path.of(folder).resolve(command))
                    && !Files.isDirectory(Path.of(folder).resolve(command), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return command.toLowerCase(Locale.ROOT).endsWith(".exe");
    }
}
