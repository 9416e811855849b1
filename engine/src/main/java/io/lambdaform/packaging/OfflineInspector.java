package io.lambdaform.packaging;

import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.CodeInspector;
import io.lambdaform.resource.HandlerNeed;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Optional;

/**
 * What {@code validate} finds in a function's code, offline: why it could not be packaged (what the walk refuses,
 * {@link SourceWalk}), and what its handler needs that it lacks ({@link HandlerInspector}). Code a build makes
 * ({@code code.build}) is looked at once it is made: before, there is nothing to judge.
 */
public final class OfflineInspector implements CodeInspector {
    @Override
    public boolean validating() {
        return true;
    }

    @Override
    public Optional<String> problem(CodeSource source, String shown) {
        return notBuiltYet(source) ? Optional.empty() : SourceWalk.problem(source, shown);
    }

    @Override
    public Optional<Finding> handlerProblem(CodeSource source, HandlerNeed need, String shown) {
        return notBuiltYet(source) ? Optional.empty() : HandlerInspector.inspect(source, need, shown);
    }

    private static boolean notBuiltYet(CodeSource source) {
        return source.build().isPresent() && !Files.exists(source.path(), LinkOption.NOFOLLOW_LINKS);
    }
}
