package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} finds, offline and at the manifest's {@code code}, what would keep a function's code from being
 * packaged, which before only {@code plan} found: a link out of the folder, a FIFO, a loop of links, more than
 * Lambda's unzipped limit. It reads no file's contents, and never names what a link points to.
 */
class ValidateCodeTest {
    private static final String OUTSIDE_CONTENT = "ghp_outsideTheRepositoryToken31";

    @TempDir
    Path dir;

    private final CliRunner cli = new CliRunner(Path.of("unused-state"));

    private Path repository() throws IOException {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        write(repo, "stack.yaml", "kind: Stack\nname: code\n");
        write(repo, "role.yaml", "kind: Role\nname: code-role\n");
        write(dir, "outside/credentials", OUTSIDE_CONTENT + "\n");
        return repo;
    }

    private static String function(String name, String code) {
        return "kind: Function\nname: " + name + "\nspec:\n  runtime: python3.12\n  handler: app.handler\n  code: "
                + code + "\n  role: code-role\n";
    }

    @Test
    void validate_reportsEveryCodeFolderThatCouldNotBePackaged_atItsManifestsCode() throws Exception {
        Path repo = repository();
        write(
                repo,
                "functions.yaml",
                String.join(
                        "---\n",
                        function("leaks", "leaks"),
                        function("pipes", "pipes"),
                        function("loops", "loops"),
                        function("huge", "huge"),
                        function("excluded", "{path: excluded, exclude: [creds]}"),
                        function("clean", "clean")));
        for (String folder : new String[] {"leaks", "pipes", "loops", "huge", "excluded", "clean"}) {
            write(repo, folder + "/app.py", "def handler(event, context):\n    return event\n");
        }
        Files.createSymbolicLink(repo.resolve("leaks/creds"), dir.resolve("outside/credentials"));
        Files.createSymbolicLink(repo.resolve("excluded/creds"), dir.resolve("outside/credentials"));
        assertThat(new ProcessBuilder("mkfifo", repo.resolve("pipes/queue").toString())
                        .start()
                        .waitFor())
                .isZero();
        Files.createDirectories(repo.resolve("loops/lib"));
        Files.createSymbolicLink(repo.resolve("loops/lib/again"), repo.resolve("loops"));
        try (RandomAccessFile sparse =
                new RandomAccessFile(repo.resolve("huge/model.bin").toFile(), "rw")) {
            sparse.setLength(260L * 1024 * 1024); // no disk used: validate only looks at sizes
        }

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "functions.yaml:6:9: code folder 'leaks' contains creds, a symbolic link that leads outside"
                                + " the folder",
                        "functions.yaml:14:9: code folder 'pipes' contains queue, which is not a regular file",
                        "functions.yaml:22:9: code folder 'loops' contains lib/again, a symbolic link loop",
                        "functions.yaml:30:9: the deployment package for 'huge' is more than 250 MB unzipped;"
                                + " Lambda accepts at most 250 MB unzipped",
                        "4 problem(s) found.")
                .doesNotContain(
                        "'excluded'",
                        "'clean'",
                        OUTSIDE_CONTENT,
                        dir.resolve("outside").toString());
        assertThat(result.out()).doesNotContain("Valid");
    }

    @Test
    void linksOutOfTheRepository_getTheSameMessage_whetherWhatTheyNameExistsOrNot() throws Exception {
        // Otherwise a pull request could learn, from the public output, which files the deployer's machine holds.
        Path repo = repository();
        Path existing = dir.resolve("outside/credentials");
        Path missing = dir.resolve("outside/no-such-file");
        write(repo, "functions.yaml", String.join("---\n", function("one", "one"), function("two", "two")));
        for (String folder : new String[] {"one", "two"}) {
            write(repo, folder + "/app.py", "def handler(event, context):\n    return event\n");
        }
        Files.createSymbolicLink(repo.resolve("one/creds"), existing);
        Files.createSymbolicLink(repo.resolve("two/creds"), missing);
        write(
                repo,
                "payloads.yaml",
                String.join(
                        "---\n",
                        "kind: Payload\nname: p1\nspec: {function: one, eventFile: e1.json}\n",
                        "kind: Payload\nname: p2\nspec: {function: two, eventFile: e2.json}\n"));
        Files.createSymbolicLink(repo.resolve("e1.json"), existing);
        Files.createSymbolicLink(repo.resolve("e2.json"), missing);
        Files.createSymbolicLink(repo.resolve("m1.yaml"), existing);
        Files.createSymbolicLink(repo.resolve("m2.yaml"), missing);

        // The manifest links as a shell's *.yaml would give them: a folder's walk skips links.
        List<String> args = new ArrayList<>(List.of("validate"));
        for (String file : new String[] {"stack", "role", "functions", "payloads", "m1", "m2"}) {
            args.add(repo.resolve(file + ".yaml").toString());
        }
        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "code folder 'one' contains creds, a symbolic link that leads outside the folder",
                        "code folder 'two' contains creds, a symbolic link that leads outside the folder",
                        "event file 'e1.json' goes through a symbolic link that leads outside",
                        "event file 'e2.json' goes through a symbolic link that leads outside",
                        "m1.yaml: is a symbolic link that leads outside",
                        "m2.yaml: is a symbolic link that leads outside",
                        "6 problem(s) found.")
                .doesNotContain("broken", "does not exist", "no such file", OUTSIDE_CONTENT);
    }

    @Test
    void aHandlersModuleThatIsALinkOutOfTheCode_isRefusedAlike_whetherWhatItNamesExistsOrNot() throws Exception {
        Path repo = repository();
        write(repo, "functions.yaml", String.join("---\n", function("one", "one"), function("two", "two")));
        Files.createDirectories(repo.resolve("one"));
        Files.createDirectories(repo.resolve("two"));
        Files.createSymbolicLink(repo.resolve("one/app.py"), dir.resolve("outside/credentials"));
        Files.createSymbolicLink(repo.resolve("two/app.py"), dir.resolve("outside/app.py"));

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "code folder 'one' contains app.py, a symbolic link that leads outside the folder",
                        "code folder 'two' contains app.py, a symbolic link that leads outside the folder",
                        "2 problem(s) found.")
                .doesNotContain("no such file", OUTSIDE_CONTENT);
    }

    @Test
    void validate_ofAFolderThatSeveralFunctionsShare_reportsItAtEachFunctionsCode() throws Exception {
        Path repo = repository();
        write(repo, "a/functions.yaml", function("first", "../shared"));
        write(repo, "b/functions.yaml", function("second", "../shared"));
        write(repo, "shared/app.py", "def handler(event, context):\n    return event\n");
        Files.createSymbolicLink(repo.resolve("shared/creds"), dir.resolve("outside/credentials"));

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains(
                        "a/functions.yaml:6:9: code folder '../shared' contains creds",
                        "b/functions.yaml:6:9: code folder '../shared' contains creds",
                        "2 problem(s) found.");
    }

    @Test
    void validate_ofCodeThatCanBePackaged_isValid() throws Exception {
        Path repo = repository();
        write(repo, "functions.yaml", function("ok", "src"));
        write(repo, "src/app.py", "def handler(event, context):\n    return event\n");

        CliRunner.Result result = cli.run(Map.of("PATH", "/usr/bin:/bin"), "validate", repo.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Valid: stack code with ").contains(" 1 role(s), ", " 1 function(s), ");
    }
}
