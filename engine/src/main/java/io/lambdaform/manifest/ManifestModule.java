package io.lambdaform.manifest;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;

/** Binds the manifest reader and its YAML and schema layers. */
public final class ManifestModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(YamlReader.class).in(Singleton.class);
        bind(SchemaValidator.class).in(Singleton.class);
        bind(ManifestReader.class).in(Singleton.class);
    }
}
