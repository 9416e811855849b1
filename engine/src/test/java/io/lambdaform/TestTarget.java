package io.lambdaform;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.lambdaform.cloud.CloudProvider;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudModule;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.role.Roles;
import io.lambdaform.resource.Ports;

/** A target as tests drive it: the target-wide provider and the ports of its kinds, bound as the engine binds them. */
public record TestTarget<C extends CloudProvider>(C cloud, Ports ports) {
    public Roles roles() {
        return ports.get(Roles.class);
    }

    public Functions functions() {
        return ports.get(Functions.class);
    }

    /** A local cloud with every kind's local adapter ({@link LocalCloudModule#adapters()}). */
    public static TestTarget<LocalCloud> local(LocalCloud cloud) {
        Injector injector = Guice.createInjector(
                binder -> binder.bind(LocalCloud.class).toInstance(cloud), LocalCloudModule.adapters());
        return new TestTarget<>(cloud, injector.getInstance(Ports.class));
    }

    /** The provider of {@code type} and the ports bound in {@code injector}. */
    public static <C extends CloudProvider> TestTarget<C> of(Injector injector, Class<C> type) {
        return new TestTarget<>(injector.getInstance(type), injector.getInstance(Ports.class));
    }
}
