package io.lambdaform.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML safely into JSON trees with positions. Only SnakeYAML's composer runs (no object is ever constructed
 * from a tag); aliases, nesting and size are bounded; duplicate keys, merge keys and custom tags are errors. Scalars
 * resolve as in YAML 1.2: only true/false are booleans, so {@code on}, {@code yes} and {@code NO} stay strings.
 */
public final class YamlReader {
    public static final int MAX_FILE_BYTES = 1024 * 1024;
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 100_000;
    /** Characters of a mapping key at most: no name Lambdaform reads is longer, and keys are part of every pointer. */
    static final int MAX_KEY_LENGTH = 256;
    /** Documents in one file at most: each costs far more memory than its few bytes of text. */
    static final int MAX_DOCUMENTS = 10_000;

    private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

    /** Reads every document of the file; problems go to {@code problems} and yield no document. */
    public List<YamlDocument> read(SourceFile file, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setAllowRecursiveKeys(false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml =
                new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new Yaml12Resolver());

        List<YamlDocument> documents = new ArrayList<>();
        try {
            int count = 0;
            for (Node node : yaml.composeAll(new StringReader(file.text()))) {
                if (node == null
                        || node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
                    continue; // an empty document ('---' and nothing, or '~'), as kubectl skips them
                }
                if (++count > MAX_DOCUMENTS) {
                    problems.add(Diagnostic.inFile(
                            file.displayName(),
                            "more than " + MAX_DOCUMENTS + " documents in one file; split it into several files"));
                    break;
                }
                Converter converter = new Converter(file, problems);
                Positions positions = new Positions(position(file, node.getStartMark()));
                JsonNode root = converter.convert(node, positions, 0);
                if (root != null && !converter.failed) {
                    documents.add(new YamlDocument(file, position(file, node.getStartMark()), root, positions));
                }
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null && !opensAtContext(e) ? e.getProblemMark() : e.getContextMark();
            String message = "invalid YAML: " + describe(e);
            if (mark != null) {
                problems.at(position(file, mark), message);
            } else {
                problems.add(Diagnostic.inFile(file.displayName(), message));
            }
        } catch (YAMLException e) {
            problems.add(Diagnostic.inFile(file.displayName(), "invalid YAML: " + plainWords(oneLine(e.getMessage()))));
        }
        return documents;
    }

    /** A quote, '[' or '{' that is never closed is shown where it opens, not where the file ends. */
    private static boolean opensAtContext(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        return e.getContextMark() != null
                && (problem.startsWith("found unexpected end of stream") || problem.contains("but got <stream end>"));
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : oneLine(e.getProblem());
        String plain = plainWords(problem);
        if (!plain.equals(problem)) {
            return plain;
        }
        String context = e.getContext() == null ? "" : e.getContext() + ": ";
        return oneLine(context + problem);
    }

    private static final Pattern CANNOT_START = Pattern.compile("found character '(.+)' that cannot start any token.*");
    private static final Pattern UNDEFINED_ALIAS = Pattern.compile("found undefined alias (.+)");
    private static final Pattern UNKNOWN_ESCAPE = Pattern.compile("found unknown escape character (.)\\(\\d+\\)");

    /** SnakeYAML's words for the common mistakes, said as a person would; others as SnakeYAML says them. */
    static String plainWords(String problem) {
        Matcher m;
        if (problem.startsWith("mapping values are not allowed here")) {
            return "a ':' where YAML allows none: a value that holds ': ' needs quotes, or this line is indented"
                    + " more than the key before it";
        }
        if ((m = CANNOT_START.matcher(problem)).matches()) {
            return m.group(1).startsWith("\\t")
                    ? "a tab: YAML indents with spaces only"
                    : "'" + m.group(1) + "' cannot start a value: put the value in quotes";
        }
        if (problem.startsWith("could not find expected ':'")) {
            return "expected 'key: value': a ':' is missing on this line or on the one before";
        }
        if (problem.startsWith("found unexpected end of stream")) {
            return "a quoted value is not closed: its closing quote is missing";
        }
        if ((m = UNDEFINED_ALIAS.matcher(problem)).matches()) {
            return "*" + m.group(1) + " refers to no anchor &" + m.group(1) + " defined before it";
        }
        if ((m = UNKNOWN_ESCAPE.matcher(problem)).find()) {
            return "'\\" + m.group(1) + "' is not an escape YAML knows between double quotes: write '\\\\" + m.group(1)
                    + "', or use single quotes";
        }
        if (problem.startsWith("expected <block end>, but found '<block sequence start>'")
                || problem.startsWith("expected <block end>, but found '-'")) {
            return "a list item ('- ') where a 'key: value' was expected: check the indentation";
        }
        if (problem.startsWith("expected <block end>, but found '?'")) {
            return "a 'key: value' where a list item ('- ') was expected: check the indentation";
        }
        if (problem.startsWith("expected ',' or ']'")) {
            return "a list opened with '[' is not closed with ']', or an item lacks its ','";
        }
        if (problem.startsWith("expected ',' or '}'")) {
            return "a mapping opened with '{' is not closed with '}', or an entry lacks its ','";
        }
        if (problem.startsWith("Number of aliases for non-scalar nodes exceeds")) {
            return "more than " + MAX_ALIASES + " aliases (*name) of lists or mappings; Lambdaform refuses more, to"
                    + " bound the size of a document";
        }
        if (problem.startsWith("Nesting Depth exceeded")) {
            return "nested more than " + MAX_DEPTH + " levels deep; Lambdaform refuses deeper documents";
        }
        if (problem.startsWith("The incoming YAML document exceeds the limit")) {
            return "larger than " + MAX_FILE_BYTES + " characters; split it into several files";
        }
        return problem;
    }

    private static String oneLine(String text) {
        if (text == null) {
            return "unreadable document";
        }
        return text.lines().findFirst().orElse(text).strip();
    }

    static Position position(SourceFile file, Mark mark) {
        return new Position(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** A resolver with YAML 1.2 booleans; the rest as SnakeYAML resolves them. */
    static final class Yaml12Resolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "tTfF");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    /** Converts a composed node tree to Jackson nodes, recording positions and bounding alias expansion. */
    private static final class Converter {
        private final SourceFile file;
        private final Problems problems;
        private int nodes;
        private boolean failed;

        Converter(SourceFile file, Problems problems) {
            this.file = file;
            this.problems = problems;
        }

        JsonNode convert(Node node, Positions at, int depth) {
            if (failed) {
                return null;
            }
            if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
                fail(
                        node,
                        "document too large or too deeply nested after expanding aliases (at most " + MAX_NODES
                                + " values, " + MAX_DEPTH + " levels)");
                return null;
            }
            if (node instanceof MappingNode mapping) {
                return mapping(mapping, at, depth);
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                for (Node item : sequence.getValue()) {
                    array.add(convert(item, at.item(position(file, item.getStartMark())), depth + 1));
                }
                return array;
            }
            return scalar((ScalarNode) node);
        }

        private JsonNode mapping(MappingNode mapping, Positions at, int depth) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            Set<String> seen = new HashSet<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    fail(keyNode, "YAML merge keys (<<) are not supported; write the fields out");
                    return null;
                }
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    fail(keyNode, "a mapping key must be a plain value, not a list or mapping");
                    return null;
                }
                String key = scalarKey.getValue();
                if (key.length() > MAX_KEY_LENGTH) {
                    fail(
                            keyNode,
                            "a key of " + String.format("%,d", key.length()) + " characters; keys may have at most "
                                    + MAX_KEY_LENGTH);
                    return null;
                }
                if (!seen.add(key)) {
                    problems.at(
                            position(file, keyNode.getStartMark()),
                            "duplicate key '" + key + "': each key may appear once in a mapping");
                    failed = true;
                    continue;
                }
                Node value = tuple.getValueNode();
                Positions member =
                        at.member(key, position(file, keyNode.getStartMark()), position(file, value.getStartMark()));
                object.set(key, convert(value, member, depth + 1));
            }
            return object;
        }

        private JsonNode scalar(ScalarNode node) {
            String value = node.getValue();
            Tag tag = node.getTag();
            JsonNodeFactory json = JsonNodeFactory.instance;
            if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
                return json.textNode(value);
            }
            if (tag.equals(Tag.NULL)) {
                return json.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return json.booleanNode(value.equalsIgnoreCase("true"));
            }
            try {
                if (tag.equals(Tag.INT)) {
                    return json.numberNode(parseInteger(value));
                }
                if (tag.equals(Tag.FLOAT)) {
                    return json.numberNode(new BigDecimal(value.replace("_", "")));
                }
            } catch (NumberFormatException e) {
                return json.textNode(value);
            }
            fail(node, "YAML tag " + tag.getValue() + " is not allowed in manifests; remove it");
            return null;
        }

        private static BigInteger parseInteger(String text) {
            String value = text.replace("_", "");
            boolean negative = value.startsWith("-");
            if (value.startsWith("-") || value.startsWith("+")) {
                value = value.substring(1);
            }
            BigInteger result;
            if (value.startsWith("0x")) {
                result = new BigInteger(value.substring(2), 16);
            } else if (value.startsWith("0o")) {
                result = new BigInteger(value.substring(2), 8);
            } else if (value.startsWith("0b")) {
                result = new BigInteger(value.substring(2), 2);
            } else {
                result = new BigInteger(value);
            }
            return negative ? result.negate() : result;
        }

        private void fail(Node node, String message) {
            problems.at(position(file, node.getStartMark()), message);
            failed = true;
        }
    }
}
