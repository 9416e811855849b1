package io.lambdaform.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the writer writes reads back as the same tree, whatever the strings hold. */
class ManifestWriterTest {
    private static final List<String> HOSTILE = List.of(
            "plain words",
            "key: value",
            "a # not a comment",
            "#starts with a hash",
            "line one\nline two\n",
            "  leading and trailing  ",
            "",
            "yes",
            "No",
            "on",
            "true",
            "null",
            "~",
            "0o17",
            "0x1F",
            "1e3",
            "1_000",
            "12",
            "-1",
            ".inf",
            "2024-01-01",
            "<<",
            "*alias",
            "&anchor",
            "!tag",
            "@at",
            "`tick`",
            "- item",
            "? key",
            "{flow: map}",
            "[flow, list]",
            "\"double\" and 'single' quotes",
            "back\\slash",
            "tab\there",
            "bell\u0007 and nul-free control",
            "unicode: héllo wörld ✓ 日本語 🚀",
            "\u2028line separator",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:s3:::bucket/*");

    private static JsonNode readBack(String yaml) {
        Problems problems = new Problems();
        List<YamlDocument> documents =
                new YamlReader().read(SourceFile.of(Path.of("written.yaml"), "written.yaml", yaml), problems);
        assertThat(problems.sorted()).as(yaml).isEmpty();
        assertThat(documents).hasSize(1);
        return documents.get(0).root();
    }

    @Test
    void hostileStrings_asValuesAndAsKeys_readBackAsThemselves() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        ObjectNode values = tree.putObject("values");
        ObjectNode keys = tree.putObject("keys");
        for (int i = 0; i < HOSTILE.size(); i++) {
            values.put("v" + i, HOSTILE.get(i));
            keys.put(HOSTILE.get(i), i);
        }
        tree.put("memorySize", 128).put("enabled", false).putArray("empty");
        tree.putObject("none");

        String yaml = ManifestWriter.write(tree);

        // As JSON text: numbers read back as BigIntegerNode, written from an IntNode.
        assertThat(readBack(yaml).toString()).isEqualTo(tree.toString());
        assertThat(yaml).contains("memorySize: 128", "v0: plain words", "empty: []", "none: {}");
    }

    @Test
    void variableSyntaxInAString_isWrittenAsALiteral_andAReferenceAsAReference() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("literal", "Resource: arn:aws:s3:::b/${aws:username}/* and $${x}");
        tree.set("secret", ManifestWriter.reference("hello_API_TOKEN"));

        JsonNode read = readBack(ManifestWriter.write(tree));

        assertThat(read.get("literal").asText()).isEqualTo("Resource: arn:aws:s3:::b/$${aws:username}/* and $$${x}");
        assertThat(read.get("secret").asText()).isEqualTo("${var.hello_API_TOKEN}");
    }

    @Test
    void severalDocuments_areSeparated() {
        ObjectNode a = JsonNodeFactory.instance.objectNode().put("kind", "Stack");
        ObjectNode b = JsonNodeFactory.instance.objectNode().put("kind", "Role");

        Problems problems = new Problems();
        List<YamlDocument> documents = new YamlReader()
                .read(SourceFile.of(Path.of("w.yaml"), "w.yaml", ManifestWriter.write(List.of(a, b))), problems);

        assertThat(documents).extracting(YamlDocument::root).containsExactly(a, b);
    }
}
