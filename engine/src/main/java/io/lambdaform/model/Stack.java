package io.lambdaform.model;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired state read from one manifest set: the stack (ownership scope) and its roles, functions and payloads,
 * and the values among them that must never be shown.
 */
public record Stack(
        String name,
        Optional<String> region,
        SortedMap<String, String> tags,
        List<Role> roles,
        List<Function> functions,
        List<Payload> payloads,
        Sensitive sensitive) {

    /** The tag every resource of a stack carries; its value is the stack name. */
    public static final String OWNER_TAG = "lambdaform:stack";
    /** On a function: the digest of the contents of the package Lambdaform last uploaded. */
    public static final String SOURCE_TAG = "lambdaform:source-sha256";
    /**
     * On a role or function that held a sensitive value when Lambdaform last applied it: plans never show its live
     * values, which may be secrets the manifests no longer mark as such.
     */
    public static final String SENSITIVE_TAG = "lambdaform:sensitive";
    /** On a function: the CodeSha256 of the package Lambdaform last uploaded. */
    public static final String CODE_TAG = "lambdaform:code-sha256";

    public Stack {
        requireNonNull(name, "name is null");
        requireNonNull(region, "region is null");
        tags = Collections2.sortedCopy(tags);
        roles = roles.stream().sorted(Comparator.comparing(Role::name)).toList();
        functions =
                functions.stream().sorted(Comparator.comparing(Function::name)).toList();
        payloads = payloads.stream().sorted(Comparator.comparing(Payload::name)).toList();
        requireNonNull(sensitive, "sensitive is null");
    }

    /** A stack that declares nothing: what destroy plans towards. */
    public static Stack empty(String name) {
        return new Stack(name, Optional.empty(), new TreeMap<>(), List.of(), List.of(), List.of(), Sensitive.NONE);
    }

    public Optional<Role> role(String roleName) {
        return roles.stream().filter(r -> r.name().equals(roleName)).findFirst();
    }

    public Optional<Function> function(String functionName) {
        return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
    }

    /** Tags every resource of this stack gets: the stack's default tags, the resource's own, and the owner tag. */
    public SortedMap<String, String> resourceTags(Map<String, String> resourceTags) {
        SortedMap<String, String> all = new TreeMap<>(tags);
        all.putAll(resourceTags);
        all.put(OWNER_TAG, name);
        return Collections2.sortedCopy(all);
    }
}
