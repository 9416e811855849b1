package io.lambdaform.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.model.CodeSource;
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
}
