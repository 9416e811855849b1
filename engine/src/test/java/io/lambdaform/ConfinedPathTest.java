package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.ConfinedPath.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinedPathTest {
    @TempDir
    Path dir;

    private Path root;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("root")).toRealPath();
        outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("exists.txt"), "token");
        Files.createDirectories(root.resolve("lib/deep"));
        Files.writeString(root.resolve("lib/deep/file.py"), "x = 1\n");
    }

    private Outcome outcome(String relative) throws IOException {
        return ConfinedPath.resolve(root, Path.of(relative)).outcome();
    }

    @Test
    void aLinkOutOfTheFolder_isOutside_whetherWhatItNamesExistsOrNot() throws IOException {
        Files.createSymbolicLink(root.resolve("to-existing"), outside.resolve("exists.txt"));
        Files.createSymbolicLink(root.resolve("to-missing"), outside.resolve("missing.txt"));
        Files.createSymbolicLink(root.resolve("relative-out"), Path.of("../outside/exists.txt"));
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("missing-dir"), outside.resolve("nowhere"));
        Files.createSymbolicLink(root.resolve("chain"), Path.of("out-dir/exists.txt"));
        Files.createSymbolicLink(root.resolve("chain-missing"), Path.of("missing-dir/nothing.txt"));

        for (String path : new String[] {
            "to-existing", "to-missing", "relative-out", "out-dir/exists.txt", "missing-dir/x", "chain", "chain-missing"
        }) {
            assertThat(outcome(path)).as(path).isEqualTo(Outcome.OUTSIDE);
        }
        assertThat(outcome("..")).isEqualTo(Outcome.OUTSIDE);
        assertThat(outcome("lib/../../outside/exists.txt")).isEqualTo(Outcome.OUTSIDE);
    }

    @Test
    void anAbsoluteTargetIsNeverNormalizedByName_dotDotAfterALinkLeavesWithIt() throws IOException {
        // As text, root/sub/out/.. is root/sub; the kernel goes to where out leads, then to its parent: outside.
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/out"), outside);
        Files.createSymbolicLink(root.resolve("absolute"), Path.of(root + "/sub/out/.."));
        Files.createSymbolicLink(root.resolve("relative"), Path.of("sub/out/.."));
        Files.createSymbolicLink(root.resolve("climbs"), Path.of(root + "/lib/../.."));

        for (String path : new String[] {"absolute", "absolute/outside/exists.txt", "relative", "climbs"}) {
            assertThat(outcome(path)).as(path).isEqualTo(Outcome.OUTSIDE);
        }
    }

    @Test
    void namesOutsideAscii_resolveLikeAnyOther() throws IOException {
        Files.writeString(root.resolve("café.py"), "x = 1\n");
        Files.createSymbolicLink(root.resolve("link.py"), Path.of("café.py"));

        assertThat(ConfinedPath.resolve(root, Path.of("link.py")).real()).hasValue(root.resolve("café.py"));
    }

    @Test
    void linksThatStayInside_resolveToTheirRealPath_asTheKernelWould() throws IOException {
        Files.createSymbolicLink(root.resolve("vendor"), Path.of("lib"));
        Files.createSymbolicLink(root.resolve("lib/up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("absolute"), root.resolve("lib/deep/file.py"));
        Files.createSymbolicLink(root.resolve("lib/deep/sibling"), Path.of("../deep/file.py"));

        assertThat(ConfinedPath.resolve(root, Path.of("vendor/deep/file.py")).real())
                .hasValue(root.resolve("lib/deep/file.py"));
        assertThat(ConfinedPath.resolve(root, Path.of("lib/up/lib/deep/sibling"))
                        .real())
                .hasValue(root.resolve("lib/deep/file.py"));
        assertThat(ConfinedPath.resolve(root, Path.of("absolute")).real()).hasValue(root.resolve("lib/deep/file.py"));
        // ".." after a link is the parent of where the link leads, not of the link
        Files.createSymbolicLink(root.resolve("into-deep"), Path.of("lib/deep"));
        assertThat(ConfinedPath.resolve(root, Path.of("into-deep/../deep/file.py"))
                        .real())
                .hasValue(root.resolve("lib/deep/file.py"));
    }

    @Test
    void missingNamesInside_loops_andFilesUsedAsFolders_areToldApart() throws IOException {
        Files.createSymbolicLink(root.resolve("broken"), Path.of("lib/never"));
        Files.createSymbolicLink(root.resolve("me"), Path.of("me"));
        Files.createSymbolicLink(root.resolve("ping"), Path.of("pong"));
        Files.createSymbolicLink(root.resolve("pong"), Path.of("ping"));

        assertThat(outcome("lib/none.py")).isEqualTo(Outcome.MISSING);
        assertThat(outcome("broken")).isEqualTo(Outcome.MISSING);
        assertThat(outcome("lib/deep/file.py/x")).isEqualTo(Outcome.MISSING);
        assertThat(outcome("me")).isEqualTo(Outcome.LOOP);
        assertThat(outcome("ping")).isEqualTo(Outcome.LOOP);
        assertThat(outcome("lib/deep/file.py")).isEqualTo(Outcome.INSIDE);
        assertThat(outcome(".")).isEqualTo(Outcome.INSIDE);
    }
}
