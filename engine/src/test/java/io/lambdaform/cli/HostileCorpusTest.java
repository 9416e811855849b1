package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.HostileCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus ({@link HostileCorpus}): each shape, at the size limits, is read by its command in a process of
 * its own whose heap is the 512 MB of a small CI runner. Each ends with a clear message (or a correct result) and its
 * exit code, never a stack trace or an OutOfMemoryError, and prints a bounded amount. The work of the stages that
 * used to grow faster than the input is bounded by count in their own tests (FuzzyMatcherTest, GlobTest,
 * TextMatcherTest, VariablesTest); how long each shape takes is measured by bench/hostile, not asserted here.
 */
class HostileCorpusTest {
    /** What a shape may print at most: the first problems, not hundreds of thousands of lines. */
    private static final int MAX_OUTPUT = 2 * 1024 * 1024;

    @TempDir
    Path dir;

    static Stream<Arguments> shapes() {
        return HostileCorpus.shapes().stream().map(s -> Arguments.of(s.name(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void eachShape_endsWithAClearMessage_inA512MbHeap(String name, HostileCorpus.Shape shape) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        shape.writer().write(folder);
        List<String> args = new ArrayList<>(List.of(shape.command(), folder.toString()));
        if (shape.command().equals("plan")) {
            args.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        }

        CliRunner.Result result =
                CliProcess.run(folder, Map.of("NO_COLOR", "1"), List.of("-Xmx512m"), args.toArray(String[]::new));

        String output = result.out() + result.err();
        assertThat(output).as(shape.what()).doesNotContain("Exception", "\tat ", "OutOfMemoryError");
        assertThat(result.exitCode()).as("%s\n%s", shape.what(), head(output)).isEqualTo(shape.exitCode());
        assertThat(output).as(shape.what()).contains(shape.expected());
        assertThat(output.length()).as(shape.what()).isLessThan(MAX_OUTPUT);
    }

    private static String head(String output) {
        return output.length() > 2000 ? output.substring(0, 2000) + "…" : output;
    }
}
