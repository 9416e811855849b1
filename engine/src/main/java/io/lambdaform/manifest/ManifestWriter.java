package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes manifest documents (JSON trees) as YAML that reads back to the same trees, whatever their strings hold:
 * SnakeYAML's serializer with the style of every scalar chosen here, never from an object's class. A string is
 * written plain only when it is plainly a string to YAML 1.1 and 1.2 readers alike; anything else (a {@code : }, a
 * {@code #}, a newline, {@code yes}, {@code 0o17}, {@code 1e3}, leading or trailing blanks) is double-quoted, with
 * escapes. Every string is a literal: its {@code ${} is written {@code $${}, so that no variable is read from it,
 * except a {@link #reference} to a variable.
 */
public final class ManifestWriter {
    private static final Pattern PLAIN = Pattern.compile("^[A-Za-z_/][A-Za-z0-9 _./@+=:*,()-]*$");
    private static final Resolver YAML_11 = new Resolver();
    private static final Resolver YAML_12 = new YamlReader.Yaml12Resolver();

    private ManifestWriter() {}

    /** A reference to a variable of the Stack, written {@code ${var.NAME}}. */
    public record VariableReference(String variable) {
        public VariableReference {
            requireNonNull(variable, "variable is null");
        }
    }

    /** A value that is written as a reference to the variable, {@code ${var.NAME}}: put it in a tree to write. */
    public static JsonNode reference(String variable) {
        return JsonNodeFactory.instance.pojoNode(new VariableReference(variable));
    }

    /** The documents as one YAML text, separated by {@code ---}. */
    public static String write(List<JsonNode> documents) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setAllowUnicode(true);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        Yaml yaml = new Yaml(options);
        StringBuilder text = new StringBuilder();
        for (JsonNode document : documents) {
            if (text.length() > 0) {
                text.append("---\n");
            }
            StringWriter out = new StringWriter();
            yaml.serialize(node(document), out);
            text.append(out);
        }
        return text.toString();
    }

    /** The document as YAML. */
    public static String write(JsonNode document) {
        return write(List.of(document));
    }

    private static Node node(JsonNode value) {
        if (value.isObject()) {
            List<NodeTuple> tuples = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
                tuples.add(new NodeTuple(string(field.getKey()), node(field.getValue())));
            }
            return new MappingNode(Tag.MAP, tuples, flow(tuples.isEmpty()));
        }
        if (value.isArray()) {
            List<Node> items = new ArrayList<>();
            value.forEach(item -> items.add(node(item)));
            return new SequenceNode(Tag.SEQ, items, flow(items.isEmpty()));
        }
        if (value instanceof POJONode pojo && pojo.getPojo() instanceof VariableReference reference) {
            return scalar(Tag.STR, "${var." + reference.variable() + "}", DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        }
        if (value.isTextual()) {
            return string(value.asText().replace("${", "$${"));
        }
        if (value.isBoolean()) {
            return scalar(Tag.BOOL, String.valueOf(value.asBoolean()), DumperOptions.ScalarStyle.PLAIN);
        }
        if (value.isIntegralNumber()) {
            return scalar(Tag.INT, value.asText(), DumperOptions.ScalarStyle.PLAIN);
        }
        if (value.isNumber()) {
            return scalar(Tag.FLOAT, value.decimalValue().toString(), DumperOptions.ScalarStyle.PLAIN);
        }
        if (value.isNull()) {
            return scalar(Tag.NULL, "null", DumperOptions.ScalarStyle.PLAIN);
        }
        throw new IllegalArgumentException("cannot write " + value.getNodeType() + " as YAML");
    }

    /** A string, plain when no YAML reader can take it for anything else, else double-quoted. */
    private static Node string(String text) {
        boolean plain = PLAIN.matcher(text).matches()
                && !text.endsWith(" ")
                && !text.endsWith(":")
                && !text.contains(": ")
                && YAML_11.resolve(NodeId.scalar, text, true).equals(Tag.STR)
                && YAML_12.resolve(NodeId.scalar, text, true).equals(Tag.STR);
        return scalar(Tag.STR, text, plain ? DumperOptions.ScalarStyle.PLAIN : DumperOptions.ScalarStyle.DOUBLE_QUOTED);
    }

    private static Node scalar(Tag tag, String text, DumperOptions.ScalarStyle style) {
        return new ScalarNode(tag, text, null, null, style);
    }

    private static DumperOptions.FlowStyle flow(boolean empty) {
        return empty ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK;
    }
}
