package io.lambdaform.kinds.alias;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.LambdaformException;
import io.lambdaform.diff.FieldChange;
import io.lambdaform.kinds.function.Expectations;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionState;
import io.lambdaform.kinds.function.FunctionVersion;
import io.lambdaform.kinds.function.Functions;
import io.lambdaform.kinds.function.Invocation;
import io.lambdaform.kinds.function.InvocationResult;
import io.lambdaform.model.Payload;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.AbstractResourceKind;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.Arn;
import io.lambdaform.resource.Fingerprints;
import io.lambdaform.resource.Link;
import io.lambdaform.resource.Note;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Aliases of functions that publish versions: read from {@code kind: Alias} documents, each following its function's
 * newest release (or pinned to a version), moved once the function's payloads pass against the new version when it
 * is gated, with an optional canary share; created after their function's operations (its version published) and
 * deleted before them. A version is found by what it holds ({@link FunctionKind#release}), so that manifests that come
 * back to an earlier state move the alias back to the version that holds it, publishing nothing.
 */
public final class AliasKind extends AbstractResourceKind<Alias, Aliases.State, Aliases> {
    public static final AliasKind KIND = new AliasKind();

    /** Each function's payloads, in name order: what a gate runs. */
    private static final PlanBuilder.Index<Map<String, List<Payload>>> PAYLOADS = new PlanBuilder.Index<>(
            "payloads by function",
            stack -> stack.payloads().stream().collect(Collectors.groupingBy(Payload::function)));

    /** How a route names the version the apply publishes, whose number is known only then. */
    static final String PUBLISHED = "(new)";

    private AliasKind() {
        super("Alias", 2, Alias.class, Aliases.class, AliasOperation.class);
    }

    public static ResourceKey key(String name) {
        return new ResourceKey(KIND, name);
    }

    @Override
    public Link.Shape shape() {
        return Link.Shape.STADIUM;
    }

    @Override
    public List<Link> links(Alias desired) {
        return List.of(new Link(
                new Link.Declared(key(desired.name())),
                new Link.Declared(FunctionKind.key(desired.function())),
                "routes to"));
    }

    /** {@code arn:aws:lambda:us-east-1:123456789012:function:name:alias}, the alias's name not a version's number. */
    @Override
    public Optional<String> nameIn(Arn arn) {
        return arn.named("lambda", "function:")
                .filter(name ->
                        name.indexOf(':') > 0 && FunctionKind.qualifierIsAlias(name.substring(name.indexOf(':') + 1)));
    }

    @Override
    public String resourceName(String documentName, JsonNode spec) {
        return spec.path("function").isTextual()
                ? Alias.name(spec.get("function").asText(), documentName)
                : documentName;
    }

    // Reading

    @Override
    public Optional<Alias> read(ReadContext document) {
        int before = document.problemCount();
        JsonNode spec = document.spec();
        String function = spec.path("function").asText();
        String alias = Alias.aliasOf(document.name());
        if (spec.path("function").isTextual()) {
            Optional<JsonNode> declared = document.declaredSpec(FunctionKind.KIND.manifestName(), function);
            if (declared.isEmpty()) {
                document.problemAt(
                        "/spec/function",
                        "function '" + document.sensitive().mask(function) + "' is not a Function of this manifest set"
                                + document.suggestion(function, document.declared(FunctionKind.KIND.manifestName())));
            } else if (!FunctionKind.publishes(declared.get())) {
                document.problemAt(
                        "/spec/function",
                        "function '" + function + "' does not publish versions, which an alias routes to: add"
                                + " 'publish: true' to its spec");
            }
        }
        Optional<String> version =
                Specs.integer(document, "/spec/version", 1, Integer.MAX_VALUE).map(String::valueOf);
        boolean gated = Specs.oneOf(document, "/spec/gate", List.of("payloads", "none"))
                .filter("payloads"::equals)
                .isPresent();
        Optional<Double> weight = spec.path("canary").path("weight").isNumber()
                ? Optional.of(spec.path("canary").path("weight").doubleValue())
                : Optional.empty();
        if (version.isPresent() && weight.isPresent()) {
            document.problemAt(
                    "/spec/canary",
                    "an alias pinned to a version has no new version to send a canary share to: remove 'canary' or"
                            + " 'version'");
        }
        Optional<Integer> provisioned = Specs.integer(document, "/spec/provisionedConcurrency", 0, 1_000_000);
        provisioned.filter(p -> p > 0).ifPresent(p -> checkWithinReservation(document, function));
        if (document.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Alias(function, alias, version, gated, weight, provisioned));
    }

    /**
     * Lambda refuses provisioned concurrency beyond the function's reserved concurrency: the aliases of a function that
     * reserves some may provision, together, at most that much. Summed once per reading of the set.
     */
    private static void checkWithinReservation(ReadContext document, String function) {
        Optional<JsonNode> declared = document.declaredSpec(FunctionKind.KIND.manifestName(), function);
        if (declared.isEmpty() || !declared.get().path("reservedConcurrency").canConvertToInt()) {
            return;
        }
        int reserved = declared.get().path("reservedConcurrency").asInt();
        Map<String, Long> provisioned = document.shared("provisioned concurrency by function", () -> {
            Map<String, Long> sums = new TreeMap<>();
            for (String name : document.declared(KIND.manifestName())) {
                // Each alias's document is found under the name it is read by: function:alias.
                document.declaredSpec(KIND.manifestName(), name).ifPresent(spec -> {
                    if (spec.path("function").isTextual()
                            && spec.path("provisionedConcurrency").canConvertToLong()) {
                        sums.merge(
                                spec.get("function").asText(),
                                Math.max(0, spec.get("provisionedConcurrency").asLong()),
                                Long::sum);
                    }
                });
            }
            return sums;
        });
        long total = provisioned.getOrDefault(function, 0L);
        if (total > reserved) {
            document.problemAt(
                    "/spec/provisionedConcurrency",
                    "function " + function + " reserves " + reserved + " concurrent executions, and its aliases"
                            + " provision " + total + " in all: Lambda refuses provisioned concurrency beyond the"
                            + " reservation. Raise reservedConcurrency, or provision less");
        }
    }

    // Planning

    /**
     * Where an alias routes: all of its invocations to {@code primary}, but {@code weight} of them to {@code canary}
     * when there is one. A version is a number, or {@link #PUBLISHED}.
     */
    record Route(String primary, Optional<String> canary, double weight) {
        Route {
            requireNonNull(primary, "primary is null");
            requireNonNull(canary, "canary is null");
        }

        static Route of(Aliases.State live) {
            if (live.weights().isEmpty()) {
                return new Route(live.version(), Optional.empty(), 0);
            }
            var first = live.weights().entrySet().iterator().next();
            return new Route(live.version(), Optional.of(first.getKey()), first.getValue());
        }

        /** The versions besides the primary and their shares, as Lambda's AdditionalVersionWeights. */
        SortedMap<String, Double> weights() {
            SortedMap<String, Double> weights = new TreeMap<>();
            canary.ifPresent(c -> weights.put(c, weight));
            return weights;
        }

        String shown() {
            return Aliases.State.routing(primary, weights());
        }

        /**
         * The version an alias that routes as {@code live} does rolls back to once it routes here: the one it leaves,
         * or, while its primary version stays, the one recorded before.
         */
        Optional<String> previousAfter(Aliases.State live) {
            Route current = of(live);
            return primary.equals(current.primary()) ? live.previous() : Optional.of(current.primary());
        }

        /** Whether it routes any share to {@code version}. */
        boolean reaches(String version) {
            return primary.equals(version) || canary.filter(version::equals).isPresent();
        }
    }

    /**
     * Every fact of the live alias; its provisioned concurrency only where it was read (an alias that declares none
     * keeps the fingerprint it had), and of that only what the plan decides on: environments allocated so far move on
     * their own.
     */
    @Override
    public JsonNode fingerprint(Optional<Alias> desired, Aliases.State live, Sensitive sensitive) {
        ObjectNode tree = (ObjectNode) Fingerprints.tree(live);
        tree.remove("provisioned");
        live.provisioned()
                .ifPresent(p -> tree.set(
                        "provisioned",
                        Fingerprints.tree(List.of(p.requested(), p.status().equals(Aliases.Provisioned.FAILED)))));
        return tree;
    }

    @Override
    public void plan(Alias desired, Optional<Aliases.State> live, PlanBuilder plan) {
        planRoute(desired, live, plan);
        planProvisioned(desired, live, plan);
    }

    /**
     * Provisioned concurrency, when the alias declares it: asked for (after the alias is created or moved, and after
     * the function's own operations: a reservation it must fit in is raised first) when the alias has none, another
     * amount, or an allocation that FAILED; waited on when Lambda is still allocating it (an apply killed while it
     * waited, a move to a new version); removed when it declares 0.
     */
    private static void planProvisioned(Alias desired, Optional<Aliases.State> live, PlanBuilder plan) {
        if (desired.provisionedConcurrency().isEmpty()) {
            return;
        }
        int wanted = desired.provisionedConcurrency().get();
        ResourceKey key = key(desired.name());
        List<Integer> afterFunction =
                plan.last(FunctionKind.key(desired.function())).map(List::of).orElse(List.of());
        Optional<Aliases.Provisioned> current = live.flatMap(Aliases.State::provisioned);
        String was = current.map(p -> String.valueOf(p.requested())).orElse("0");
        if (wanted == 0) {
            if (current.isPresent()) {
                plan.add(
                        key,
                        new DeleteProvisionedConcurrency(
                                desired.function(),
                                desired.alias(),
                                List.of(FieldChange.change("provisionedConcurrency", was, "0"))));
            }
            return;
        }
        boolean failed = current.filter(p -> p.status().equals(Aliases.Provisioned.FAILED))
                .isPresent();
        if (failed) {
            plan.note(
                    key,
                    Note.Category.WARNING,
                    "provisioned concurrency of alias " + desired.name() + " "
                            + current.get().shown() + "; it is asked for again");
        } else if (current.filter(p -> p.requested() == wanted).isPresent()) {
            if (!current.get().status().equals(Aliases.Provisioned.READY)) {
                plan.add(
                        key,
                        new AwaitProvisionedConcurrency(
                                desired.function(),
                                desired.alias(),
                                current.get().shown()),
                        afterFunction);
            }
            return;
        }
        plan.add(
                key,
                new PutProvisionedConcurrency(
                        desired.function(),
                        desired.alias(),
                        wanted,
                        List.of(
                                current.isPresent()
                                        ? FieldChange.change(
                                                "provisionedConcurrency",
                                                was + (failed ? " (FAILED)" : ""),
                                                String.valueOf(wanted))
                                        : FieldChange.set("provisionedConcurrency", String.valueOf(wanted)))),
                afterFunction);
    }

    private void planRoute(Alias desired, Optional<Aliases.State> live, PlanBuilder plan) {
        ResourceKey key = key(desired.name());
        Function function = plan.declared(FunctionKind.KIND, desired.function())
                .orElseThrow(() -> new IllegalStateException("no function " + desired.function() + " was read"));
        Optional<FunctionState> liveFunction = plan.live(FunctionKind.KIND, function.name());
        List<Integer> afterFunction =
                plan.last(FunctionKind.key(function.name())).map(List::of).orElse(List.of());
        String target;
        boolean existing;
        if (desired.version().isPresent()) {
            target = desired.version().get();
            existing = true;
            boolean published = liveFunction
                    .flatMap(FunctionState::versions)
                    .map(versions -> versions.stream().anyMatch(v -> v.version().equals(target)))
                    .orElse(false);
            if (!published) {
                throw LambdaformException.user("alias " + desired.name() + " is pinned to version " + target
                        + ", which function " + function.name() + " does not have: pin a version it published (its"
                        + " versions are listed by 'aws lambda list-versions-by-function'), or remove 'version' to"
                        + " follow its newest");
            }
        } else {
            Optional<FunctionVersion> release =
                    FunctionKind.release(function, liveFunction, plan).existing();
            target = release.map(FunctionVersion::version).orElse(PUBLISHED);
            existing = release.isPresent();
        }
        String stack = plan.stack().name();
        Gate gate = gate(desired, function, plan);
        if (live.isEmpty()) {
            Route route = new Route(target, Optional.empty(), 0);
            plan.add(
                    key,
                    new CreateAlias(
                            desired.function(),
                            desired.alias(),
                            route,
                            gate,
                            Aliases.State.description(stack, Optional.empty()),
                            List.of(FieldChange.set("routing", route.shown()))),
                    afterFunction);
            return;
        }
        Route current = Route.of(live.get());
        Route wanted = desired.canaryWeight().isPresent() && !current.primary().equals(target)
                ? new Route(
                        current.primary(),
                        Optional.of(target),
                        desired.canaryWeight().get())
                : new Route(target, Optional.empty(), 0);
        boolean owned = ownedBy(live.get(), stack);
        if (wanted.equals(current) && owned) {
            return;
        }
        String note = existing
                        && !wanted.equals(current)
                        && !target.equals(current.primary())
                        && desired.version().isEmpty()
                ? " (existing version, nothing published)"
                : "";
        plan.add(
                key,
                new UpdateAlias(
                        desired.function(),
                        desired.alias(),
                        current.shown(),
                        wanted,
                        current.reaches(target) ? Gate.NONE : gate,
                        Aliases.State.description(stack, wanted.previousAfter(live.get())),
                        note,
                        List.of(FieldChange.change("routing", current.shown(), wanted.shown()))),
                afterFunction);
    }

    /**
     * Plans the move of an alias back: to {@code to}, else to the version it routed to before its last move (its
     * description records it), or, while it sends a canary share to a new version, back to its version alone. One
     * UpdateAlias; nothing is published or gated (an incident is no time to wait for payloads).
     */
    public static void rollback(Alias desired, Optional<Aliases.State> live, Optional<String> to, PlanBuilder plan) {
        Aliases.State alias = live.orElseThrow(() -> LambdaformException.user(
                "alias " + desired.name() + " does not exist on the target: there is nothing to roll back"));
        Route current = Route.of(alias);
        Route back;
        if (to.isPresent()) {
            back = new Route(to.get(), Optional.empty(), 0);
        } else if (current.canary().isPresent()) {
            back = new Route(current.primary(), Optional.empty(), 0);
        } else {
            back = new Route(
                    alias.previous()
                            .orElseThrow(() -> LambdaformException.user("alias " + desired.name() + " records no"
                                    + " version it routed to before (Lambdaform has not moved it yet): give"
                                    + " --to VERSION")),
                    Optional.empty(),
                    0);
        }
        if (back.equals(current)) {
            throw LambdaformException.user("alias " + desired.name() + " already routes to version " + back.primary()
                    + ": nothing to roll back");
        }
        plan.add(
                key(desired.name()),
                new UpdateAlias(
                        desired.function(),
                        desired.alias(),
                        current.shown(),
                        back,
                        Gate.NONE,
                        Aliases.State.description(plan.stack().name(), back.previousAfter(alias)),
                        " (rollback)",
                        List.of(FieldChange.change("routing", current.shown(), back.shown()))));
    }

    /** The payloads of the function an alias runs before it moves, when it is gated and gates are on. */
    private static Gate gate(Alias desired, Function function, PlanBuilder plan) {
        if (!desired.gated()) {
            return Gate.NONE;
        }
        if (!plan.payloadGates()) {
            return new Gate(List.of(), true);
        }
        List<Payload> payloads = plan.index(PAYLOADS).getOrDefault(function.name(), List.of());
        List<String> queued =
                payloads.stream().filter(Payload::queued).map(Payload::name).toList();
        if (!queued.isEmpty()) {
            plan.note(
                    key(desired.name()),
                    Note.Category.WARNING,
                    "the payload gate of alias " + desired.name() + " queues " + String.join(", ", queued)
                            + " (invocationType: Event): on AWS the gate only learns that Lambda accepted them, not"
                            + " what the function did; the local cloud runs them and checks their expectations");
        }
        return new Gate(payloads, false);
    }

    @Override
    public void prune(String name, Optional<Aliases.State> live, PlanBuilder plan) {
        // After the triggers that invoke it, which are removed first (a statement of the alias's policy, say).
        plan.add(key(name), new DeleteAlias(Alias.functionOf(name), Alias.aliasOf(name)), plan.operationsAbove(KIND));
    }

    // Operations

    /**
     * The payloads an alias's move waits for: each is run against the version it moves to, and all must pass.
     *
     * @param skipped whether the plan turned gates off ({@code --no-payload-gate}), which it says
     */
    record Gate(List<Payload> payloads, boolean skipped) {
        static final Gate NONE = new Gate(List.of(), false);

        Gate {
            payloads = List.copyOf(payloads);
        }

        String shown() {
            if (skipped) {
                return ", payload gate skipped (--no-payload-gate)";
            }
            if (payloads.isEmpty()) {
                return "";
            }
            return ", once its payloads pass ("
                    + String.join(", ", payloads.stream().map(Payload::name).toList()) + ")";
        }

        /** Runs the payloads against {@code version}; a failure stops the move, naming every payload that failed. */
        void pass(ApplyContext target, String alias, String function, String version, String stays) {
            List<String> failed = new ArrayList<>();
            Functions functions = target.port(Functions.class);
            for (Payload payload : payloads) {
                InvocationResult result = functions.invoke(
                        new Invocation(function, payload.event(), Optional.of(version), payload.queued()));
                List<String> failures = Expectations.check(payload, result);
                target.progress(alias + ": payload " + payload.name() + " against version " + version + ": "
                        + (failures.isEmpty()
                                ? "passed"
                                        + Expectations.notChecked(payload, result)
                                                .map(n -> " (" + n + ")")
                                                .orElse("")
                                : "failed: " + String.join("; ", failures)));
                if (!failures.isEmpty()) {
                    failed.add(payload.name());
                }
            }
            if (!failed.isEmpty()) {
                throw LambdaformException.user("payload gate of alias " + alias + ": " + String.join(", ", failed)
                        + " failed against version " + version + "; the alias stays on " + stays
                        + ". Fix the function and apply again");
            }
        }
    }

    /** An operation on one alias: its key is {@code function:alias}, and it runs through {@link Aliases}. */
    sealed interface AliasOperation extends Operation {
        String function();

        String alias();

        @Override
        default ResourceKey key() {
            return AliasKind.key(Alias.name(function(), alias()));
        }

        /** The route with the version this apply published in place of {@link #PUBLISHED}. */
        default Route resolved(Route route, ApplyContext target) {
            UnaryOperator<String> resolve = v -> !v.equals(PUBLISHED)
                    ? v
                    : target.recall(FunctionKind.Release.publishedKey(function()))
                            .orElseThrow(() -> LambdaformException.user("alias " + key().name() + " was to route to"
                                    + " the version this apply publishes, and none was published: plan again"));
            return new Route(resolve.apply(route.primary()), route.canary().map(resolve), route.weight());
        }
    }

    @Operation.Named(value = "CreateAlias", effect = Operation.Effect.CREATES)
    record CreateAlias(
            String function, String alias, Route route, Gate gate, String description, List<FieldChange> changes)
            implements AliasOperation {
        CreateAlias {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
            requireNonNull(route, "route is null");
            requireNonNull(gate, "gate is null");
            requireNonNull(description, "description is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "create alias " + alias + " → " + route.shown() + gate.shown();
        }

        @Override
        public void apply(ApplyContext target) {
            Route resolved = resolved(route, target);
            gate.pass(target, key().name(), function, resolved.primary(), "nothing (it is not created)");
            target.port(Aliases.class)
                    .createAlias(function, alias, resolved.primary(), resolved.weights(), description);
        }
    }

    @Operation.Named("UpdateAlias")
    record UpdateAlias(
            String function,
            String alias,
            String from,
            Route route,
            Gate gate,
            String description,
            String note,
            List<FieldChange> changes)
            implements AliasOperation {
        UpdateAlias {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
            requireNonNull(from, "from is null");
            requireNonNull(route, "route is null");
            requireNonNull(gate, "gate is null");
            requireNonNull(description, "description is null");
            requireNonNull(note, "note is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return from.equals(route.shown())
                    ? "alias " + alias + ": record its owner"
                    : "alias " + alias + ": " + from + " → " + route.shown() + note + gate.shown();
        }

        @Override
        public void apply(ApplyContext target) {
            Route resolved = resolved(route, target);
            String moving = resolved.canary().orElse(resolved.primary());
            gate.pass(target, key().name(), function, moving, from);
            target.port(Aliases.class)
                    .updateAlias(function, alias, resolved.primary(), resolved.weights(), description);
        }
    }

    /** Provisioned concurrency on the alias (PutProvisionedConcurrencyConfig), waited on until READY. */
    @Operation.Named("PutProvisionedConcurrencyConfig")
    record PutProvisionedConcurrency(String function, String alias, int environments, List<FieldChange> changes)
            implements AliasOperation {
        PutProvisionedConcurrency {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "alias " + alias + ": provision " + environments + " environments, until READY";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Aliases.class).putProvisionedConcurrency(function, alias, environments);
        }
    }

    /** Waits for an allocation Lambda is still making (an apply that asked for it ended before READY). */
    @Operation.Named("AwaitProvisionedConcurrency")
    record AwaitProvisionedConcurrency(String function, String alias, String status) implements AliasOperation {
        AwaitProvisionedConcurrency {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
            requireNonNull(status, "status is null");
        }

        @Override
        public String summary() {
            return "alias " + alias + ": wait for provisioned concurrency (" + status + ") until READY";
        }

        @Override
        public List<FieldChange> changes() {
            return List.of();
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Aliases.class).awaitProvisionedConcurrency(function, alias);
        }
    }

    /** Removes the alias's provisioned concurrency (DeleteProvisionedConcurrencyConfig). */
    @Operation.Named("DeleteProvisionedConcurrencyConfig")
    record DeleteProvisionedConcurrency(String function, String alias, List<FieldChange> changes)
            implements AliasOperation {
        DeleteProvisionedConcurrency {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "alias " + alias + ": remove provisioned concurrency";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Aliases.class).deleteProvisionedConcurrency(function, alias);
        }
    }

    @Operation.Named(value = "DeleteAlias", effect = Operation.Effect.DELETES)
    record DeleteAlias(String function, String alias) implements AliasOperation {
        DeleteAlias {
            requireNonNull(function, "function is null");
            requireNonNull(alias, "alias is null");
        }

        @Override
        public String summary() {
            return "delete alias " + alias;
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(Aliases.class).deleteAlias(function, alias);
        }
    }
}
