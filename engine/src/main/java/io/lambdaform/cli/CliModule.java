package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.lambdaform.Interruption;
import io.lambdaform.manifest.ManifestModule;
import io.lambdaform.packaging.CodePackager;

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
        bind(CodePackager.class).in(Singleton.class);
    }
}
