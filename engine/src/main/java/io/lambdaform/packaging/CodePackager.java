package io.lambdaform.packaging;

import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.DeploymentPackage;
import io.lambdaform.cloud.SourceDigest;
import io.lambdaform.model.CodeSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
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
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
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
    /** zlib's level 4: about twice as fast as the default 6; packages of source code about 6% larger. */
    private static final int FAST_LEVEL = 4;

    private static final int SMALLEST_LEVEL = Deflater.BEST_COMPRESSION;

    private final Map<CodeSource, DeploymentPackage> cache = new ConcurrentHashMap<>();
    private final Map<CodeSource, SourceDigest> digests = new ConcurrentHashMap<>();
    private final long zippedLimit;
    private final DigestCache digestCache;
    private ExecutorService compressors;

    public CodePackager() {
        this(MAX_DIRECT_UPLOAD_BYTES, DigestCache.NONE);
    }

    /**
     * A packager that keeps the source digests of folders in {@code digestCache} (a JSON file) between runs, so that a
     * plan of code nobody touched reads no file.
     */
    public CodePackager(Path digestCache) {
        this(MAX_DIRECT_UPLOAD_BYTES, new DigestCache(Optional.of(digestCache)));
    }

    /** A packager that stops compressing past {@code zippedLimit} bytes (Lambda's limit; lower in tests). */
    CodePackager(long zippedLimit) {
        this(zippedLimit, DigestCache.NONE);
    }

    private CodePackager(long zippedLimit, DigestCache digestCache) {
        this.zippedLimit = zippedLimit;
        this.digestCache = digestCache;
    }

    /** The deployment package of {@code source}, built once per packager. */
    public DeploymentPackage pack(CodeSource source) {
        return cache.computeIfAbsent(source, this::build);
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
        return digests.computeIfAbsent(source, this::hashOrCached);
    }

    /** The digest from the cache when no file changed since it was made, else computed (and cached). */
    private SourceDigest hashOrCached(CodeSource source) {
        if (source.kind() == CodeSource.Kind.ARCHIVE) {
            // A prebuilt archive is its own package: read once, for the digest and for the upload.
            DeploymentPackage archive = pack(source);
            return new SourceDigest(archive.sourceSha256(), archive.unzippedSize());
        }
        try {
            Map<String, Path> files = files(source);
            long unzipped = requireUnzippedLimit(files, source.path());
            String key = source.path().toRealPath() + "\0" + String.join("\0", source.excludes());
            MessageDigest signature = sha256();
            long newest = 0;
            for (Map.Entry<String, Path> file : files.entrySet()) {
                FileStat attributes = FileStat.of(file.getValue());
                newest = Math.max(newest, attributes.modifiedMillis());
                signature.update((file.getKey() + "\0" + attributes + "\0" + mode(file.getValue()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            String stat = Base64.getEncoder().encodeToString(signature.digest());
            Optional<SourceDigest> cached = digestCache.get(key, stat);
            if (cached.isPresent()) {
                return cached.get();
            }
            SourceDigest digest = hash(source, files, unzipped);
            digestCache.put(key, stat, digest, newest);
            return digest;
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** What the file system says of a file that changes when its contents do: size, modification time, inode. */
    private record FileStat(long size, long modifiedNanos, String fileKey) {
        static FileStat of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStat(
                    attributes.size(),
                    attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    String.valueOf(attributes.fileKey()));
        }

        long modifiedMillis() {
            return modifiedNanos / 1_000_000;
        }
    }

    private DeploymentPackage build(CodeSource source) {
        try {
            return switch (source.kind()) {
                case ARCHIVE -> prebuilt(source.path());
                case FILE, FOLDER -> zip(source, files(source), source.path());
            };
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** The digest of the files' names, modes and contents, in name order. */
    private static SourceDigest hash(CodeSource source, Map<String, Path> files, long unzipped) {
        try {
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
     * Zips the files: each entry is compressed on its own, several at a time, while this thread computes the source
     * digest; the entries are then written in name order with their sizes in the local headers, so the bytes depend
     * only on the contents. Fast deflate first; when that is over Lambda's zipped limit, the smallest deflate, so
     * that the speed costs no package its upload. Memory stays bounded by what Lambda accepts: compression stops once
     * the entries pass the limit.
     */
    private DeploymentPackage zip(CodeSource source, Map<String, Path> files, Path origin) throws IOException {
        long unzipped = requireUnzippedLimit(files, origin);
        List<Future<Optional<Compressed>>> fast = compressAll(files, FAST_LEVEL, new Totals(zippedLimit));
        SourceDigest digest = digests.computeIfAbsent(source, s -> hash(s, files, unzipped));
        Optional<byte[]> zip = assemble(collect(fast));
        if (zip.isEmpty()) {
            zip = assemble(collect(compressAll(files, SMALLEST_LEVEL, new Totals(zippedLimit))));
        }
        if (zip.isEmpty()) {
            throw LambdaformException.user(String.format(
                    "the deployment package for %s is more than %d MB zipped; Lambda accepts at most %d MB zipped."
                            + " Exclude what the function does not need (code.exclude), move dependencies to a layer,"
                            + " or use a container image.",
                    origin, zippedLimit / 1048576, zippedLimit / 1048576));
        }
        return checked(zip.get(), digest.sourceSha256(), digest.unzippedSize(), origin);
    }

    /**
     * The zip of the deflated entries, in name order, with their sizes in the local headers (Zip64 records only when
     * the zip needs them: more than 65,535 entries); empty when the entries, or the zip, pass the zipped limit.
     */
    private Optional<byte[]> assemble(Optional<List<Compressed>> entries) throws IOException {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        long fixedTime = FIXED_TIME.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        GrowableChannel channel = new GrowableChannel(2 * zippedLimit + 64L * 1024 * 1024);
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(channel)) {
            out.setUseZip64(Zip64Mode.AsNeeded);
            out.setEncoding("UTF-8");
            for (Compressed compressed : entries.get()) {
                ZipArchiveEntry entry = new ZipArchiveEntry(compressed.name());
                entry.setTime(fixedTime);
                entry.setUnixMode(compressed.mode());
                entry.setMethod(ZipArchiveEntry.DEFLATED);
                entry.setCrc(compressed.crc());
                entry.setSize(compressed.size());
                entry.setCompressedSize(compressed.bytes().length);
                out.addRawArchiveEntry(entry, new ByteArrayInputStream(compressed.bytes()));
            }
            out.finish();
        }
        byte[] zip = channel.toByteArray();
        return zip.length > zippedLimit ? Optional.empty() : Optional.of(zip);
    }

    /** One file, deflated on its own. */
    private record Compressed(String name, int mode, long crc, long size, byte[] bytes) {}

    /** Bytes written by the compression of one package, across threads. */
    private static final class Totals {
        final AtomicLong written = new AtomicLong();
        final long limit;

        Totals(long limit) {
            this.limit = limit;
        }

        boolean over() {
            return written.get() > limit;
        }
    }

    /** Every file being deflated at {@code level}, in name order. */
    private List<Future<Optional<Compressed>>> compressAll(Map<String, Path> files, int level, Totals total) {
        List<Future<Optional<Compressed>>> futures = new ArrayList<>(files.size());
        for (Map.Entry<String, Path> file : files.entrySet()) {
            futures.add(compressors().submit(() -> compress(file.getKey(), file.getValue(), level, total)));
        }
        return futures;
    }

    /**
     * The deflated files, in name order; empty when together they pass Lambda's zipped limit (the files not started
     * by then are not compressed).
     */
    private static Optional<List<Compressed>> collect(List<Future<Optional<Compressed>>> futures) throws IOException {
        List<Compressed> entries = new ArrayList<>(futures.size());
        IOException failure = null;
        boolean over = false;
        for (Future<Optional<Compressed>> future : futures) {
            try {
                Optional<Compressed> entry = future.get();
                if (entry.isEmpty()) {
                    over = true;
                } else {
                    entries.add(entry.get());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    failure = failure == null ? io : failure;
                } else if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                } else {
                    throw new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("packaging interrupted");
            }
        }
        if (failure != null) {
            throw failure;
        }
        return over ? Optional.empty() : Optional.of(entries);
    }

    /** The file deflated, or empty when the package's entries already pass Lambda's zipped limit. */
    private static Optional<Compressed> compress(String name, Path file, int level, Totals total) throws IOException {
        if (total.over()) {
            return Optional.empty();
        }
        int mode = mode(file);
        CRC32 crc = new CRC32();
        Deflater deflater = new Deflater(level, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = 0;
        try (InputStream in = Files.newInputStream(file);
                DeflaterOutputStream deflating = new DeflaterOutputStream(counted(out, total), deflater, BUFFER)) {
            byte[] buffer = new byte[BUFFER];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                crc.update(buffer, 0, n);
                size += n;
                deflating.write(buffer, 0, n);
            }
            deflating.finish();
        } catch (OverLimit e) {
            return Optional.empty();
        } finally {
            deflater.end();
        }
        return Optional.of(new Compressed(name, mode, crc.getValue(), size, out.toByteArray()));
    }

    /** Thrown by {@link #counted} once the package's entries pass the limit: compressing further is useless. */
    private static final class OverLimit extends IOException {
        OverLimit() {
            super("over the zipped limit");
        }
    }

    /** {@code out}, counting into {@code total.written} and failing with {@link OverLimit} past the limit. */
    private static OutputStream counted(OutputStream out, Totals total) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                total.written.addAndGet(length);
                if (total.over()) {
                    throw new OverLimit();
                }
                out.write(bytes, offset, length);
            }
        };
    }

    /** Daemon threads, one per processor, made on the first package that needs them. */
    private ExecutorService compressors() {
        synchronized (this) {
            if (compressors == null) {
                AtomicInteger count = new AtomicInteger();
                compressors = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
                    Thread thread = new Thread(r, "lambdaform-zip-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return compressors;
        }
    }

    /**
     * The source digest of what a zip holds, computed from its entries exactly as {@link #digest} computes it from
     * files: each file (folders are skipped) in name order, its mode normalized by the owner-execute bit, its length,
     * then its bytes. So a package zipped by another tool, with other bytes, has the digest of the folder it was made
     * from. Refuses a zip that is not one, or that holds more than Lambda's unzipped limit.
     */
    public static SourceDigest digestZip(byte[] zip) {
        MessageDigest digest = sha256();
        long unzipped = entries(zip, (name, mode, size, in) -> {
            digest.update(entryHeader(name, mode, size));
            return copy(in, size, name, digest::update);
        });
        return new SourceDigest(Base64.getEncoder().encodeToString(digest.digest()), unzipped);
    }

    /**
     * Extracts a zip into {@code folder} (created when missing): folders as folders, files with mode 0644, or 0755
     * when the entry's owner-execute bit is set, so that the folder packs to the zip's {@link #digestZip digest}.
     * Refuses, before writing anything, an entry whose name would leave the folder (absolute, {@code ..}, a
     * backslash or a drive letter: "zip slip"), a symbolic link, a name given twice, and more than Lambda's unzipped
     * limit.
     */
    public static void unzip(byte[] zip, Path folder) {
        entries(zip, (name, mode, size, in) -> 0L);
        try {
            Files.createDirectories(folder);
            Path root = folder.toRealPath();
            entries(zip, (name, mode, size, in) -> {
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw LambdaformException.user("the zip's entry " + name + " would be written outside " + root);
                }
                Files.createDirectories(target.getParent());
                long written;
                try (OutputStream out = Files.newOutputStream(target)) {
                    written = copy(in, size, name, (b, o, n) -> out.write(b, o, n));
                }
                setMode(target, mode);
                return written;
            });
        } catch (IOException e) {
            throw LambdaformException.user("cannot extract the package into " + folder + ": " + describe(e));
        }
    }

    /** What is done with each file entry of a zip; returns the bytes it read. */
    @FunctionalInterface
    private interface EntryVisitor {
        long visit(String name, int mode, long size, InputStream in) throws IOException;
    }

    /** A sink for bytes that may fail. */
    @FunctionalInterface
    private interface Sink {
        void write(byte[] buffer, int offset, int length) throws IOException;
    }

    /**
     * Visits the zip's file entries in name order (folders are only checked) and returns their total size. Every
     * entry name is checked first: nothing is visited when one is unsafe.
     */
    private static long entries(byte[] zip, EntryVisitor visitor) {
        try (ZipFile file = ZipFile.builder().setByteArray(zip).get()) {
            TreeMap<String, ZipArchiveEntry> files = new TreeMap<>();
            for (ZipArchiveEntry entry : Collections.list(file.getEntries())) {
                String name = entry.getName();
                requireSafeName(name);
                if (entry.isUnixSymlink()) {
                    throw LambdaformException.user("the zip holds a symbolic link, " + name
                            + "; Lambdaform packages the files links point to, not links");
                }
                if (entry.isDirectory()) {
                    continue;
                }
                if (files.put(name, entry) != null) {
                    throw LambdaformException.user("the zip holds " + name + " twice");
                }
            }
            long total = 0;
            for (ZipArchiveEntry entry : files.values()) {
                int mode = (entry.getUnixMode() & 0100) != 0 ? EXECUTABLE_MODE : REGULAR_MODE;
                long size = entry.getSize();
                if (size < 0 || total + size > MAX_UNZIPPED_BYTES) {
                    throw LambdaformException.user(
                            size < 0
                                    ? "the zip does not record the size of " + entry.getName()
                                    : String.format(
                                            "the package holds more than Lambda's %d MB unzipped",
                                            MAX_UNZIPPED_BYTES / 1048576));
                }
                try (InputStream in = file.getInputStream(entry)) {
                    total += visitor.visit(entry.getName(), mode, size, in);
                }
            }
            return total;
        } catch (IOException e) {
            throw LambdaformException.user("the package is not a valid zip archive: " + describe(e));
        }
    }

    /** Entry names are relative paths with '/' that stay inside the folder they are extracted to. */
    private static void requireSafeName(String name) {
        boolean unsafe = name.isEmpty()
                || name.startsWith("/")
                || name.contains("\\")
                || name.contains("\0")
                || (name.length() > 1 && name.charAt(1) == ':')
                || List.of(name.split("/")).contains("..");
        if (unsafe) {
            throw LambdaformException.user("the zip holds an entry named " + name
                    + ", which would be written outside the folder it is extracted to; Lambdaform refuses it");
        }
    }

    /** Copies exactly {@code size} bytes of an entry; fewer or more is a damaged zip. */
    private static long copy(InputStream in, long size, String name, Sink sink) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long read = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            read += n;
            if (read > size) {
                break;
            }
            sink.write(buffer, 0, n);
        }
        if (read != size) {
            throw new IOException("entry " + name + " does not hold the " + size + " bytes its header says");
        }
        return read;
    }

    private static void setMode(Path file, int mode) throws IOException {
        try {
            Files.setPosixFilePermissions(
                    file, PosixFilePermissions.fromString(mode == EXECUTABLE_MODE ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            if (mode == EXECUTABLE_MODE && !file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
        }
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
