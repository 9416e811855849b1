package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lambdaform status} (issue #24): what a stack has deployed, without planning: the releases example's function
 * with the code it runs, its owner, its newest version and its alias's routing; a function no longer declared; a
 * function not deployed yet; on the local cloud and on moto.
 */
class StatusCommandTest {
    private static final Path RELEASES =
            Path.of("../manifests/releases").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path copy() throws IOException {
        Files.createDirectories(dir.resolve("repo/.git"));
        return TestFiles.copyTree(RELEASES, dir.resolve("repo/releases"));
    }

    @Test
    void onTheLocalCloud_showsTheFunctionItsVersionAndAlias_andWhatIsNoLongerDeclared() throws Exception {
        Path set = copy();
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result before = cli.run("status", set.toString());
        CliRunner.Result apply = cli.run("apply", set.toString(), "--auto-approve");
        CliRunner.Result after = cli.run("status", set.toString());
        Files.writeString(
                set.resolve("prices.yaml"),
                Files.readString(set.resolve("prices.yaml"))
                        .replace("name: prices\n", "name: quotes\n")
                        .replace("function: prices", "function: quotes"));
        CliRunner.Result renamed = cli.run("status", set.toString());

        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(before.out()).contains("function prices: not deployed");
        assertThat(after.out())
                .contains("function prices: Active, update Successful, owner releases")
                .containsPattern("    code \\S+=, contents \\S+=")
                .contains("1 version(s), newest 1 (live)")
                .contains("alias live -> 1");
        assertThat(after.err()).contains("1 function(s) declared, 1 deployed.");
        assertThat(renamed.out())
                .contains("function quotes: not deployed")
                .contains("function prices: deployed, no longer declared (apply deletes it)");
    }

    @Test
    void onMoto_showsTheFunctionAndItsAlias() throws Exception {
        Path set = copy();
        String endpoint = MotoServer.freshEndpoint().toString();
        CliRunner cli = new CliRunner(dir.resolve("state"));
        List<String> target = List.of("--target", "aws", "--endpoint-url", endpoint, "--region", "us-east-1");
        cli.runOn(target, "apply", set.toString(), "--auto-approve", "--no-payload-gate");

        CliRunner.Result status = cli.runOn(target, "status", set.toString());

        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("function prices: Active").contains("alias live -> 1");
    }
}
