package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.lambdaform.Memo;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The aliases of each function, listed once per run (ListAliases, every page): a function's versions and its aliases
 * are read from the same listing, so that a plan of a function that publishes costs three Lambda reads whatever its
 * number of aliases. The adapters that change an alias forget the function's listing.
 */
@Singleton
final class AliasListings {
    private final LambdaClient lambda;
    private final Memo<String, List<AliasConfiguration>> listings = Memo.keepingFailures();

    @Inject
    AliasListings(LambdaClient lambda) {
        this.lambda = requireNonNull(lambda, "lambda is null");
    }

    /** The function's aliases; none when the function does not exist. A failure is one too, for the run. */
    List<AliasConfiguration> of(String function) {
        return listings.get(function, this::list);
    }

    private List<AliasConfiguration> list(String function) {
        List<AliasConfiguration> aliases = new ArrayList<>();
        try {
            lambda.listAliasesPaginator(r -> r.functionName(function)).aliases().forEach(aliases::add);
        } catch (ResourceNotFoundException e) {
            return List.of();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("Lambda ListAliases " + function, e);
        }
        return List.copyOf(aliases);
    }

    /** Forgets the function's aliases: one of them changed. */
    void forget(String function) {
        listings.forget(function);
    }
}
