package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a manifest set: every {@code *.yaml}/{@code *.yml} file under the given paths, each with any number of
 * documents. Reports every problem in one pass and builds the desired stack only when there is none.
 */
public final class ManifestReader {
    private final YamlReader yaml;
    private final SchemaValidator schemas;

    @Inject
    public ManifestReader(YamlReader yaml, SchemaValidator schemas) {
        this.yaml = requireNonNull(yaml, "yaml is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
    }

    public ManifestSet read(List<Path> paths) {
        Problems problems = new Problems();
        TreeSet<Path> files = new TreeSet<>();
        for (Path path : paths) {
            collect(path, files, problems);
        }
        if (files.isEmpty() && problems.isEmpty()) {
            problems.add(Diagnostic.inFile("", "no manifest files (*.yaml, *.yml) under " + paths));
        }
        MessageDigest digest = sha256();
        ModelBuilder builder = new ModelBuilder(problems);
        for (Path file : files) {
            Optional<SourceFile> source = load(file, problems);
            if (source.isEmpty()) {
                continue;
            }
            digest.update(source.get().displayName().getBytes(StandardCharsets.UTF_8));
            digest.update(source.get().text().getBytes(StandardCharsets.UTF_8));
            for (YamlDocument document : yaml.read(source.get(), problems)) {
                builder.add(document, schemas.validate(document, problems));
            }
        }
        String first = files.isEmpty() ? "" : displayName(files.first());
        var stack = builder.build(first);
        List<Diagnostic> diagnostics = problems.sorted();
        return new ManifestSet(diagnostics.isEmpty() ? stack : Optional.empty(), diagnostics,
                HexFormat.of().formatHex(digest.digest()));
    }

    private static void collect(Path path, TreeSet<Path> files, Problems problems) {
        if (!Files.exists(path)) {
            problems.add(Diagnostic.inFile(displayName(path), "no such file or folder"));
            return;
        }
        if (Files.isRegularFile(path)) {
            files.add(path.toAbsolutePath().normalize());
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean hidden = !dir.equals(path) && (name.startsWith(".") || name.equals("node_modules"));
                    return hidden ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isRegularFile() && (name.endsWith(".yaml") || name.endsWith(".yml"))) {
                        files.add(file.toAbsolutePath().normalize());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(Diagnostic.inFile(displayName(path), "cannot list folder: " + e.getMessage()));
        }
    }

    private static Optional<SourceFile> load(Path file, Problems problems) {
        String name = displayName(file);
        try {
            long size = Files.size(file);
            if (size > YamlReader.MAX_FILE_BYTES) {
                problems.add(Diagnostic.inFile(name, "file is " + size + " bytes; manifest files may be at most "
                        + YamlReader.MAX_FILE_BYTES + " bytes"));
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return Optional.of(SourceFile.of(file, name, text));
        } catch (CharacterCodingException e) {
            problems.add(Diagnostic.inFile(name, "file is not valid UTF-8 text"));
        } catch (IOException e) {
            problems.add(Diagnostic.inFile(name, "cannot read file: " + e.getClass().getSimpleName()));
        }
        return Optional.empty();
    }

    /** The path relative to the working folder when it is below it, else absolute. */
    static String displayName(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
