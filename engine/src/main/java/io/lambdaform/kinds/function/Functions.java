package io.lambdaform.kinds.function;

import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Port;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The port for Lambda functions: what the engine reads, changes and invokes of a function on a target. Each mutation
 * returns only once the function is ready for the next call (waiting is the adapter's job) or throws a
 * {@link io.lambdaform.LambdaformException}; implementations are safe to call from several threads.
 */
public interface Functions extends Port<FunctionState> {
    /**
     * The function; one that publishes versions (it carries {@link FunctionKind#PUBLISH_TAG}) with its versions and
     * the aliases that route to each (on AWS: GetFunction, then one ListVersionsByFunction and one ListAliases, the
     * latter shared with the aliases' reads). A function that does not publish costs one read.
     */
    Optional<FunctionState> findFunction(String name);

    @Override
    default Optional<FunctionState> find(String name) {
        return findFunction(name);
    }

    /**
     * Creates the function and returns once it is Active; a package staged in the stack's code bucket is uploaded there
     * first, unless it is already.
     */
    FunctionState createFunction(NewFunction function);

    /**
     * Replaces the code (and the instruction set architecture, which Lambda changes only together with the code) and
     * returns once the update is Successful; a package staged in the stack's code bucket is uploaded there first,
     * unless it is already.
     */
    void updateFunctionCode(String name, FunctionPackage code, List<String> architectures);

    /** Replaces the code with a package that goes in the request. */
    default void updateFunctionCode(String name, DeploymentPackage code, List<String> architectures) {
        updateFunctionCode(name, FunctionPackage.zip(code), architectures);
    }

    /** Replaces the configuration (all but the architectures) and returns once the update is Successful. */
    void updateFunctionConfiguration(String name, String roleArn, FunctionSettings settings);

    /** Reserves {@code reserved} concurrent executions for the function (0: none run). */
    void putConcurrency(String name, int reserved);

    /** Sets the function's asynchronous invocation settings; what {@code async} leaves unset is Lambda's default. */
    void putEventInvokeConfig(String name, FunctionSettings.AsyncInvokeConfig async);

    /** Sets whether Lambda stops the function in a recursive loop ({@code Terminate}) or lets it run ({@code Allow}). */
    void putRecursionConfig(String name, String recursiveLoop);

    /** Sets when Lambda moves the function ($LATEST) to a new runtime version, or the version it stays on. */
    void putRuntimeManagementConfig(String name, FunctionSettings.RuntimeManagement management);

    void tagFunction(String name, Map<String, String> tags);

    void untagFunction(String name, Collection<String> tagKeys);

    @Override
    default void tag(String name, Map<String, String> tags) {
        tagFunction(name, tags);
    }

    @Override
    default void untag(String name, Collection<String> tagKeys) {
        untagFunction(name, tagKeys);
    }

    void deleteFunction(String name);

    /**
     * Publishes $LATEST as a version, provided it still runs the package {@code codeSha256} (so that a change made
     * meanwhile by someone else is never published by mistake), and returns its number once it is ready. When $LATEST
     * has not changed since the newest version, that version is returned: nothing is published twice.
     *
     * @param description what the version records ({@link FunctionVersion#description})
     */
    String publishVersion(String name, String codeSha256, String description);

    /**
     * Deletes a published version. One that an alias or an event source mapping still uses is kept, and said so as
     * progress; a version that is already gone is done.
     */
    void deleteVersion(String name, String version);

    /**
     * The zip the function runs, checked against its CodeSha256: on AWS downloaded from the link GetFunction gives
     * ({@code Code.Location}); in the local cloud the stored package. Empty when the function does not exist or the
     * target does not serve its code (emulators give a link that holds nothing); why is reported as progress.
     */
    @Override
    Optional<byte[]> livePackage(String name);

    /**
     * Invokes: synchronously (RequestResponse) and returns the response, or queued (Event) and returns once Lambda
     * accepted the event. A target that cannot honour the qualifier or a queued invocation says so (a user error).
     */
    InvocationResult invoke(Invocation invocation);

    /** Invokes $LATEST synchronously with the event as JSON text. */
    default InvocationResult invoke(String functionName, String event) {
        return invoke(Invocation.of(functionName, event));
    }
}
