package io.lambdaform.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProblemsTest {
    private static final SourceFile FILE =
            SourceFile.of(Path.of("functions.yaml"), "functions.yaml", "kind: Function\n  handler: index.handler\n");

    @Test
    void warnings_areKeptApart_countForNothing_andPrintAsWarnings() {
        Problems problems = new Problems();
        Position handler = new Position(FILE, 2, 12);

        problems.warnAt(handler, "index.js may not export handler");

        assertThat(problems.isEmpty()).isTrue();
        assertThat(problems.size()).isZero();
        assertThat(problems.reportedAt(handler)).isFalse();
        assertThat(problems.sorted()).isEmpty();
        assertThat(problems.warnings()).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Diagnostic.Severity.WARNING);
            assertThat(w.format())
                    .isEqualTo("functions.yaml:2:12: warning: index.js may not export handler\n"
                            + "      handler: index.handler\n"
                            + "               ^");
        });

        problems.at(handler, "a problem");
        assertThat(problems.sorted())
                .singleElement()
                .satisfies(p -> assertThat(p.format()).startsWith("functions.yaml:2:12: a problem\n"));
    }
}
