package io.lambdaform.kinds;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.kinds.bucket.BucketKind;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.layer.LayerKind;
import io.lambdaform.kinds.loggroup.LogGroupKind;
import io.lambdaform.kinds.queue.QueueKind;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.kinds.topic.TopicKind;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Ports;
import io.lambdaform.resource.ResourceKind;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one list of resource kinds, in creation order. Everything that enumerates kinds derives from it: schema dispatch
 * and model building, live reads and inventory, planning and prune order, the operation names of the plan format (and
 * the enumerations of {@code schemas/}, written from it during the build), and the port bindings of each
 * target, whose adapters are found by name ({@link #adapters}). docs/extending.md shows how to add one.
 */
public final class Kinds {
    /** Every resource kind, in creation order (ascending rank); refused at load when out of order. */
    public static final List<ResourceKind<?, ?, ?>> ALL = inRankOrder(List.of(
            RoleKind.KIND,
            BucketKind.KIND,
            QueueKind.KIND,
            TopicKind.KIND,
            LayerKind.KIND,
            LogGroupKind.KIND,
            FunctionKind.KIND,
            AliasKind.KIND,
            TriggerKind.KIND));

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

    /**
     * Binds every kind's port to a target's adapter, and {@link Ports} to them. The adapter of a port is found by
     * name: in the package of {@code target} (the target's module), the class {@code prefix} followed by the port's
     * name ({@code AwsFunctions} for {@code Functions}), so that a new kind's adapters need no registration. A kind
     * without one fails the target's start-up, naming the class it looked for.
     */
    public static Module adapters(Class<? extends Module> target, String prefix) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                ALL.forEach(kind -> bindPort(kind.port()));
            }

            private <P extends Port<?>> void bindPort(Class<P> port) {
                String name = target.getPackageName() + "." + prefix + port.getSimpleName();
                Class<?> adapter;
                try {
                    adapter = Class.forName(name, false, target.getClassLoader());
                } catch (ClassNotFoundException e) {
                    addError("no adapter of the port " + port.getSimpleName() + " for " + target.getSimpleName()
                            + ": expected a class " + name + " implementing it");
                    return;
                }
                if (!port.isAssignableFrom(adapter)) {
                    addError(name + " does not implement the port " + port.getName());
                    return;
                }
                bind(port).to(adapter.asSubclass(port)).in(Singleton.class);
            }

            @Provides
            @Singleton
            Ports ports(Injector injector) {
                return new Ports(injector::getInstance);
            }
        };
    }
}
