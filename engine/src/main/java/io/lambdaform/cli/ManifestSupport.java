package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.manifest.CredentialVariables;
import io.lambdaform.manifest.Diagnostic;
import io.lambdaform.manifest.ManifestInputs;
import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.packaging.CodeBuilds;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.packaging.OfflineInspector;
import io.lambdaform.resource.CodeInspector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads manifests for a command and prints their diagnostics; commands that need a valid stack stop there. */
public final class ManifestSupport {
    /**
     * Problems printed at most: a pull request can hold hundreds of thousands, and a log or comment of them all helps
     * nobody (the count is always complete).
     */
    static final int MAX_SHOWN = 1000;

    private final ManifestReader reader;
    private final Console console;
    private final CodePackager packager;
    private final CodeBuilds builds;

    @Inject
    public ManifestSupport(ManifestReader reader, Console console, CodePackager packager, CodeBuilds builds) {
        this.builds = requireNonNull(builds, "builds is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.console = requireNonNull(console, "console is null");
        this.packager = requireNonNull(packager, "packager is null");
    }

    public ManifestSet read(List<Path> paths, InputOptions options) {
        return read(paths, options, CodeInspector.NONE);
    }

    /**
     * Reads the manifests and also reports, at the manifest's {@code code}, what would keep each function's code from
     * being packaged (links leaving the folder, FIFOs, sizes...), without packaging it, and at its {@code handler}
     * what the runtime needs that the code lacks (a Java class or method, a Python function, a Node export, a custom
     * runtime's bootstrap): {@code validate}. Commands that package the code find the packaging problems when they
     * walk it, beside the target's reads, and look no further into it.
     */
    public ManifestSet readInspectingCode(List<Path> paths, InputOptions options) {
        return read(paths, options, new OfflineInspector().once());
    }

    /**
     * Reads the manifests without printing their problems (a command that lists many sets says which are invalid):
     * their sensitive values are registered with the redactor all the same.
     */
    public ManifestSet readQuietly(List<Path> paths, InputOptions options) {
        ManifestSet set = reader.read(paths, inputs(options), CodeInspector.NONE);
        console.redactor().register(set.sensitive());
        return set;
    }

    private ManifestInputs inputs(InputOptions options) {
        return new ManifestInputs(
                Optional.ofNullable(options.environment),
                Optional.ofNullable(options.values),
                Optional.ofNullable(options.sensitiveValues),
                console.environment(),
                Optional.ofNullable(options.root));
    }

    private ManifestSet read(List<Path> paths, InputOptions options, CodeInspector code) {
        ManifestSet set = reader.read(paths, inputs(options), code);
        console.redactor().register(set.sensitive());
        List<Diagnostic> diagnostics = set.diagnostics();
        // Warnings among the problems, in the order of the files: each is read where it is.
        List<Diagnostic> shown = Stream.concat(diagnostics.stream(), set.warnings().stream())
                .sorted(Diagnostic.ORDER)
                .toList();
        shown.stream().limit(MAX_SHOWN).forEach(d -> console.err().println(d.format(set.sensitive())));
        if (shown.size() > MAX_SHOWN) {
            console.err()
                    .println("... and " + (shown.size() - MAX_SHOWN)
                            + (set.warnings().isEmpty() ? " more problem(s)" : " more problem(s) and warning(s)")
                            + " not shown; fix the first " + MAX_SHOWN + " and run again.");
        }
        if (!diagnostics.isEmpty()) {
            console.err().println(diagnostics.size() + " problem(s) found.");
        }
        if (!set.warnings().isEmpty()) {
            console.err().println(set.warnings().size() + " warning(s).");
        }
        return set;
    }

    /** The valid set (its stack is present), or a user error after the diagnostics are printed. */
    public ManifestSet requireValidSet(List<Path> paths, InputOptions options) {
        return requireValid(read(paths, options));
    }

    /**
     * The valid set, as {@link #requireValidSet}; each function's code starts being walked (and its digest looked up
     * in the cache kept between runs) as soon as its manifest is read, beside the reading of the others: for commands
     * that plan the code.
     */
    public ManifestSet requireValidSetPreparingCode(List<Path> paths, InputOptions options, boolean buildsByDefault) {
        Map<CodeSource, String> built = new LinkedHashMap<>();
        CodeInspector prepare = (source, shown) -> {
            if (source.build().isPresent()) {
                built.putIfAbsent(source, shown);
            } else {
                packager.prepareInBackground(source);
            }
            return Optional.empty();
        };
        ManifestSet set = requireValid(read(paths, options, prepare));
        if (!built.isEmpty()) {
            // Only a valid set builds, once its sensitive values are registered; and what a build prints is shown
            // without the values of the caller's credential variables, should a build find and print them.
            console.environment().forEach((name, value) -> {
                if (CredentialVariables.holdsCredential(name) && value.length() >= 4) {
                    console.redactor().register(Sensitive.of(List.of(value)));
                }
            });
            boolean run = options.build != null ? options.build : buildsByDefault;
            built.forEach((source, shown) -> {
                builds.ensureBuilt(source, shown, run, message -> console.err().println(message));
                packager.prepareInBackground(source);
            });
        }
        return set;
    }

    private static ManifestSet requireValid(ManifestSet set) {
        if (set.stack().isEmpty()) {
            throw new ReportedException(set.diagnostics().size());
        }
        return set;
    }

    /** A failure whose details were already printed; the CLI exits 1 without another message. */
    static final class ReportedException extends LambdaformException {
        private static final long serialVersionUID = 1L;

        ReportedException(int problems) {
            super(Category.USER, problems + " problem(s) in the manifests; nothing was done");
        }
    }
}
