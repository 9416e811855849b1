package io.lambdaform.packaging;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.SourceDigest;
import io.lambdaform.model.CodeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Builds deployment packages reproducibly: the same content gives a byte-identical zip whatever the mtimes, the
 * checkout folder, the umask, the file-system order or the time zone. Entries are sorted, timestamps fixed, modes
 * normalized to 0644 (0755 for executables, so a custom runtime's {@code bootstrap} stays runnable) and compression
 * fixed. Packages are cached for the life of the packager, so plan and apply in one run zip each source once.
 */
public final class CodePackager {
    /** Lambda's limit for a zip uploaded directly in the request. */
    public static final long MAX_DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;
    /** Lambda's limit for the unzipped deployment package. */
    public static final long MAX_UNZIPPED_BYTES = 250L * 1024 * 1024;

    public static final List<String> DEFAULT_EXCLUDES = List.of(".git", "__pycache__", "*.pyc", ".DS_Store");

    private static final int REGULAR_MODE = 0100644;
    private static final int EXECUTABLE_MODE = 0100755;
    // Well inside the DOS date range in every time zone; at 1980-01-01 00:00 commons-compress would add extended
    // timestamps in zones east of UTC, and the bytes would depend on the machine's zone.
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

    private static final int BUFFER = 64 * 1024;

    private final Map<CodeSource, DeploymentPackage> cache = new ConcurrentHashMap<>();
    private final Map<CodeSource, SourceDigest> digests = new ConcurrentHashMap<>();

    /** The deployment package of {@code source}, built once per packager. */
    public DeploymentPackage pack(CodeSource source) {
        return cache.computeIfAbsent(source, CodePackager::build);
    }

    /**
     * The digest of what {@code source}'s package holds, without compressing anything (the same {@code sourceSha256}
     * as {@link #pack} gives), with the size limits checked.
     */
    public SourceDigest digest(CodeSource source) {
        DeploymentPackage built = cache.get(source);
        if (built != null) {
            return new SourceDigest(built.sourceSha256(), built.unzippedSize());
        }
        return digests.computeIfAbsent(source, CodePackager::hash);
    }

    private static DeploymentPackage build(CodeSource source) {
        try {
            return switch (source.kind()) {
                case ARCHIVE -> prebuilt(source.path());
                case FILE, FOLDER -> zip(files(source), source.path());
            };
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private static SourceDigest hash(CodeSource source) {
        try {
            if (source.kind() == CodeSource.Kind.ARCHIVE) {
                DeploymentPackage archive = prebuilt(source.path());
                return new SourceDigest(archive.sourceSha256(), archive.unzippedSize());
            }
            Map<String, Path> files = files(source);
            long unzipped = requireUnzippedLimit(files, source.path());
            MessageDigest digest = sha256();
            byte[] buffer = new byte[BUFFER];
            for (Map.Entry<String, Path> file : files.entrySet()) {
                int mode = mode(file.getValue());
                try (InputStream in = Files.newInputStream(file.getValue())) {
                    digest.update(entryHeader(file.getKey(), mode, Files.size(file.getValue())));
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            return new SourceDigest(Base64.getEncoder().encodeToString(digest.digest()), unzipped);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** Entry name to file, sorted by name: the folder's files that are not excluded, or the one file. */
    private static Map<String, Path> files(CodeSource source) throws IOException {
        if (source.kind() == CodeSource.Kind.FILE) {
            requireRegularFile(source.path(), MAX_UNZIPPED_BYTES, "unzipped");
            return new TreeMap<>(Map.of(source.path().getFileName().toString(), source.path()));
        }
        return collect(source);
    }

    private static LambdaformException unreadable(CodeSource source, IOException e) {
        return new LambdaformException(
                LambdaformException.Category.USER, "cannot read code at " + source.path() + ": " + describe(e), e);
    }

    private static DeploymentPackage prebuilt(Path archive) throws IOException {
        requireRegularFile(archive, MAX_DIRECT_UPLOAD_BYTES, "zipped");
        byte[] bytes = Files.readAllBytes(archive);
        long unzipped = 0;
        try (ZipFile zip = ZipFile.builder().setByteArray(bytes).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
                unzipped += Math.max(0, entry.getSize());
            }
        } catch (IOException e) {
            throw LambdaformException.user(archive + " is not a valid zip archive: " + describe(e));
        }
        return checked(bytes, codeSha256(bytes), unzipped, archive);
    }

    /** Relative entry name (with '/') to file, for every file of the folder that is not excluded. */
    private static Map<String, Path> collect(CodeSource source) throws IOException {
        Path root = source.path().toRealPath();
        List<PathMatcher> excludes = new ArrayList<>();
        List<String> patterns = new ArrayList<>(DEFAULT_EXCLUDES);
        patterns.addAll(source.excludes());
        for (String pattern : patterns) {
            excludes.add(root.getFileSystem().getPathMatcher("glob:" + pattern));
        }
        Map<String, Path> files = new TreeMap<>();
        try {
            Files.walkFileTree(
                    root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                                throws IOException {
                            if (!dir.equals(root) && excluded(root.relativize(dir), excludes)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            requireInside(root, dir);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                            Path relative = root.relativize(file);
                            if (excluded(relative, excludes)) {
                                return FileVisitResult.CONTINUE;
                            }
                            requireInside(root, file);
                            String name = entryName(relative);
                            if (name.indexOf('\uFFFD') >= 0) {
                                throw LambdaformException.user(
                                        "code folder " + root + " contains a file whose name is not"
                                                + " valid UTF-8 (shown as " + name
                                                + "); Lambda packages name files in UTF-8: rename"
                                                + " it or exclude it (code.exclude)");
                            }
                            if (!attrs.isRegularFile()) {
                                throw LambdaformException.user(
                                        "code folder " + root + " contains " + name + ", which is not"
                                                + " a regular file (a FIFO, device or socket); Lambdaform packages only regular"
                                                + " files: remove it or exclude it (code.exclude)");
                            }
                            files.put(name, file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                throw LambdaformException.user(
                                        "symbolic link loop at " + file + " in code folder " + root);
                            }
                            if (Files.isSymbolicLink(file) && !Files.exists(file)) {
                                throw LambdaformException.user(
                                        "broken symbolic link " + file + " in code folder " + root);
                            }
                            throw e;
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return files;
    }

    /** Refuses anything but a regular file of at most {@code limit} bytes, before reading a byte of it. */
    private static void requireRegularFile(Path file, long limit, String what) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw LambdaformException.user("code " + file + " is not a regular file (a FIFO, device or socket);"
                    + " Lambdaform packages only regular files and folders");
        }
        if (attributes.size() > limit) {
            throw tooLarge(file, what, attributes.size(), limit);
        }
    }

    private static boolean excluded(Path relative, List<PathMatcher> excludes) {
        for (PathMatcher matcher : excludes) {
            if (matcher.matches(relative) || matcher.matches(relative.getFileName())) {
                return true;
            }
        }
        return false;
    }

    private static void requireInside(Path root, Path path) throws IOException {
        Path real = path.toRealPath();
        if (!real.startsWith(root)) {
            throw LambdaformException.user("code folder " + root + " contains " + root.relativize(path.toAbsolutePath())
                    + ", a symbolic link that leads outside the folder; Lambdaform refuses to package it."
                    + " Copy the file into the folder or exclude the link.");
        }
    }

    private static String entryName(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    /** The total size of the files, refused above Lambda's unzipped limit before any is read. */
    private static long requireUnzippedLimit(Map<String, Path> files, Path origin) throws IOException {
        long unzipped = 0;
        for (Path file : files.values()) {
            unzipped += Files.size(file);
        }
        if (unzipped > MAX_UNZIPPED_BYTES) {
            throw tooLarge(origin, "unzipped", unzipped, MAX_UNZIPPED_BYTES);
        }
        return unzipped;
    }

    /**
     * Zips the files in name order, streaming each through the source digest and the compressor, into a buffer that
     * grows by doubling and refuses to pass Lambda's zipped limit: memory stays bounded by what Lambda accepts.
     */
    private static DeploymentPackage zip(Map<String, Path> files, Path origin) throws IOException {
        long unzipped = requireUnzippedLimit(files, origin);
        long fixedTime = FIXED_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        MessageDigest source = sha256();
        GrowableChannel channel = new GrowableChannel(MAX_DIRECT_UPLOAD_BYTES);
        byte[] buffer = new byte[BUFFER];
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(channel)) {
            out.setMethod(ZipArchiveOutputStream.DEFLATED);
            out.setLevel(Deflater.DEFAULT_COMPRESSION);
            out.setEncoding("UTF-8");
            for (Map.Entry<String, Path> file : files.entrySet()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
                entry.setTime(fixedTime);
                int mode = mode(file.getValue());
                entry.setUnixMode(mode);
                try (InputStream in = Files.newInputStream(file.getValue())) {
                    source.update(entryHeader(file.getKey(), mode, Files.size(file.getValue())));
                    out.putArchiveEntry(entry);
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        source.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                    }
                    out.closeArchiveEntry();
                }
            }
            out.finish();
        } catch (GrowableChannel.LimitExceeded e) {
            throw LambdaformException.user(String.format(
                    "the deployment package for %s is more than %d MB zipped; Lambda accepts at most %d MB zipped."
                            + " Exclude what the function does not need (code.exclude), move dependencies to a layer,"
                            + " or use a container image.",
                    origin, MAX_DIRECT_UPLOAD_BYTES / 1048576, MAX_DIRECT_UPLOAD_BYTES / 1048576));
        }
        return checked(channel.toByteArray(), Base64.getEncoder().encodeToString(source.digest()), unzipped, origin);
    }

    /** What the source digest records of an entry before its contents. */
    private static byte[] entryHeader(String name, int mode, long length) {
        return (name + "\0" + Integer.toOctalString(mode) + "\0" + length + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static int mode(Path file) throws IOException {
        return isExecutable(file) ? EXECUTABLE_MODE : REGULAR_MODE;
    }

    private static boolean isExecutable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }

    private static DeploymentPackage checked(byte[] zip, String sourceSha256, long unzipped, Path origin) {
        if (zip.length > MAX_DIRECT_UPLOAD_BYTES) {
            throw tooLarge(origin, "zipped", zip.length, MAX_DIRECT_UPLOAD_BYTES);
        }
        if (unzipped > MAX_UNZIPPED_BYTES) {
            throw tooLarge(origin, "unzipped", unzipped, MAX_UNZIPPED_BYTES);
        }
        return new DeploymentPackage(zip, codeSha256(zip), sourceSha256, unzipped);
    }

    private static LambdaformException tooLarge(Path source, String what, long size, long limit) {
        return LambdaformException.user(String.format(
                "the deployment package for %s is %.1f MB %s; Lambda accepts at most %d MB %s."
                        + " Exclude what the function does not need (code.exclude), move dependencies to a layer,"
                        + " or use a container image.",
                source, size / 1048576.0, what, limit / 1048576, what));
    }

    /** Base64 of the SHA-256 of the zip bytes: Lambda's CodeSha256. */
    public static String codeSha256(byte[] zip) {
        return Base64.getEncoder().encodeToString(sha256().digest(zip));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
