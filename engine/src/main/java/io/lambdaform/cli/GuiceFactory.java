package io.lambdaform.cli;

import static java.util.Objects.requireNonNull;

import com.google.inject.ConfigurationException;
import com.google.inject.Injector;
import picocli.CommandLine;

/** Creates picocli commands (and their mixins) through Guice, falling back to picocli's own factory. */
final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = requireNonNull(injector, "injector is null");
    }

    /**
     * Lambdaform's own classes come from Guice; anything else picocli asks for (collections, converters) from
     * picocli's factory directly: a type Guice cannot build costs it an error report with suggestions.
     */
    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (!type.getName().startsWith("io.lambdaform.")) {
            return CommandLine.defaultFactory().create(type);
        }
        try {
            return injector.getInstance(type);
        } catch (ConfigurationException e) {
            return CommandLine.defaultFactory().create(type);
        }
    }
}
