package io.lambdaform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Manifest sets that a pull request could hold to make {@code validate} or {@code plan} run for minutes or exhaust
 * the runner's memory, each at the size limits: one shape per known attack. The test suite runs every shape
 * ({@code HostileCorpusTest}); {@code bench/hostile} writes them with {@link #main} and times each. JDK classes only,
 * so that the bench can run it from the test classes alone.
 */
public final class HostileCorpus {
    /** The largest manifest file the reader accepts, as YamlReader.MAX_FILE_BYTES (kept apart: JDK only). */
    static final int FILE_LIMIT = 1024 * 1024;

    /**
     * One shape: how to write it, which command reads it, and what the user must see.
     *
     * @param name the folder it is written to
     * @param what the attack, in words
     * @param command the command, run on the folder ({@code validate} or {@code plan})
     * @param exitCode the exit code it must end with
     * @param expected a fragment the output must hold (the clear message, or the plan's summary)
     */
    public record Shape(String name, String what, String command, int exitCode, String expected, Writer writer) {}

    /** Writes a shape's files into an empty folder. */
    @FunctionalInterface
    public interface Writer {
        void write(Path folder) throws IOException;
    }

    private HostileCorpus() {}

    public static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape(
                "variable-bomb",
                "a 400 KB variable referenced 60,000 times in one string (24 GB once expanded)",
                "validate",
                1,
                "once their variables are substituted",
                HostileCorpus::variableBomb));
        shapes.add(new Shape(
                "variable-bomb-spread",
                "a 400 KB variable referenced in 40,000 values, and again through YAML aliases of them",
                "validate",
                1,
                "once their variables are substituted",
                HostileCorpus::variableBombSpread));
        shapes.add(new Shape(
                "long-payload-function",
                "a 100 KB spec.function among 2,000 functions (each misspelt name compared with every function)",
                "plan",
                1,
                "spec.function",
                HostileCorpus::longPayloadFunction));
        shapes.add(new Shape(
                "long-roles",
                "300 role references of 2,000 characters against 1,000 roles",
                "validate",
                1,
                "is not a Role of this manifest set",
                HostileCorpus::longRoles));
        shapes.add(new Shape(
                "near-miss-roles",
                "4,000 misspelt role names of 64 characters against 4,000 roles that differ by one character",
                "validate",
                1,
                "did you mean",
                HostileCorpus::nearMissRoles));
        shapes.add(new Shape(
                "many-documents",
                "1 MiB files of 260,000 empty documents ('---' lines), and of 170,000 one-letter documents",
                "validate",
                1,
                "documents in one file",
                HostileCorpus::manyDocuments));
        shapes.add(new Shape(
                "many-problems",
                "9,000 roles with 8 unknown fields each: 72,000 problems",
                "validate",
                1,
                "more problem",
                HostileCorpus::manyProblems));
        shapes.add(new Shape(
                "exclude-backtracking",
                "200 code.exclude patterns like *a*a*a...b over 2,000 files",
                "validate",
                1,
                "code.exclude",
                HostileCorpus::excludeBacktracking));
        shapes.add(new Shape(
                "exclude-at-limits",
                "100 code.exclude patterns of 80 characters like *a*a*a...b over 2,000 files, as many states as allowed",
                "plan",
                0,
                "Plan: 2 to create",
                HostileCorpus::excludeAtLimits));
        shapes.add(new Shape(
                "lying-zip",
                "a prebuilt zip whose entry declares 100 bytes and inflates to 300 MB",
                "plan",
                1,
                "unzipped",
                HostileCorpus::lyingZip));
        shapes.add(new Shape(
                "alias-bomb",
                "nested YAML aliases that would expand to a billion values",
                "validate",
                1,
                "aliases",
                HostileCorpus::aliasBomb));
        shapes.add(new Shape(
                "deep-nesting",
                "a flow sequence nested 100,000 levels deep",
                "validate",
                1,
                "nest",
                HostileCorpus::deepNesting));
        shapes.add(new Shape(
                "huge-scalar",
                "one description of nearly 1 MiB",
                "validate",
                1,
                "spec.description",
                HostileCorpus::hugeScalar));
        shapes.add(new Shape(
                "many-functions",
                "4,000 functions in one file, sharing one code folder",
                "validate",
                0,
                "Valid: stack hostile",
                HostileCorpus::manyFunctions));
        shapes.add(new Shape(
                "many-secrets",
                "8,000 secret environment values in 100 functions: every field and line shown is checked for each",
                "plan",
                0,
                "Plan: 101 to create",
                folder -> secrets(folder, 100, 80)));
        shapes.add(new Shape(
                "secrets-over-limit",
                "20,000 secret environment values in 200 functions, more than a set may hold",
                "plan",
                1,
                "sensitive values of this manifest set",
                folder -> secrets(folder, 200, 100)));
        shapes.add(new Shape(
                "many-schema-errors",
                "one function whose 40,000 environment entries each break the schema",
                "validate",
                1,
                "spec.environment",
                HostileCorpus::manySchemaErrors));
        shapes.add(new Shape(
                "long-keys",
                "an event nested 60 levels under keys of 250 characters, over a list of 90,000 items",
                "validate",
                0,
                "Valid: stack hostile",
                HostileCorpus::longKeys));
        shapes.add(new Shape(
                "too-long-key",
                "one key of 900,000 characters",
                "validate",
                1,
                "keys may have at most 256",
                folder -> Files.writeString(
                        folder.resolve("stack.yaml"),
                        STACK + "---\nkind: Payload\nname: p\nspec:\n  function: f\n  event:\n    ? "
                                + "k".repeat(900_000) + "\n    : 1\n",
                        StandardCharsets.UTF_8)));
        shapes.add(new Shape(
                "unclosed-references",
                "a string of 300,000 '${' that no '}' closes",
                "validate",
                0,
                "Valid: stack hostile",
                folder -> {
                    handler(folder);
                    Files.writeString(
                            folder.resolve("stack.yaml"),
                            STACK + ROLE + function("f", "r", "src") + "---\nkind: Payload\nname: p\nspec:\n"
                                    + "  function: f\n  event: {a: \"" + "${".repeat(300_000) + "\"}\n",
                            StandardCharsets.UTF_8);
                }));
        shapes.add(new Shape(
                "shared-event-file",
                "300 payloads naming one event file of 5 MB",
                "validate",
                0,
                "Valid: stack hostile",
                folder -> events(folder, 300, 1)));
        shapes.add(new Shape(
                "many-event-files",
                "12 event files of 6 MB each, more than a set's events may hold",
                "validate",
                1,
                "event files past",
                folder -> events(folder, 12, 12)));
        shapes.add(new Shape(
                "excludes-per-function",
                "120 functions, each with its own 100 exclude patterns of 75 characters, over 5,000 files",
                "validate",
                1,
                "code.exclude patterns of this set hold",
                HostileCorpus::excludesPerFunction));
        shapes.add(new Shape(
                "one-line-secrets",
                "27,000 secret entries in one line of 1 MB",
                "validate",
                1,
                "sensitive values of this manifest set",
                HostileCorpus::oneLineSecrets));
        shapes.add(new Shape(
                "unknown-roles-many-candidates",
                "3,000 references to a role that does not exist, among 10,000 roles of 64 characters",
                "validate",
                1,
                "is not a Role of this manifest set",
                HostileCorpus::unknownRolesManyCandidates));
        shapes.add(new Shape(
                "many-files",
                "60 files of 9,000 small documents each",
                "validate",
                1,
                "more than a manifest set may",
                HostileCorpus::manyFiles));
        return List.copyOf(shapes);
    }

    private static void longKeys(Path folder) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK + ROLE + function("f", "r", "src"));
        text.append("---\nkind: Payload\nname: p\nspec:\n  function: f\n  event:\n");
        String indent = "    ";
        for (int i = 0; i < 56; i++) {
            text.append(indent)
                    .append(String.format("%03d", i))
                    .append("k".repeat(247))
                    .append(":\n");
            indent += " ";
        }
        text.append(indent).append('[');
        for (int i = 0; i < 90_000; i++) {
            text.append(i == 0 ? "" : ",").append(i % 10);
        }
        text.append("]\n");
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void events(Path folder, int payloads, int files) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK + ROLE + function("f", "r", "src"));
        for (int i = 0; i < payloads; i++) {
            text.append("---\nkind: Payload\nname: p")
                    .append(i)
                    .append("\nspec:\n  function: f\n  eventFile: e")
                    .append(i % files)
                    .append(".json\n");
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
        int size = files == 1 ? 5 * 1024 * 1024 : 6 * 1024 * 1024 - 64;
        for (int i = 0; i < files; i++) {
            Files.writeString(folder.resolve("e" + i + ".json"), "{\"a\": \"" + "x".repeat(size - 12) + "\"}");
        }
    }

    private static void excludesPerFunction(Path folder) throws IOException {
        manyFiles(folder, 5000);
        Files.writeString(folder.resolve("stack.yaml"), STACK + ROLE, StandardCharsets.UTF_8);
        for (int half = 0; half < 2; half++) {
            StringBuilder text = new StringBuilder();
            for (int f = half * 60; f < half * 60 + 60; f++) {
                text.append("---\nkind: Function\nname: f")
                        .append(f)
                        .append("\nspec:\n  runtime: python3.12\n")
                        .append("  handler: app.handler\n  role: r\n  code:\n    path: src\n    exclude:\n");
                for (int i = 0; i < 100; i++) {
                    text.append("      - \"")
                            .append(starPattern(72))
                            .append(f)
                            .append('-')
                            .append(i)
                            .append("\"\n");
                }
            }
            Files.writeString(folder.resolve("functions-" + half + ".yaml"), text, StandardCharsets.UTF_8);
        }
    }

    private static void oneLineSecrets(Path folder) throws IOException {
        StringBuilder text = new StringBuilder(STACK + ROLE + function("f", "r", "src") + "  environment: {");
        for (int i = 0; text.length() < FILE_LIMIT - 64; i++) {
            text.append(i == 0 ? "" : ", ")
                    .append('K')
                    .append(i)
                    .append(": {value: v")
                    .append(i)
                    .append(", secret: true}");
        }
        text.append("}\n");
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void unknownRolesManyCandidates(Path folder) throws IOException {
        handler(folder);
        StringBuilder roles = new StringBuilder(STACK);
        for (int i = 0; i < 10_000; i++) {
            roles.append("---\nkind: Role\nname: ")
                    .append("r".repeat(56))
                    .append(String.format("%08d", i))
                    .append('\n');
        }
        Files.writeString(folder.resolve("roles.yaml"), roles, StandardCharsets.UTF_8);
        StringBuilder functions = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            functions.append(function("f" + i, "zz" + (i % 10), "src"));
        }
        Files.writeString(folder.resolve("functions.yaml"), functions, StandardCharsets.UTF_8);
    }

    private static void manyFiles(Path folder) throws IOException {
        Files.writeString(folder.resolve("stack.yaml"), STACK, StandardCharsets.UTF_8);
        for (int f = 0; f < 60; f++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 9000; i++) {
                text.append("---\nkind: Role\nname: r")
                        .append(f)
                        .append('-')
                        .append(i)
                        .append('\n');
            }
            Files.writeString(folder.resolve("roles-" + f + ".yaml"), text, StandardCharsets.UTF_8);
        }
    }

    /** Writes every shape under {@code args[0]}, one folder each, and a line per shape on standard output. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "hostile-corpus");
        for (Shape shape : shapes()) {
            Path folder = root.resolve(shape.name());
            Files.createDirectories(folder);
            shape.writer().write(folder);
            System.out.println(shape.name() + "\t" + shape.command() + "\t" + shape.exitCode() + "\t" + shape.what());
        }
    }

    private static final String STACK = "kind: Stack\nname: hostile\nspec:\n  region: us-east-1\n";
    private static final String ROLE = "---\nkind: Role\nname: r\n";

    private static String function(String name, String role, String code) {
        return "---\nkind: Function\nname: " + name + "\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                + "  code: " + code + "\n  role: " + role + "\n";
    }

    private static void handler(Path folder) throws IOException {
        Files.createDirectories(folder.resolve("src"));
        Files.writeString(folder.resolve("src/app.py"), "def handler(event, context):\n    return event\n");
    }

    private static void variableBomb(Path folder) throws IOException {
        String big = "x".repeat(400_000);
        Files.writeString(
                folder.resolve("stack.yaml"),
                STACK + "  variables:\n    big: {default: " + big + "}\n" + ROLE,
                StandardCharsets.UTF_8);
        handler(folder);
        StringBuilder text = new StringBuilder(function("f", "r", "src"));
        text.append("  description: \"");
        while (text.length() < 600_000) {
            text.append("${var.big}");
        }
        text.append("\"\n");
        Files.writeString(folder.resolve("function.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void variableBombSpread(Path folder) throws IOException {
        String big = "y".repeat(400_000);
        Files.writeString(
                folder.resolve("stack.yaml"),
                STACK + "  variables:\n    big: {default: " + big + "}\n" + ROLE,
                StandardCharsets.UTF_8);
        handler(folder);
        // 40 anchored lists of 1,000 references each, then 40 aliases of them: 80,000 substitutions.
        StringBuilder text = new StringBuilder(function("f", "r", "src"));
        text.append("---\nkind: Payload\nname: p\nspec:\n  function: f\n  event:\n");
        for (int i = 0; i < 40; i++) {
            text.append("    a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 1000; j++) {
                text.append(j == 0 ? "" : ", ").append("\"${var.big}\"");
            }
            text.append("]\n");
        }
        for (int i = 0; i < 40; i++) {
            text.append("    b").append(i).append(": *a").append(i).append('\n');
        }
        Files.writeString(folder.resolve("function.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void longPayloadFunction(Path folder) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK + ROLE);
        for (int i = 0; i < 2000; i++) {
            text.append(function("function-number-" + i, "r", "src"));
        }
        text.append("---\nkind: Payload\nname: p\nspec:\n  function: ")
                .append("function-number-1".repeat(6000))
                .append('\n');
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void longRoles(Path folder) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK);
        for (int i = 0; i < 1000; i++) {
            text.append("---\nkind: Role\nname: role-").append(i).append('\n');
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
        StringBuilder functions = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            functions.append(function("f" + i, ("role-" + i + "-").repeat(400).substring(0, 2000), "src"));
        }
        Files.writeString(folder.resolve("functions.yaml"), functions, StandardCharsets.UTF_8);
    }

    private static void nearMissRoles(Path folder) throws IOException {
        handler(folder);
        String stem = "r".repeat(56);
        StringBuilder roles = new StringBuilder(STACK);
        for (int i = 0; i < 4000; i++) {
            roles.append("---\nkind: Role\nname: ")
                    .append(stem)
                    .append(String.format("a%07d", i))
                    .append('\n');
        }
        Files.writeString(folder.resolve("stack.yaml"), roles, StandardCharsets.UTF_8);
        StringBuilder functions = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            functions.append(function("f" + i, stem + String.format("b%07d", i), "src"));
        }
        Files.writeString(folder.resolve("functions.yaml"), functions, StandardCharsets.UTF_8);
    }

    private static void manyDocuments(Path folder) throws IOException {
        Files.writeString(folder.resolve("stack.yaml"), STACK, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("empty.yaml"), "---\n".repeat(FILE_LIMIT / 4 - 1), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("nulls.yaml"), "--- ~\n".repeat(FILE_LIMIT / 6 - 1), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("scalars.yaml"), "--- a\n".repeat(FILE_LIMIT / 6 - 1), StandardCharsets.UTF_8);
    }

    private static void manyProblems(Path folder) throws IOException {
        StringBuilder text = new StringBuilder(STACK);
        for (int i = 0; i < 9000; i++) {
            text.append("---\nkind: Role\nname: r").append(i).append("\nspec: {");
            for (int f = 0; f < 8; f++) {
                text.append(f == 0 ? "" : ", ").append("tag").append(f).append(": 1");
            }
            text.append("}\n");
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static String starPattern(int length) {
        StringBuilder pattern = new StringBuilder();
        while (pattern.length() < length - 1) {
            pattern.append("*a");
        }
        return pattern.append('b').toString();
    }

    private static void manyFiles(Path folder, int count) throws IOException {
        Path code = folder.resolve("src");
        Files.createDirectories(code);
        Files.writeString(code.resolve("app.py"), "def handler(event, context):\n    return event\n");
        for (int i = 0; i < count; i++) {
            Files.writeString(code.resolve("a".repeat(40) + i + ".py"), "x = " + i + "\n");
        }
    }

    private static void excludes(Path folder, int patterns, int length) throws IOException {
        manyFiles(folder, 2000);
        StringBuilder text = new StringBuilder(STACK + ROLE);
        text.append("---\nkind: Function\nname: f\nspec:\n  runtime: python3.12\n  handler: app.handler\n")
                .append("  role: r\n  code:\n    path: src\n    exclude:\n");
        for (int i = 0; i < patterns; i++) {
            text.append("      - \"")
                    .append(starPattern(length - 1))
                    .append(i % 10)
                    .append("\"\n");
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void excludeBacktracking(Path folder) throws IOException {
        excludes(folder, 200, 1000);
    }

    private static void excludeAtLimits(Path folder) throws IOException {
        excludes(folder, 100, 80);
    }

    private static void lyingZip(Path folder) throws IOException {
        Files.writeString(folder.resolve("stack.yaml"), STACK + ROLE + function("f", "r", "code.zip"));
        writeLyingZip(folder.resolve("code.zip"), "app.py", 300L * 1024 * 1024, 100);
    }

    /**
     * A zip of one deflated entry of {@code realSize} spaces whose local and central headers both declare
     * {@code declaredSize} bytes (and a CRC of nothing), as a hand-made archive can.
     */
    public static void writeLyingZip(Path zip, String name, long realSize, int declaredSize) throws IOException {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) ' ');
        byte[] out = new byte[1 << 16];
        long left = realSize;
        while (left > 0) {
            int n = (int) Math.min(chunk.length, left);
            deflater.setInput(chunk, 0, n);
            left -= n;
            if (left == 0) {
                deflater.finish();
            }
            while (!deflater.needsInput() || (left == 0 && !deflater.finished())) {
                int got = deflater.deflate(out);
                data.write(out, 0, got);
                if (got == 0 && deflater.needsInput() && left > 0) {
                    break;
                }
            }
        }
        deflater.end();
        byte[] compressed = data.toByteArray();
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int crc = (int) new CRC32().getValue();
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        // local file header
        le32(zipBytes, 0x04034b50);
        le16(zipBytes, 20);
        le16(zipBytes, 0);
        le16(zipBytes, 8);
        le32(zipBytes, 0);
        le32(zipBytes, crc);
        le32(zipBytes, compressed.length);
        le32(zipBytes, declaredSize);
        le16(zipBytes, nameBytes.length);
        le16(zipBytes, 0);
        zipBytes.write(nameBytes);
        zipBytes.write(compressed);
        int central = zipBytes.size();
        le32(zipBytes, 0x02014b50);
        le16(zipBytes, 20);
        le16(zipBytes, 20);
        le16(zipBytes, 0);
        le16(zipBytes, 8);
        le32(zipBytes, 0);
        le32(zipBytes, crc);
        le32(zipBytes, compressed.length);
        le32(zipBytes, declaredSize);
        le16(zipBytes, nameBytes.length);
        le16(zipBytes, 0);
        le16(zipBytes, 0);
        le16(zipBytes, 0);
        le16(zipBytes, 0);
        le32(zipBytes, 0100644 << 16);
        le32(zipBytes, 0);
        zipBytes.write(nameBytes);
        int centralSize = zipBytes.size() - central;
        le32(zipBytes, 0x06054b50);
        le16(zipBytes, 0);
        le16(zipBytes, 0);
        le16(zipBytes, 1);
        le16(zipBytes, 1);
        le32(zipBytes, centralSize);
        le32(zipBytes, central);
        le16(zipBytes, 0);
        try (OutputStream file = Files.newOutputStream(zip)) {
            zipBytes.writeTo(file);
        }
    }

    private static void le16(ByteArrayOutputStream out, int value) {
        out.write(value & 0xff);
        out.write((value >>> 8) & 0xff);
    }

    private static void le32(ByteArrayOutputStream out, int value) {
        le16(out, value & 0xffff);
        le16(out, (value >>> 16) & 0xffff);
    }

    private static void aliasBomb(Path folder) throws IOException {
        StringBuilder text = new StringBuilder(STACK + ROLE);
        text.append("---\nkind: Payload\nname: p\nspec:\n  function: f\n  event:\n");
        text.append("    a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            text.append("    a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                text.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            text.append("]\n");
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void deepNesting(Path folder) throws IOException {
        Files.writeString(
                folder.resolve("stack.yaml"),
                STACK + "---\nkind: Payload\nname: p\nspec:\n  function: f\n  event: " + "[".repeat(100_000)
                        + "]".repeat(100_000) + "\n",
                StandardCharsets.UTF_8);
    }

    private static void hugeScalar(Path folder) throws IOException {
        handler(folder);
        Files.writeString(
                folder.resolve("stack.yaml"),
                STACK + ROLE + function("f", "r", "src") + "  description: " + "z".repeat(FILE_LIMIT - 400) + "\n",
                StandardCharsets.UTF_8);
    }

    private static void secrets(Path folder, int functions, int each) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK + ROLE);
        for (int i = 0; i < functions; i++) {
            text.append(function("f" + i, "r", "src")).append("  environment:\n");
            for (int j = 0; j < each; j++) {
                text.append("    S")
                        .append(j)
                        .append(": {value: s")
                        .append(String.format("%05d", i * each + j))
                        .append("x, secret: true}\n");
            }
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void manySchemaErrors(Path folder) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK + ROLE + function("f", "r", "src") + "  environment:\n");
        for (int i = 0; text.length() < FILE_LIMIT / 2; i++) {
            text.append("    K").append(i).append(": [1]\n");
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }

    private static void manyFunctions(Path folder) throws IOException {
        handler(folder);
        StringBuilder text = new StringBuilder(STACK + ROLE);
        for (int i = 0; i < 4000; i++) {
            text.append(function("f" + i, "r", "src"));
        }
        Files.writeString(folder.resolve("stack.yaml"), text, StandardCharsets.UTF_8);
    }
}
