package io.lambdaform.cli;

import io.lambdaform.LambdaformException;
import io.lambdaform.Quoted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The files a pull request changes, as git says: those that differ between where the branch left {@code ref} (their
 * merge base) and the work tree (commits, staged and unstaged changes; a rename as both its names), and the untracked
 * files git does not ignore. Git runs without a shell, with the caller's environment but no pager or prompt, bounded in
 * time and output.
 */
final class GitChanges {
    /** The most changed files read; a larger change is refused rather than half listed. */
    static final int MAX_FILES = 100_000;

    private static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;
    private static final long TIMEOUT_SECONDS = 60;

    private GitChanges() {}

    /** The changed files since {@code ref}, absolute, for the git work tree that holds {@code folder}. */
    static SortedSet<Path> since(String ref, Path folder, Map<String, String> environment) {
        if (ref.isEmpty() || ref.startsWith("-") || ref.length() > 256) {
            throw LambdaformException.user("--changed-since takes a git revision (origin/main, a commit), not " + "'"
                    + Quoted.shortened(ref) + "'");
        }
        Path top =
                Path.of(git(folder, environment, "rev-parse", "--show-toplevel").strip());
        try {
            top = top.toRealPath();
        } catch (IOException e) {
            throw LambdaformException.user("cannot read git's work tree " + top + ": " + e.getMessage());
        }
        String base = git(folder, environment, "merge-base", ref, "HEAD").strip();
        SortedSet<Path> changed = new TreeSet<>();
        // Names relative to the top whatever the user's settings (diff.relative), and the untracked files of the whole
        // work tree (shared code outside the folder looked under), as real paths: the stacks' folders are.
        for (String name : split(git(
                top,
                environment,
                "-c",
                "diff.relative=false",
                "diff",
                "--name-only",
                "--no-renames",
                "-z",
                base,
                "--"))) {
            changed.add(top.resolve(name).normalize());
        }
        for (String name : split(git(top, environment, "ls-files", "--others", "--exclude-standard", "-z"))) {
            changed.add(top.resolve(name).normalize());
        }
        if (changed.size() > MAX_FILES) {
            throw LambdaformException.user("more than " + String.format("%,d", MAX_FILES) + " files changed since "
                    + "'" + Quoted.shortened(ref) + "'" + ": list the stacks without --changed-since");
        }
        return changed;
    }

    private static List<String> split(String output) {
        List<String> names = new ArrayList<>();
        for (String name : output.split("\0")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static String git(Path folder, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", folder.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("GIT_PAGER", "cat");
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw LambdaformException.user("--changed-since needs git on the PATH: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
            String output = read(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw LambdaformException.user("git " + args[0] + " took more than " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                String first = output.lines().findFirst().orElse("").strip();
                throw LambdaformException.user(
                        args[0].equals("merge-base")
                                ? "git cannot find where this branch left " + "'" + Quoted.shortened(args[1]) + "'"
                                        + " (" + first + "): fetch"
                                        + " it first (in GitHub Actions, actions/checkout with fetch-depth: 0)"
                                : "git " + command + " failed in " + folder + ": " + first);
            }
            return output;
        } catch (IOException e) {
            throw LambdaformException.user("could not read what git " + args[0] + " printed: " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw LambdaformException.user("interrupted while git " + args[0] + " ran");
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (out.size() + n > MAX_OUTPUT_BYTES) {
                throw LambdaformException.user("git printed more than " + MAX_OUTPUT_BYTES / (1024 * 1024)
                        + " MB: list the stacks without --changed-since");
            }
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
