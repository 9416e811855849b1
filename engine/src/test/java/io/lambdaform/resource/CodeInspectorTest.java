package io.lambdaform.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.CodeInspector.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CodeInspectorTest {
    @Test
    void once_asksOncePerCodeAndName_andGivesEveryAskerTheAnswer() {
        AtomicInteger walks = new AtomicInteger();
        CodeInspector counting = (source, shown) -> {
            walks.incrementAndGet();
            return Optional.of("problem with " + shown);
        };
        CodeInspector once = counting.once();
        CodeSource shared = new CodeSource(Path.of("/repo/shared"), CodeSource.Kind.FOLDER, List.of());
        CodeSource other = new CodeSource(Path.of("/repo/other"), CodeSource.Kind.FOLDER, List.of());

        for (int i = 0; i < 500; i++) {
            assertThat(once.problem(shared, "'../shared'")).hasValue("problem with '../shared'");
        }
        assertThat(once.problem(shared, "'shared'")).hasValue("problem with 'shared'");
        assertThat(once.problem(other, "'../shared'")).hasValue("problem with '../shared'");

        assertThat(walks).hasValue(3);
    }

    @Test
    void once_asksEachHandlerQuestionOnce_andByDefaultAsksNothingOfTheHandler() {
        AtomicInteger reads = new AtomicInteger();
        CodeInspector reading = new CodeInspector() {
            @Override
            public Optional<String> problem(CodeSource source, String shown) {
                return Optional.empty();
            }

            @Override
            public Optional<Finding> handlerProblem(CodeSource source, HandlerNeed need, String shown) {
                reads.incrementAndGet();
                return Optional.of(Finding.warning("maybe not in " + shown));
            }
        };
        CodeInspector once = reading.once();
        CodeSource code = new CodeSource(Path.of("/repo/code"), CodeSource.Kind.FOLDER, List.of());
        HandlerNeed bootstrap = new HandlerNeed.Executable("provided.al2023", "bootstrap");

        for (int i = 0; i < 10; i++) {
            assertThat(once.handlerProblem(code, bootstrap, "'code'")).hasValue(Finding.warning("maybe not in 'code'"));
        }
        once.handlerProblem(code, new HandlerNeed.Executable("provided.al2", "bootstrap"), "'code'");

        assertThat(reads).hasValue(2);
        CodeInspector walkOnly = (source, shown) -> Optional.empty();
        assertThat(walkOnly.handlerProblem(code, bootstrap, "'code'")).isEmpty();
    }
}
