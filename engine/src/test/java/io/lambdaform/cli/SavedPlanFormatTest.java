package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plan file is a public format: a plan saved by an earlier Lambdaform of the same format version still applies,
 * and a plan of another version is refused with a message naming both versions.
 *
 * <p>The fixture (src/test/resources/saved-plans/v1-orders) was made by the Lambdaform of commit e8d62dd, before the
 * resource kinds became slices: the orders example applied to a local state folder, then edited (a role's inline
 * policy, a new role, a function's configuration and tags, a function removed) and planned with {@code plan --out}.
 * Its paths are recorded relative to the folder the tests run in, so the fixture is copied to exactly
 * {@value #WORK}.
 */
class SavedPlanFormatTest {
    private static final String WORK = "target/saved-plan-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work = Path.of(WORK);
    private CliRunner cli;

    @BeforeEach
    void copyFixture() throws IOException, URISyntaxException {
        Path fixture = Path.of(getClass().getResource("/saved-plans/v1-orders").toURI());
        deleteRecursively(work);
        try (Stream<Path> files = Files.walk(fixture)) {
            files.forEach(source ->
                    copy(source, work.resolve(fixture.relativize(source).toString())));
        }
        cli = new CliRunner(work.resolve("state"));
    }

    @Test
    void aPlanSavedByTheEarlierEngine_appliesExactly_andTheNextPlanIsEmpty() {
        CliRunner.Result apply = cli.run("apply", WORK + "/plan.json", "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains(
                        "+ role orders-dev-audit: create role",
                        "~ role orders-dev-fn: put inline policy publish-notifications",
                        "~ function orders-dev-create: update configuration",
                        "~ function orders-dev-create: tag owner",
                        "- function orders-dev-notify: delete function",
                        "Apply complete: 1 created, 2 updated, 1 deleted.");
        CliRunner.Result plan = cli.run("plan", WORK + "/app", "--env", "dev", "--detailed-exitcode");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
    }

    @Test
    void aPlanOfAnotherFormatVersion_isRefusedNamingTheVersions_andNothingChanges() throws IOException {
        Path planFile = work.resolve("plan.json");
        ObjectNode tree = (ObjectNode) JSON.readTree(planFile.toFile());
        tree.put("formatVersion", 2);
        Files.writeString(planFile, JSON.writeValueAsString(tree));
        String stateBefore = Files.readString(work.resolve("state/state.json"));

        CliRunner.Result apply = cli.run("apply", planFile.toString(), "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(1);
        assertThat(apply.err()).contains("plan format version 2", "reads format version 1");
        assertThat(Files.readString(work.resolve("state/state.json"))).isEqualTo(stateBefore);
        assertThat(work.resolve("state/state.log"))
                .as("no change was journaled")
                .doesNotExist();
    }

    private static void copy(Path source, Path target) {
        try {
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
