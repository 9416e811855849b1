package io.lambdaform.kinds;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.cloud.aws.AwsFunctions;
import io.lambdaform.cloud.aws.AwsRoles;
import io.lambdaform.cloud.local.LocalFunctions;
import io.lambdaform.cloud.local.LocalRoles;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Ports;
import io.lambdaform.resource.ResourceKind;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one list of resource kinds, in creation order, each with its adapter on every target. Everything that
 * enumerates kinds derives from it: schema dispatch and model building, live reads and inventory, planning and prune
 * order, the operation names of the plan format, and the port bindings of each target. docs/extending.md shows how to
 * add one.
 */
public final class Kinds {
    /** A kind and the classes that implement its port on each target. */
    public record Registration<P extends Port<?>>(
            ResourceKind<?, ?, P> kind, Class<? extends P> awsAdapter, Class<? extends P> localAdapter) {}

    private static final List<Registration<?>> REGISTRATIONS = List.of(
            new Registration<>(RoleKind.KIND, AwsRoles.class, LocalRoles.class),
            new Registration<>(FunctionKind.KIND, AwsFunctions.class, LocalFunctions.class));

    /** Every resource kind, in creation order (ascending rank). */
    public static final List<ResourceKind<?, ?, ?>> ALL = REGISTRATIONS.stream()
            .<ResourceKind<?, ?, ?>>map(Registration::kind)
            .toList();

    private Kinds() {}

    /**
     * The kinds as registered, which must be in ascending rank (ties allowed) with distinct labels and manifest
     * names: planning follows this order, while dependencies and sorting follow the ranks.
     */
    static List<ResourceKind<?, ?, ?>> inRankOrder(List<ResourceKind<?, ?, ?>> kinds) {
        Set<String> labels = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < kinds.size(); i++) {
            ResourceKind<?, ?, ?> kind = kinds.get(i);
            if (i > 0 && kind.rank() < kinds.get(i - 1).rank()) {
                throw new IllegalStateException("Kinds must be registered in ascending rank: " + kind.label()
                        + " (rank " + kind.rank() + ") comes after "
                        + kinds.get(i - 1).label() + " (rank "
                        + kinds.get(i - 1).rank() + ")");
            }
            if (!labels.add(kind.label()) || !names.add(kind.manifestName())) {
                throw new IllegalStateException("two kinds are registered as " + kind.label());
            }
        }
        return List.copyOf(kinds);
    }

    public static Optional<ResourceKind<?, ?, ?>> named(String manifestName) {
        return ALL.stream().filter(k -> k.manifestName().equals(manifestName)).findFirst();
    }

    /** Every operation type of every kind, each once, in the order of the kinds. */
    public static List<Operation.Type> operationTypes() {
        LinkedHashSet<Operation.Type> types = new LinkedHashSet<>();
        ALL.forEach(k -> types.addAll(k.operationTypes()));
        return List.copyOf(types);
    }

    /** Binds every kind's port to its AWS adapter, and {@link Ports} to the bound adapters. */
    public static Module awsAdapters() {
        return adapters(Registration::awsAdapter);
    }

    /** Binds every kind's port to its local-cloud adapter, and {@link Ports} to the bound adapters. */
    public static Module localAdapters() {
        return adapters(Registration::localAdapter);
    }

    private static Module adapters(Function<Registration<?>, Class<?>> adapter) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                REGISTRATIONS.forEach(r -> bindPort(r, adapter));
            }

            @Provides
            @Singleton
            Ports ports(Injector injector) {
                return new Ports(injector::getInstance);
            }

            @SuppressWarnings("unchecked")
            private <P extends Port<?>> void bindPort(
                    Registration<P> registration, Function<Registration<?>, Class<?>> adapter) {
                bind(registration.kind().port())
                        .to((Class<? extends P>) adapter.apply(registration))
                        .in(Singleton.class);
            }
        };
    }
}
