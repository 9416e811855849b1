package io.lambdaform.packaging;

import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.CodeInspector;
import io.lambdaform.resource.HandlerNeed;
import java.util.Optional;

/**
 * What {@code validate} finds in a function's code, offline: why it could not be packaged (what the walk refuses,
 * {@link SourceWalk}), and what its handler needs that it lacks ({@link HandlerInspector}).
 */
public final class OfflineInspector implements CodeInspector {
    @Override
    public Optional<String> problem(CodeSource source, String shown) {
        return SourceWalk.problem(source, shown);
    }

    @Override
    public Optional<Finding> handlerProblem(CodeSource source, HandlerNeed need, String shown) {
        return HandlerInspector.inspect(source, need, shown);
    }
}
