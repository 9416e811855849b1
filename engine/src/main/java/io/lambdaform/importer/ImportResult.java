package io.lambdaform.importer;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

/**
 * What {@code lambdaform import} wrote.
 *
 * @param written the files and folders written, in the order they were
 * @param roles the roles written as manifests
 * @param adopt the functions and roles written that no stack owns yet: what the plan of the set must adopt (a
 *     resource the set's stack owns already is its own; a role of another stack is referred to by ARN)
 * @param notes what the user should know: roles referred to by ARN, files packages leave out
 * @param secrets the environment variables not written in clear
 * @param sensitive the values of those variables, never to be shown
 */
public record ImportResult(
        TargetDescription target,
        String stack,
        Path out,
        List<Path> written,
        SortedSet<String> functions,
        SortedSet<String> roles,
        SortedSet<String> adopt,
        List<String> notes,
        List<Secret> secrets,
        Sensitive sensitive) {
    public ImportResult {
        requireNonNull(target, "target is null");
        requireNonNull(stack, "stack is null");
        requireNonNull(out, "out is null");
        written = List.copyOf(written);
        functions = Collections2.sortedCopy(functions);
        roles = Collections2.sortedCopy(roles);
        adopt = Collections2.sortedCopy(adopt);
        notes = List.copyOf(notes);
        secrets = List.copyOf(secrets);
        requireNonNull(sensitive, "sensitive is null");
    }

    /**
     * An environment variable whose value looks secret: the manifest reads it from a sensitive variable of the Stack.
     *
     * @param reason why it looks secret (never its value)
     */
    public record Secret(String function, String key, String variable, String reason) {
        public Secret {
            requireNonNull(function, "function is null");
            requireNonNull(key, "key is null");
            requireNonNull(variable, "variable is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
