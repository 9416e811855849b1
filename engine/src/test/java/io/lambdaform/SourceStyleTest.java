package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the formatter does not check: classes are imported, never named inline with their package. */
class SourceStyleTest {
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.])(?:java|javax|com|io|org|software)(?:\\.[a-z0-9_]+)+\\.[A-Z]\\w*");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void noInlineFullyQualifiedNames() throws IOException {
        List<String> found = new ArrayList<>();
        for (String root : List.of("src/main/java", "src/test/java")) {
            try (Stream<Path> files = Files.walk(Path.of(root))) {
                for (Path file :
                        files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.startsWith("import ")
                                || line.startsWith("package ")
                                || line.startsWith("*")
                                || line.startsWith("/*")
                                || line.startsWith("//")) {
                            continue;
                        }
                        Matcher m = QUALIFIED.matcher(STRING.matcher(line).replaceAll("\"\""));
                        if (m.find()) {
                            found.add(file + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(found).as("import these classes instead").isEmpty();
    }
}
