package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.PathWords;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.CodeInspector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a manifest set: every {@code *.yaml}/{@code *.yml} file under the given paths, each with any number of
 * documents. Reports every problem in one pass and builds the desired stack only when there is none.
 */
public final class ManifestReader {
    /**
     * Characters of sensitive values a set may hold in all (64 KiB): each is looked for, in several escaped forms, in
     * every field and line of output, and the automaton that finds them grows with their length.
     */
    static final int MAX_SENSITIVE_CHARS = 64 * 1024;

    /** Characters of manifests a set may hold in all (16 MiB: 16 files at the size limit of one). */
    static final long MAX_SET_CHARACTERS = 16L * 1024 * 1024;

    /** Documents a set may hold in all: each costs memory far beyond its text. */
    static final int MAX_SET_DOCUMENTS = 20_000;

    /**
     * Folders a search for manifests passes over, besides hidden ones: installed dependencies, which hold YAML of other
     * tools (a folder named on the command line is read all the same). Build output is not passed over: a set kept
     * there would silently lose its resources; a repository's root, which holds copies of sets in build output, is one
     * problem naming the sets' folders instead.
     */
    static final Set<String> SKIPPED_FOLDERS = Set.of("node_modules");

    private final YamlReader yaml;
    private final SchemaValidator schemas;

    @Inject
    public ManifestReader(YamlReader yaml, SchemaValidator schemas) {
        this.yaml = requireNonNull(yaml, "yaml is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
    }

    /** Reads the set, naming files relative to the working folder. */
    public ManifestSet read(List<Path> paths, ManifestInputs inputs) {
        return read(paths, Path.of("").toAbsolutePath(), inputs);
    }

    /** Reads a set without environments or variables from outside it. */
    public ManifestSet read(List<Path> paths, Path displayBase) {
        return read(paths, displayBase, ManifestInputs.NONE);
    }

    /** Reads the set, naming files in diagnostics relative to {@code displayBase} where they are below it. */
    public ManifestSet read(List<Path> paths, Path displayBase, ManifestInputs inputs) {
        return read(paths, displayBase, inputs, CodeInspector.NONE);
    }

    /** Reads the set, naming files relative to the working folder, and reports what {@code code} finds in the code. */
    public ManifestSet read(List<Path> paths, ManifestInputs inputs, CodeInspector code) {
        return read(paths, Path.of("").toAbsolutePath(), inputs, code);
    }

    private ManifestSet read(List<Path> paths, Path displayBase, ManifestInputs inputs, CodeInspector code) {
        Path base = displayBase.toAbsolutePath().normalize();
        Problems problems = new Problems();
        Path root = inputs.root().map(r -> r.toAbsolutePath().normalize()).orElseGet(() -> RepositoryRoot.of(paths));
        if (inputs.root().isPresent() && !Files.isDirectory(root)) {
            // Every file the manifests name would be "outside" it: the one problem to fix is the option.
            problems.add(Diagnostic.inFile(
                    "--root " + displayName(root, base),
                    Files.exists(root) ? "is not a folder; --root names a folder" : "no such folder"));
            return new ManifestSet(Optional.empty(), problems.sorted(), List.of(), "", Sensitive.of(Set.of()), root);
        }
        ConfinedFiles confined = new ConfinedFiles(root, base);
        TreeSet<Path> files = new TreeSet<>();
        for (Path path : paths) {
            if (confined.given(path, displayName(path, base), problems)) {
                collect(path, files, problems, base);
            }
        }
        if (files.isEmpty() && problems.isEmpty()) {
            problems.add(Diagnostic.inFile("", "no manifest files (*.yaml, *.yml) under " + paths));
        }
        boolean unreadable = !problems.isEmpty();
        List<SourceFile> sources = new ArrayList<>();
        List<YamlDocument> documents = new ArrayList<>();
        long characters = 0;
        for (Path file : files) {
            if (characters > MAX_SET_CHARACTERS || documents.size() > MAX_SET_DOCUMENTS) {
                problems.add(Diagnostic.inFile(
                        "",
                        "these paths hold more than "
                                + (characters > MAX_SET_CHARACTERS
                                        ? MAX_SET_CHARACTERS / (1024 * 1024) + " MiB of manifests"
                                        : String.format("%,d", MAX_SET_DOCUMENTS) + " documents")
                                + ", more than a manifest set may: name the folder of one set, or split it into"
                                + " several stacks"));
                unreadable = true;
                break;
            }
            Optional<SourceFile> source = confined.manifest(file, displayName(file, base), problems)
                    .flatMap(f -> load(f, problems, base, true));
            if (source.isEmpty()) {
                unreadable = true;
                continue;
            }
            sources.add(source.get());
            characters += source.get().text().length();
            int before = problems.size();
            documents.addAll(yaml.read(source.get(), problems));
            unreadable |= problems.size() > before;
        }
        Optional<Diagnostic> severalSets = severalSets(documents, base);
        if (severalSets.isPresent()) {
            return new ManifestSet(Optional.empty(), List.of(severalSets.get()), List.of(), "", Sensitive.NONE, root);
        }
        Optional<YamlDocument> valuesFile = inputs.valuesFile().flatMap(f -> values(f, problems, base, false));
        Optional<YamlDocument> sensitiveValuesFile =
                inputs.sensitiveValuesFile().flatMap(f -> values(f, problems, base, false));
        FuzzyMatcher suggestions = FuzzyMatcher.forManifestSet();
        Variables variables =
                Variables.resolve(documents, inputs, valuesFile, sensitiveValuesFile, problems, suggestions);
        List<YamlDocument> resolved = new ArrayList<>();
        List<Set<String>> unresolved = new ArrayList<>();
        for (YamlDocument document : documents) {
            Set<String> skip = new HashSet<>();
            resolved.add(variables.interpolate(document, skip));
            unresolved.add(skip);
        }
        variables.reportMissing();
        Set<String> sensitiveValues = new TreeSet<>(variables.sensitiveValues());
        Set<String> literalSecrets = new TreeSet<>();
        documents.forEach(d -> SecretLiterals.collect(d, literalSecrets));
        sensitiveValues.addAll(literalSecrets);
        sensitiveValuesFile.ifPresent(f -> SecretLiterals.collectAll(f, sensitiveValues));
        valuesFile.ifPresent(f -> SecretLiterals.collect(f, variables.sensitiveVariableNames(), sensitiveValues));
        long sensitiveChars = sensitiveValues.stream().mapToLong(String::length).sum();
        if (sensitiveChars > MAX_SENSITIVE_CHARS) {
            // The one problem reported: no other message, which could quote one of them, is shown.
            return new ManifestSet(
                    Optional.empty(),
                    List.of(Diagnostic.inFile(
                            "",
                            "the sensitive values of this manifest set (secret entries, sensitive variables, values"
                                    + " read with ${env.…}) hold " + String.format("%,d", sensitiveChars)
                                    + " characters in all; at most " + String.format("%,d", MAX_SENSITIVE_CHARS)
                                    + " are allowed")),
                    List.of(),
                    "",
                    Sensitive.NONE,
                    root);
        }
        Sensitive sensitive = Sensitive.of(sensitiveValues);
        ModelBuilder builder = new ModelBuilder(problems, confined, sensitive, code, suggestions);
        for (int i = 0; i < resolved.size(); i++) {
            YamlDocument document = resolved.get(i);
            builder.add(
                    document,
                    schemas.validate(document, problems, unresolved.get(i), sensitive, suggestions)
                            && unresolved.get(i).isEmpty());
        }
        String first = files.isEmpty() ? "" : displayName(files.first(), base);
        var stack = builder.build(first, !unreadable);
        List<Diagnostic> diagnostics = problems.sorted();
        TreeSet<Path> read = new TreeSet<>();
        files.forEach(f -> read.add(f.toAbsolutePath().normalize()));
        read.addAll(confined.named());
        return new ManifestSet(
                diagnostics.isEmpty() ? stack : Optional.empty(),
                diagnostics,
                problems.warnings(),
                digest(sources, inputs, variables, Sensitive.of(literalSecrets)),
                sensitive,
                root,
                read);
    }

    /**
     * The one problem to report when the paths hold the Stacks of several manifest sets, each in a folder of its own
     * (a repository's root given, say): which folders to name, rather than every clash between the sets.
     */
    private static Optional<Diagnostic> severalSets(List<YamlDocument> documents, Path base) {
        TreeSet<String> folders = new TreeSet<>();
        for (YamlDocument document : documents) {
            if (document.root().path("kind").asText().equals(DocumentKind.STACK_NAME)) {
                Path folder = document.file().path().toAbsolutePath().getParent();
                folders.add(folder == null ? "." : displayName(folder, base));
            }
        }
        if (folders.size() < 2) {
            return Optional.empty();
        }
        List<String> shown = folders.stream().limit(8).toList();
        return Optional.of(Diagnostic.inFile(
                "",
                "these paths hold " + folders.size() + " manifest sets, a Stack in each of " + String.join(", ", shown)
                        + (folders.size() > shown.size() ? " and " + (folders.size() - shown.size()) + " more" : "")
                        + "; a command reads one set: name its folder (lambdaform validate " + shown.get(0) + ")"));
    }

    /**
     * SHA-256 over the manifest files (path and text), the chosen environment and the values of the variables that
     * are not sensitive (values files are covered through those values, never through their text). The secrets the
     * manifests write in clear are masked in their text before hashing; values from elsewhere (the environment,
     * values files) are not looked for in it, since whether the text happens to contain one would then change the
     * digest. So a saved plan, which records this digest, lets nobody confirm a guess of a sensitive value.
     */
    private static String digest(
            List<SourceFile> sources, ManifestInputs inputs, Variables variables, Sensitive literalSecrets) {
        MessageDigest digest = sha256();
        for (SourceFile source : sources) {
            digest.update(source.displayName().getBytes(StandardCharsets.UTF_8));
            digest.update(literalSecrets.redact(source.text()).getBytes(StandardCharsets.UTF_8));
        }
        inputs.environment().ifPresent(e -> digest.update(("env:" + e).getBytes(StandardCharsets.UTF_8)));
        digest.update(variables.fingerprint().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * A values file. Its lines are never quoted in diagnostics: it comes from CI, and a pull request can rename or
     * retype a variable so that a secret given there is reported as a problem.
     */
    private Optional<YamlDocument> values(Path file, Problems problems, Path base, boolean quotable) {
        Optional<SourceFile> values = load(file, problems, base, quotable);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<YamlDocument> parsed = yaml.read(values.get(), problems);
        return parsed.isEmpty() ? Optional.empty() : Optional.of(parsed.get(0));
    }

    private static void collect(Path path, TreeSet<Path> files, Problems problems, Path base) {
        if (Files.isRegularFile(path)) {
            files.add(path.toAbsolutePath().normalize());
            return;
        }
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name =
                            dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean hidden = !dir.equals(path) && (name.startsWith(".") || SKIPPED_FOLDERS.contains(name));
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
            // The exception's message may be a path of thousands of characters: the folder, shortened, and why.
            String folder = e instanceof FileSystemException failed && failed.getFile() != null
                    ? displayName(Path.of(failed.getFile()), base)
                    : displayName(path, base);
            problems.add(Diagnostic.inFile(
                    displayName(path, base),
                    "cannot list folder " + PathWords.shortened(folder) + " (" + Diagnostic.cannotRead(e) + ")"));
        }
    }

    private static Optional<SourceFile> load(Path file, Problems problems, Path base, boolean quotable) {
        String name = displayName(file, base);
        try {
            long size = Files.size(file);
            if (size > YamlReader.MAX_FILE_BYTES) {
                problems.add(Diagnostic.inFile(
                        name,
                        "file is " + size + " bytes; manifest files may be at most " + YamlReader.MAX_FILE_BYTES
                                + " bytes"));
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return Optional.of(quotable ? SourceFile.of(file, name, text) : SourceFile.unquotable(file, name, text));
        } catch (CharacterCodingException e) {
            problems.add(Diagnostic.inFile(name, "file is not valid UTF-8 text"));
        } catch (IOException e) {
            problems.add(Diagnostic.inFile(name, Diagnostic.cannotRead(e)));
        }
        return Optional.empty();
    }

    /** The path relative to the base when it is below it, else absolute. */
    static String displayName(Path path, Path base) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(base) && !absolute.equals(base)
                ? base.relativize(absolute).toString()
                : absolute.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
