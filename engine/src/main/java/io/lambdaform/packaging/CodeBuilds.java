package io.lambdaform.packaging;

import io.lambdaform.Interruption;
import io.lambdaform.LambdaformException;
import io.lambdaform.PathWords;
import io.lambdaform.model.CodeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the builds that make functions' code ({@code code.build}): each only when the digest of its inputs, its
 * command and its output's path (relative to the manifest) differs from the one recorded beside the output when it
 * last succeeded ({@code <output>.lambdaform-build}, so that it travels with the output from a build job to a plan
 * job), or its output is missing. A build runs in the manifest's folder without a shell, with none of the caller's
 * environment variables but those a build tool needs, its output kept to a bounded tail and shown when it fails, and
 * the processes it started ended at its timeout or when the command is asked to stop. It runs whatever the manifests
 * say, as the caller's user: only where the manifests are trusted.
 */
public final class CodeBuilds {
    /** The caller's variables a build gets: what finds the tools and their caches, nothing that holds a secret. */
    static final List<String> PASSED_VARIABLES = List.of("PATH", "HOME", "LANG", "JAVA_HOME", "MAVEN_OPTS", "TMPDIR");
    /** The suffix of the file beside a build's output that records the digest it was built from. */
    static final String RECORD_SUFFIX = ".lambdaform-build";

    private static final int OUTPUT_TAIL_BYTES = 16 * 1024;

    private final Map<String, String> environment;
    private final Interruption interruption;

    /**
     * @param environment the caller's environment, of which only {@link #PASSED_VARIABLES} reach a build
     * @param interruption ends a running build with what it started when the command is asked to stop
     */
    public CodeBuilds(Map<String, String> environment, Interruption interruption) {
        this.environment = Map.copyOf(environment);
        this.interruption = interruption;
    }

    /**
     * Makes {@code source}'s code when it has a build and it is out of date; {@code run} false refuses instead
     * (--no-build). {@code shown} names the function in messages; what happens goes to {@code progress}.
     */
    public void ensureBuilt(CodeSource source, String shown, boolean run, Consumer<String> progress) {
        if (source.build().isEmpty()) {
            return;
        }
        CodeSource.Build build = source.build().get();
        String digest = digest(source.path(), build);
        Path record = source.path().resolveSibling(source.path().getFileName() + RECORD_SUFFIX);
        boolean current = Files.exists(source.path(), LinkOption.NOFOLLOW_LINKS) && digest.equals(read(record));
        if (current) {
            return;
        }
        if (!run) {
            throw LambdaformException.user("the code of " + shown + " is not built from its current inputs, and this"
                    + " command runs no build (plan builds only with --build, since a build runs whatever command the"
                    + " manifests name; apply builds unless --no-build): build it, or run with --build where the"
                    + " manifests are trusted");
        }
        progress.accept("building " + shown + ": " + String.join(" ", build.command()));
        long start = System.nanoTime();
        execute(build, shown);
        if (!Files.exists(source.path(), LinkOption.NOFOLLOW_LINKS)) {
            throw LambdaformException.user("the build of " + shown + " succeeded but made no "
                    + source.path().getFileName() + " (code.path): make the command write it there");
        }
        write(record, digest(source.path(), build));
        progress.accept("built " + shown + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private void execute(CodeSource.Build build, String shown) {
        ProcessBuilder builder = new ProcessBuilder(build.command())
                .directory(build.folder().toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        PASSED_VARIABLES.forEach(
                name -> Optional.ofNullable(environment.get(name)).ifPresent(v -> env.put(name, v)));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw LambdaformException.user("cannot start the build of " + shown + " ('"
                    + build.command().get(0) + "'): " + PathWords.reason(e) + "; is it installed and on PATH?");
        }
        Tail tail = new Tail();
        Thread reader = new Thread(() -> tail.readAll(process.getInputStream()), "lambdaform-build-output");
        reader.setDaemon(true);
        reader.start();
        try (Interruption.Registration stopping = interruption.onRequest(() -> endTree(process))) {
            process.getOutputStream().close();
            if (!process.waitFor(build.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                endTree(process);
                throw LambdaformException.user("the build of " + shown + " ran past its timeout of "
                        + build.timeout().toSeconds() + " s and was stopped; nothing was planned" + tail.shown());
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            endTree(process);
            Thread.currentThread().interrupt();
            throw LambdaformException.user("the build of " + shown + " was interrupted; nothing was planned");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (interruption.requested().isPresent()) {
            throw LambdaformException.user("the build of " + shown + " was stopped by "
                    + interruption.requested().get() + ", with the processes it started; nothing was planned");
        }
        if (process.exitValue() != 0) {
            throw LambdaformException.user("the build of " + shown + " failed (exit status " + process.exitValue()
                    + "); nothing was planned" + tail.shown());
        }
    }

    /**
     * Ends a build's process and the processes below it that Java can see (a daemon that left the tree by forking
     * twice is not among them), children first.
     */
    private static void endTree(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The digest of what decides a build's output: its command, the output's path relative to the manifest, and
     * every input's files by their path relative to the input and their contents (a symbolic link by its target,
     * never followed).
     */
    static String digest(Path output, CodeSource.Build build) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        build.command().forEach(word -> update(sha, "arg", word));
        update(sha, "output", build.folder().relativize(output).toString());
        byte[] buffer = new byte[64 * 1024];
        for (Path input : build.inputs()) {
            try (Stream<Path> walk = Files.walk(input)) {
                for (Path file : walk.filter(f -> !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS))
                        .sorted()
                        .toList()) {
                    if (Files.isSymbolicLink(file)) {
                        update(sha, "link", input.relativize(file) + "\0" + Files.readSymbolicLink(file));
                        continue;
                    }
                    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    update(sha, "file", input.relativize(file).toString());
                    try (InputStream in = Files.newInputStream(file)) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            sha.update(buffer, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                throw LambdaformException.user(
                        "cannot read the build input " + input.getFileName() + ": " + PathWords.reason(e));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String label, String value) {
        sha.update((label + "\0" + value + "\0").getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path record) {
        try {
            return Files.readString(record).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void write(Path record, String digest) {
        try {
            Files.createDirectories(record.getParent());
            Path temp = Files.createTempFile(record.getParent(), "build", ".tmp");
            Files.writeString(temp, digest);
            Files.move(temp, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Not recorded: the next run builds again.
        }
    }

    /** The last bytes a build printed. */
    private static final class Tail {
        private final byte[] ring = new byte[OUTPUT_TAIL_BYTES];
        private long total;

        synchronized void append(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                ring[(int) (total++ % ring.length)] = bytes[i];
            }
        }

        void readAll(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // The build ended.
            }
        }

        synchronized String shown() {
            if (total == 0) {
                return "";
            }
            int kept = (int) Math.min(total, ring.length);
            byte[] bytes = new byte[kept];
            for (int i = 0; i < kept; i++) {
                bytes[i] = ring[(int) ((total - kept + i) % ring.length)];
            }
            return ":\n" + (total > kept ? "[...]\n" : "") + new String(bytes, StandardCharsets.UTF_8).stripTrailing();
        }
    }
}
