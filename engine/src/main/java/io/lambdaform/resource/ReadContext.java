package io.lambdaform.resource;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One schema-valid document as a kind's reader sees it: its name and spec (the validated JSON tree), where to report
 * what the schema could not check (by JSON pointer, so that the message points at the user's text), and the files it
 * names. All file access goes through here, confined to the repository: a kind's reader does no I/O itself.
 */
public interface ReadContext {
    String name();

    /** The document's {@code spec}, a missing node when absent. */
    JsonNode spec();

    Sensitive sensitive();

    /** Reports a problem with the value at {@code pointer} ("/spec/handler"). */
    void problemAt(String pointer, String message);

    /** Reports a problem with the key at {@code pointer} ("/spec/environment/AWS_REGION"). */
    void problemAtKey(String pointer, String message);

    /** Whether a problem was already reported at the value at {@code pointer} (by the schema, say). */
    boolean hasProblemAt(String pointer);

    /** How many problems have been reported so far, in this document and the others. */
    int problemCount();

    /** The names of the documents of a kind ({@code "Role"}) in this manifest set, valid or not. */
    Set<String> declared(String manifestName);

    /** The spec of the document of that kind and name in this set (an alias reads whether its function publishes). */
    Optional<JsonNode> declaredSpec(String manifestName, String name);

    /**
     * Reports a warning at {@code pointer} when the command reading the manifests is {@code validate}: what a plan
     * notes of its own (a role that does not allow what a function needs, say), found offline. Does nothing otherwise.
     */
    void validationWarning(String pointer, String message);

    /**
     * The value of {@code key}, computed once per reading of a manifest set: what many documents ask alike (what a
     * role allows, say) costs its work once, whatever the number of documents asking.
     */
    <T> T shared(String key, Supplier<T> compute);

    /**
     * A file or folder a manifest names at {@code pointer}, resolved against the manifest's folder and confined to
     * the repository; empty (with the problem reported) when it is outside, missing or not a regular file or folder.
     */
    Optional<Path> file(String written, String pointer, boolean folderAllowed);

    /**
     * A file or folder that a build makes, resolved inside the root like {@link #file}; it may not exist yet. Empty
     * after reporting at {@code pointer} why it may not be written there.
     */
    Optional<Path> output(String written, String pointer);

    /** The folder of the manifest file, where paths it writes are relative to. */
    Path manifestFolder();

    /** Whether a file or folder exists at {@code path} (resolved by {@link #output}). */
    boolean exists(Path path);

    /** Whether {@code path} (as {@link #file} returned it) is a folder. */
    boolean isFolder(Path path);

    /**
     * Reports at {@code pointer} why {@code code}, which the manifest wrote as {@code written}, could not be packaged,
     * when the command reading the manifests inspects code ({@code validate}); does nothing otherwise.
     */
    void inspectCode(CodeSource code, String written, String pointer);

    /**
     * Reports at {@code pointer} what {@code code}, which the manifest wrote as {@code written}, lacks of what its
     * handler needs, as a problem or a warning, when the command reading the manifests inspects code
     * ({@code validate}); does nothing otherwise.
     */
    void inspectHandler(CodeSource code, HandlerNeed need, String written, String pointer);

    /** Whether {@code folder} holds a regular file at {@code relative}. */
    boolean holdsFile(Path folder, String relative);

    /**
     * "; did you mean 'x'?" for a name written where one of {@code candidates} was expected, or nothing. The work is
     * bounded for the whole manifest set ({@link io.lambdaform.FuzzyMatcher}).
     */
    String suggestion(String written, Set<String> candidates);

    /** Whether {@code pattern} is a valid glob. */
    boolean isGlob(String pattern);
}
