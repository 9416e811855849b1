package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.cloud.CloudProvider;

/** Binds the provider port to the embedded local cloud. */
public final class LocalCloudModule extends AbstractModule {
    private final LocalCloudConfig config;

    public LocalCloudModule(LocalCloudConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    @Provides
    @Singleton
    CloudProvider cloud() {
        return new LocalCloud(config);
    }
}
