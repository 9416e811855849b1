package io.lambdaform.importer;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * What {@code lambdaform import} is asked to do.
 *
 * @param functions the names of the functions to import
 * @param out the folder to write the manifest set into
 * @param stack the Stack's name; empty: the folder's name
 * @param code per function, the zip it was created from, when the target does not serve its code
 * @param force whether files that exist may be replaced
 */
public record ImportRequest(
        SortedSet<String> functions, Path out, Optional<String> stack, SortedMap<String, Path> code, boolean force) {
    public ImportRequest {
        functions = Collections2.sortedCopy(functions);
        requireNonNull(out, "out is null");
        requireNonNull(stack, "stack is null");
        code = Collections2.sortedCopy(code);
    }
}
