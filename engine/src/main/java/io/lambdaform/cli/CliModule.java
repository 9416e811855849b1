package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.Interruption;
import io.lambdaform.manifest.ManifestModule;
import io.lambdaform.packaging.CodeBuilds;
import io.lambdaform.packaging.CodePackager;
import java.nio.file.Path;
import java.util.Optional;

/** The bindings every command shares: the console, the manifest reader and the packager. */
public final class CliModule extends AbstractModule {
    private final Console console;

    private final Interruption interruption;

    public CliModule(Console console) {
        this(console, new Interruption());
    }

    /** @param interruption what SIGINT and SIGTERM request of this run */
    public CliModule(Console console, Interruption interruption) {
        this.console = requireNonNull(console, "console is null");
        this.interruption = requireNonNull(interruption, "interruption is null");
    }

    @Override
    protected void configure() {
        install(new ManifestModule());
        bind(Console.class).toInstance(console);
        bind(Interruption.class).toInstance(interruption);
    }

    /**
     * The packager, with its cache of source digests in $LAMBDAFORM_CACHE_DIR, else $XDG_CACHE_HOME/lambdaform, else
     * ~/.cache/lambdaform (none when none of them is set).
     */
    @Provides
    @Singleton
    CodePackager packager() {
        return cache().map(dir -> new CodePackager(dir.resolve("source-digests")))
                .orElseGet(CodePackager::new);
    }

    /** The code builds, which the command's interruption stops. */
    @Provides
    @Singleton
    CodeBuilds builds() {
        return new CodeBuilds(console.environment(), interruption);
    }

    private Optional<Path> cache() {
        return console.env("LAMBDAFORM_CACHE_DIR")
                .map(Path::of)
                .or(() -> console.env("XDG_CACHE_HOME").map(d -> Path.of(d, "lambdaform")))
                .or(() -> console.env("HOME").map(h -> Path.of(h, ".cache", "lambdaform")));
    }
}
