package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.Interruption;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.cloud.FunctionLogs;
import io.lambdaform.kinds.Kinds;

/** Binds the provider port and the logs port to the embedded local cloud. */
public final class LocalCloudModule extends AbstractModule {
    private final LocalCloudConfig config;
    private final ProgressListener progress;

    public LocalCloudModule(LocalCloudConfig config, ProgressListener progress) {
        this.config = requireNonNull(config, "config is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    @Override
    protected void configure() {
        bind(CloudProvider.class).to(LocalCloud.class);
        bind(ProgressListener.class).toInstance(progress);
        bind(FunctionLogs.class).to(LocalLogs.class).in(Singleton.class);
        install(adapters());
    }

    /** Every kind's port bound to its local adapter ({@code LocalRoles} for {@code Roles}), and {@code Ports}. */
    public static Module adapters() {
        return Kinds.adapters(LocalCloudModule.class, "Local");
    }

    @Provides
    @Singleton
    LocalCloud cloud(Interruption interruption) {
        return new LocalCloud(config, progress, interruption);
    }
}
