package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A published version of a function, as the target reports it: an immutable snapshot of $LATEST's code and
 * configuration at the time it was published.
 *
 * @param version its number ("1", "2", ...)
 * @param sourceSha256 the digest of what its package holds, as Lambdaform recorded it in the version's description
 *     when it published it; empty for a version published by another tool
 * @param aliases the names of the function's aliases that route to it (as their version or by weight)
 * @param previousOf the names of the aliases that routed to it before their last move (what they roll back to)
 */
public record FunctionVersion(
        String version,
        String codeSha256,
        String sourceSha256,
        String roleArn,
        FunctionSettings settings,
        SortedSet<String> aliases,
        SortedSet<String> previousOf) {
    /** How Lambdaform describes a version it publishes: the digest of its contents, which its CodeSha256 is not. */
    static final String DESCRIPTION_PREFIX = "lambdaform source-sha256=";

    private static final Pattern DESCRIPTION = Pattern.compile("^lambdaform source-sha256=([A-Za-z0-9+/=]{1,64})$");

    public FunctionVersion {
        requireNonNull(version, "version is null");
        requireNonNull(codeSha256, "codeSha256 is null");
        requireNonNull(sourceSha256, "sourceSha256 is null");
        requireNonNull(roleArn, "roleArn is null");
        requireNonNull(settings, "settings is null");
        aliases = Collections.unmodifiableSortedSet(new TreeSet<>(aliases));
        previousOf = Collections.unmodifiableSortedSet(new TreeSet<>(previousOf));
    }

    /** A version no alias routes to or rolls back to. */
    public FunctionVersion(
            String version, String codeSha256, String sourceSha256, String roleArn, FunctionSettings settings) {
        this(version, codeSha256, sourceSha256, roleArn, settings, new TreeSet<>(), new TreeSet<>());
    }

    /** The description Lambdaform gives a version it publishes. */
    public static String description(String sourceSha256) {
        return DESCRIPTION_PREFIX + sourceSha256;
    }

    /** The source digest a version's description records, or empty when Lambdaform did not publish it. */
    public static String sourceOf(String description) {
        Matcher matcher = DESCRIPTION.matcher(description == null ? "" : description);
        return matcher.matches() ? matcher.group(1) : "";
    }

    /** Whether Lambdaform published it (its description records its contents): only those are ever pruned. */
    public boolean publishedByLambdaform() {
        return !sourceSha256.isEmpty();
    }

    /** Its number, for ordering: Lambda numbers versions 1, 2, 3... */
    public long number() {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public FunctionVersion withAliases(SortedSet<String> routing, SortedSet<String> previous) {
        return new FunctionVersion(version, codeSha256, sourceSha256, roleArn, settings, routing, previous);
    }

    /** The configuration fields a version fixes, as a function's are compared (the description is the version's). */
    SortedMap<String, String> fields() {
        return FunctionFields.ofVersion(roleArn, settings);
    }
}
