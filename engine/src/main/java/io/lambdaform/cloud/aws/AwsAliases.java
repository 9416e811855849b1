package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.Aliases;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.DeleteAliasResponse;
import software.amazon.awssdk.services.lambda.model.DeleteProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.GetProvisionedConcurrencyConfigResponse;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The {@link Aliases} port on Lambda: CreateAlias, UpdateAlias, DeleteAlias, read from each function's ListAliases
 * (listed once per run, with the function's versions: {@link AliasListings}). Lambda cannot tag an alias; which stack
 * owns one is in its description, and the stack's aliases are found on the functions that carry the stack's tag and
 * publish. A create that meets "already exists" carries on when the alias is this stack's and routes as planned.
 */
public final class AwsAliases implements Aliases {
    private final LambdaClient lambda;
    private final AwsCloud cloud;
    private final AliasListings listings;
    private final AwsFunctions functions;

    @Inject
    public AwsAliases(LambdaClient lambda, AwsCloud cloud, AliasListings listings, AwsFunctions functions) {
        this.lambda = requireNonNull(lambda, "lambda is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
        this.listings = requireNonNull(listings, "listings is null");
        this.functions = requireNonNull(functions, "functions is null");
    }

    @Override
    public Optional<State> find(String name) {
        String function = Alias.functionOf(name);
        String alias = Alias.aliasOf(name);
        return listings.of(function).stream()
                .filter(a -> a.name().equals(alias))
                .findFirst()
                .map(a -> state(function, a));
    }

    /**
     * The alias; with its provisioned concurrency (GetProvisionedConcurrencyConfig) only when it declares some: an
     * alias that does not costs no call more.
     */
    @Override
    public Optional<State> find(Resource declared) {
        Optional<State> found = find(declared.name());
        if (declared instanceof Alias alias && alias.provisionedConcurrency().isPresent()) {
            return found.map(s -> s.withProvisioned(provisioned(s.function(), s.alias())));
        }
        return found;
    }

    /** GetProvisionedConcurrencyConfig of the alias; empty when it has none. */
    private Optional<Aliases.Provisioned> provisioned(String function, String alias) {
        try {
            return Optional.of(provisioned(lambda.getProvisionedConcurrencyConfig(
                    r -> r.functionName(function).qualifier(alias))));
        } catch (ProvisionedConcurrencyConfigNotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda GetProvisionedConcurrencyConfig " + function + ":" + alias, e);
        }
    }

    private static Aliases.Provisioned provisioned(GetProvisionedConcurrencyConfigResponse r) {
        return new Aliases.Provisioned(
                zeroIfNull(r.requestedProvisionedConcurrentExecutions()),
                zeroIfNull(r.allocatedProvisionedConcurrentExecutions()),
                AwsCloud.nullToEmpty(r.statusAsString()),
                Optional.ofNullable(r.statusReason()));
    }

    private static int zeroIfNull(Integer value) {
        return value == null ? 0 : value;
    }

    /**
     * PutProvisionedConcurrencyConfig, then GetProvisionedConcurrencyConfig until READY (Lambda takes minutes to
     * initialize the environments), a progress line at each poll; FAILED fails with Lambda's reason.
     */
    @Override
    public void putProvisionedConcurrency(String function, String alias, int environments) {
        String name = function + ":" + alias;
        String what = "Lambda PutProvisionedConcurrencyConfig " + name;
        AwsConfig.Timings timings = cloud.config().timings();
        cloud.waiter()
                .await(
                        () -> lambda.putProvisionedConcurrencyConfig(r -> r.functionName(function)
                                .qualifier(alias)
                                .provisionedConcurrentExecutions(environments)),
                        AwsFunctions.mutation(what, false, timings),
                        cloud.progress());
        awaitProvisionedConcurrency(function, alias);
    }

    /**
     * GetProvisionedConcurrencyConfig until READY, a progress line at each poll; FAILED fails with Lambda's reason,
     * and an allocation still going on at the state deadline fails saying so (the next plan waits for it again).
     */
    @Override
    public void awaitProvisionedConcurrency(String function, String alias) {
        String name = function + ":" + alias;
        AwsConfig.Timings timings = cloud.config().timings();
        List<Acceptor<GetProvisionedConcurrencyConfigResponse>> acceptors = List.of(
                Acceptor.successOn(r -> Aliases.Provisioned.READY.equals(r.statusAsString())),
                Acceptor.failureOn(
                        r -> Aliases.Provisioned.FAILED.equals(r.statusAsString()),
                        r -> LambdaformException.external("provisioned concurrency of alias " + name + " FAILED: "
                                + Optional.ofNullable(r.statusReason()).orElse("Lambda gave no reason")
                                + ". Fix the cause (the account's unreserved concurrency, say), then apply again")),
                Acceptor.retryOn(
                        r -> true,
                        timings.stateDeadline(),
                        (r, waited, pause) -> "waiting for provisioned concurrency of alias " + name + " ("
                                + provisioned(r).shown() + ", " + waited.toSeconds() + " s)",
                        r -> LambdaformException.external("provisioned concurrency of alias " + name + " is still "
                                + provisioned(r).shown() + " after "
                                + timings.stateDeadline().toSeconds()
                                + " s; Lambda goes on allocating, and the next apply waits for it again (check it"
                                + " with 'aws lambda get-provisioned-concurrency-config')")),
                Acceptor.failureOnException(e -> AwsCloud.wrap("Lambda GetProvisionedConcurrencyConfig " + name, e)));
        cloud.waiter()
                .await(
                        () -> lambda.getProvisionedConcurrencyConfig(
                                r -> r.functionName(function).qualifier(alias)),
                        acceptors,
                        cloud.progress());
    }

    @Override
    public void deleteProvisionedConcurrency(String function, String alias) {
        String what = "Lambda DeleteProvisionedConcurrencyConfig " + function + ":" + alias;
        List<Acceptor<DeleteProvisionedConcurrencyConfigResponse>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.successOnException(
                ProvisionedConcurrencyConfigNotFoundException.class,
                e -> what + ": already gone (" + AwsErrors.message(e) + ")"));
        acceptors.addAll(AwsFunctions.mutation(what, false, cloud.config().timings()));
        cloud.waiter()
                .await(
                        () -> lambda.deleteProvisionedConcurrencyConfig(
                                r -> r.functionName(function).qualifier(alias)),
                        acceptors,
                        cloud.progress());
    }

    static State state(String function, AliasConfiguration alias) {
        SortedMap<String, Double> weights = new TreeMap<>();
        if (alias.routingConfig() != null && alias.routingConfig().additionalVersionWeights() != null) {
            weights.putAll(alias.routingConfig().additionalVersionWeights());
        }
        return new State(
                function,
                alias.name(),
                AwsCloud.nullToEmpty(alias.aliasArn()),
                AwsCloud.nullToEmpty(alias.functionVersion()),
                weights,
                AwsCloud.nullToEmpty(alias.description()));
    }

    /**
     * The aliases whose description names the stack, on the stack's functions that publish (those carry
     * {@link FunctionKind#PUBLISH_TAG}): their listing is the one their reads share.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        SortedSet<String> names = new TreeSet<>();
        for (String function : functions.publishing(stackName)) {
            for (AliasConfiguration alias : listings.of(function)) {
                String name = Alias.name(function, alias.name());
                if (!except.contains(name)
                        && stackName.equals(state(function, alias).tags().get(Stack.OWNER_TAG))) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Lambda cannot tag an alias: the owner tag is written into its description (adopting it, say). */
    @Override
    public void tag(String name, Map<String, String> tags) {
        State alias = find(name).orElseThrow(() -> notFound(name));
        String owner = tags.getOrDefault(Stack.OWNER_TAG, alias.tags().get(Stack.OWNER_TAG));
        updateAlias(
                alias.function(),
                alias.alias(),
                alias.version(),
                alias.weights(),
                alias.describedAs(Optional.ofNullable(owner)));
    }

    /** Removes the owner from the description (releasing the alias); other tags an alias cannot have. */
    @Override
    public void untag(String name, Collection<String> tagKeys) {
        if (!tagKeys.contains(Stack.OWNER_TAG)) {
            return;
        }
        State alias = find(name).orElseThrow(() -> notFound(name));
        updateAlias(
                alias.function(), alias.alias(), alias.version(), alias.weights(), alias.describedAs(Optional.empty()));
    }

    @Override
    public State createAlias(
            String function, String alias, String version, SortedMap<String, Double> weights, String description) {
        String what = "Lambda CreateAlias " + function + ":" + alias;
        listings.forget(function);
        try {
            return state(
                    function,
                    AwsFunctions.aliasConfiguration(lambda.createAlias(r -> r.functionName(function)
                            .name(alias)
                            .functionVersion(version)
                            .description(description)
                            .routingConfig(routing(weights)))));
        } catch (ResourceConflictException e) {
            State live = find(Alias.name(function, alias)).orElseThrow(() -> AwsCloud.wrap(what, e));
            boolean asPlanned = live.description().equals(description)
                    && live.version().equals(version)
                    && live.weights().equals(weights);
            if (!asPlanned) {
                throw new LambdaformException(
                        LambdaformException.Category.EXTERNAL,
                        what + ": conflict: alias " + function + ":" + alias + " already exists"
                                + (live.tags().get(Stack.OWNER_TAG) == null
                                        ? " and no stack owns it; take it over with --adopt " + function + ":" + alias
                                        : " (routing to " + live.routing() + "); another run may be applying: plan"
                                                + " again"),
                        e.requestId(),
                        e);
            }
            return live;
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }

    @Override
    public State updateAlias(
            String function, String alias, String version, SortedMap<String, Double> weights, String description) {
        String what = "Lambda UpdateAlias " + function + ":" + alias;
        listings.forget(function);
        return state(
                function,
                AwsFunctions.aliasConfiguration(AwsErrors.call(
                        what,
                        () -> lambda.updateAlias(r -> r.functionName(function)
                                .name(alias)
                                .functionVersion(version)
                                .description(description)
                                .routingConfig(routing(weights))))));
    }

    @Override
    public void deleteAlias(String function, String alias) {
        String what = "Lambda DeleteAlias " + function + ":" + alias;
        listings.forget(function);
        List<Acceptor<DeleteAliasResponse>> acceptors = new ArrayList<>();
        acceptors.add(Acceptor.successOnException(
                ResourceNotFoundException.class, e -> what + ": already gone (" + AwsErrors.message(e) + ")"));
        acceptors.addAll(AwsFunctions.mutation(what, false, cloud.config().timings()));
        cloud.waiter()
                .await(
                        () -> lambda.deleteAlias(r -> r.functionName(function).name(alias)),
                        acceptors,
                        cloud.progress());
    }

    private static AliasRoutingConfiguration routing(SortedMap<String, Double> weights) {
        return AliasRoutingConfiguration.builder()
                .additionalVersionWeights(weights)
                .build();
    }

    private static LambdaformException notFound(String name) {
        return LambdaformException.user("alias " + name + " does not exist");
    }
}
