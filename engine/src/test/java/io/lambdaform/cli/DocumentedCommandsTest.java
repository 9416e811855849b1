package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code bin/lambdaform ...} or installed {@code lambdaform ...} command line in the README and docs uses commands
 * and flags that exist.
 */
class DocumentedCommandsTest {
    private static final List<Path> DOCS = List.of(
            Path.of("../README.md"),
            Path.of("../docs/gitops.md"),
            Path.of("../docs/aws.md"),
            Path.of("../docs/cli.md"),
            Path.of("../docs/triggers.md"));

    @Test
    void documentedCommandLines_parse() throws IOException {
        List<String> commands = new ArrayList<>();
        for (Path doc : DOCS) {
            commands.addAll(commandLines(Files.readString(doc)));
        }
        assertThat(commands).hasSizeGreaterThan(8);
        for (String command : commands) {
            String[] args = Arrays.stream(command.split("\\s+"))
                    .filter(a -> !a.isEmpty())
                    .toArray(String[]::new);
            assertThat(parses(args))
                    .as("documented command: lambdaform %s", command)
                    .isNull();
        }
    }

    private static String parses(String[] args) {
        Console console = new Console(
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                new BufferedReader(new StringReader("")),
                Map.of(),
                false);
        CommandLine cli = Main.commandLine(new GuiceFactory(Guice.createInjector(new CliModule(console))), args);
        try {
            cli.parseArgs(args);
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    private static final Pattern INVOCATION = Pattern.compile("(?:^|[\\s:(|&;$])(?:bin/)?lambdaform (?=[a-z-])");

    /** The arguments of each {@code bin/lambdaform} or {@code lambdaform} invocation inside fenced code blocks. */
    static List<String> commandLines(String markdown) {
        List<String> commands = new ArrayList<>();
        boolean inCode = false;
        StringBuilder logical = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.strip().startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (!inCode) {
                continue;
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            String text = logical.toString()
                    .replaceAll("\\$\\{\\{ *matrix\\.env *}}", "dev")
                    .replaceAll("\\$\\{\\{[^}]*}}", "x");
            logical.setLength(0);
            // The source launcher (bin/lambdaform) or the installed command (lambdaform), where a command starts.
            Matcher invocation = INVOCATION.matcher(text);
            while (invocation.find()) {
                String rest = text.substring(invocation.end());
                String command = rest.split("&&|\\|\\||[|>;]|\\)\"")[0].strip();
                if (!command.contains(" [")) { // a synopsis ("[--force]"), not a command line
                    commands.add(command);
                }
            }
        }
        return commands;
    }
}
