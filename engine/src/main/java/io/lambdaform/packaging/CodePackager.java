package io.lambdaform.packaging;

import io.lambdaform.ConfinedPath;
import io.lambdaform.LambdaformException;
import io.lambdaform.Memo;
import io.lambdaform.PathWords;
import io.lambdaform.Quoted;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.SourceDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Builds deployment packages reproducibly: the same content gives a byte-identical zip whatever the mtimes, the
 * checkout folder, the umask, the file-system order or the time zone. Entries are sorted, timestamps fixed, modes
 * normalized to 0644 (0755 for executables, so a custom runtime's {@code bootstrap} stays runnable) and compression
 * fixed. Packages are cached for the life of the packager, so plan and apply in one run zip each source once.
 */
public final class CodePackager {
    /** Lambda's limit for a zip uploaded directly in the request. */
    public static final long MAX_DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;
    /**
     * The largest zip a packager makes when a smaller one does not fit {@link #MAX_DIRECT_UPLOAD_BYTES}: staged in S3
     * (the stack's code bucket), Lambda takes up to its unzipped limit. Whether a package may be staged is the plan's
     * call.
     */
    public static final long MAX_STAGED_BYTES = DeploymentPackage.MAX_UNZIPPED_BYTES;
    /** Lambda's limit for the unzipped deployment package. */
    public static final long MAX_UNZIPPED_BYTES = DeploymentPackage.MAX_UNZIPPED_BYTES;

    /** What a package over Lambda's limits can do (container images, which Lambdaform does not deploy yet, aside). */
    private static final String SMALLER =
            "Exclude what the function does not need (code.exclude), or move dependencies to a layer.";

    private static final String SMALLER_FILE = "Make it smaller, or move dependencies to a layer.";

    /** More files than any package needs: where a walk stops. */
    static final int MAX_FILES = 300_000;
    /**
     * How many times one folder may be walked: once, and again through a few links to it. Links that lead twice to
     * the same next folder, level after level, would otherwise make a small tree take the walk hours, with no file
     * for {@link #MAX_FILES} to count.
     */
    static final int MAX_WALKS_PER_FOLDER = 8;
    /**
     * How many names the links of one code folder may take to resolve, in all: far more than thousands of links of a
     * real tree need, and a second or two of a walk at most.
     */
    static final long MAX_LINK_NAMES = 1_000_000;

    public static final List<String> DEFAULT_EXCLUDES = List.of(".git", "__pycache__", "*.pyc", ".DS_Store");

    private static final int BUFFER = 64 * 1024;
    private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
    /**
     * zlib's fastest level: on source code about 2.5 times as fast as the default 6, the packages about 18% larger
     * (3.2 times smaller than the code instead of 3.8). When that misses Lambda's zipped limit, the smallest level
     * decides.
     */
    static final int FAST_LEVEL = Deflater.BEST_SPEED;

    private static final int SMALLEST_LEVEL = Deflater.BEST_COMPRESSION;

    /** The deflater of a prebuilt archive, uploaded as it is. */
    private static final String NO_DEFLATER = "none";

    private final Memo<CodeSource, DeploymentPackage> packages = new Memo<>();
    private final Memo<CodeSource, SourceDigest> digests = new Memo<>();
    private final Memo<CodeSource, Listing> listings = new Memo<>();
    /** What inflating each prebuilt zip found, by its CodeSha256: copies of one archive are inflated once. */
    private final Memo<String, Inflated> inflated = new Memo<>();
    /** Prebuilt zips inflated, for tests. */
    private final LongAdder inflations = new LongAdder();

    private final long zippedLimit;
    /** The largest zip made when none fits {@link #zippedLimit}, at the fast level; {@code zippedLimit}: none. */
    private final long stagedLimit;

    private final DigestCache digestCache;
    private final long libdeflateFromBytes;
    /** The packager's thread pools by name, each made when first needed. */
    private final Memo<String, ExecutorService> pools = new Memo<>();

    private final Set<CodeSource> preparing = ConcurrentHashMap.newKeySet();
    /** Room for the files read ahead of the compressors: two each, and a few more. */
    private final ZipPass.Buffers buffers = new ZipPass.Buffers(2 * PROCESSORS + 4);

    public CodePackager() {
        this(MAX_DIRECT_UPLOAD_BYTES, MAX_STAGED_BYTES, DigestCache.NONE, Libdeflate.WORTH_LOADING_BYTES);
    }

    /**
     * A packager that keeps the source digests of folders in {@code digestCache} (a folder) between runs, so that a
     * plan of code nobody touched reads no file.
     */
    public CodePackager(Path digestCache) {
        this(
                MAX_DIRECT_UPLOAD_BYTES,
                MAX_STAGED_BYTES,
                new DigestCache(Optional.of(digestCache)),
                Libdeflate.WORTH_LOADING_BYTES);
    }

    /** A packager that stops compressing past {@code zippedLimit} bytes (Lambda's limit; lower in tests). */
    CodePackager(long zippedLimit) {
        this(zippedLimit, zippedLimit, DigestCache.NONE, Libdeflate.WORTH_LOADING_BYTES);
    }

    /**
     * A packager that aims at {@code zippedLimit} bytes, and when no deflate fits, makes a zip of up to {@code
     * stagedLimit} bytes (for staging; lower in tests).
     */
    CodePackager(long zippedLimit, long stagedLimit, long libdeflateFromBytes) {
        this(zippedLimit, stagedLimit, DigestCache.NONE, libdeflateFromBytes);
    }

    /**
     * A packager that deflates packages of at least {@code libdeflateFromBytes} unzipped bytes with libdeflate, where
     * the system has it ({@link Long#MAX_VALUE}: never), the others with zlib.
     */
    CodePackager(long zippedLimit, long libdeflateFromBytes) {
        this(zippedLimit, zippedLimit, DigestCache.NONE, libdeflateFromBytes);
    }

    private CodePackager(long zippedLimit, long stagedLimit, DigestCache digestCache, long libdeflateFromBytes) {
        this.zippedLimit = zippedLimit;
        this.stagedLimit = Math.max(zippedLimit, stagedLimit);
        this.digestCache = digestCache;
        this.libdeflateFromBytes = libdeflateFromBytes;
    }

    /**
     * Starts on what planning {@code source} surely needs, whatever the target holds: walking its files and looking
     * their digest up in the cache kept between runs. Planning calls it while the target is being read.
     */
    public void prepare(CodeSource source) {
        if (source.kind() != CodeSource.Kind.ARCHIVE) {
            try {
                Listing listing = listing(source);
                if (listing.cached().isEmpty()) {
                    // Code that changed since the last run is likely zipped: libdeflate loads while the target is read.
                    libdeflate(listing);
                }
            } catch (IOException | RuntimeException e) {
                // Reported by digest() or pack(), which walk again.
            }
        }
    }

    /**
     * {@link #prepare}, once per source, on one of a few threads of the packager's: reading the manifests need not
     * wait for it.
     */
    public void prepareInBackground(CodeSource source) {
        if (preparing.add(source)) {
            walkers().execute(() -> {
                try {
                    prepare(source);
                } catch (Throwable e) {
                    // Only a head start: digest() or pack() walks again, and reports what fails.
                }
            });
        }
    }

    /** The deployment package of {@code source}, built once per packager. */
    public DeploymentPackage pack(CodeSource source) {
        return packages.get(source, this::build);
    }

    /**
     * The digest of what {@code source}'s package holds, without compressing anything (the same {@code sourceSha256}
     * as {@link #pack} gives), with the size limits checked.
     */
    public SourceDigest digest(CodeSource source) {
        Optional<DeploymentPackage> built = packages.computed(source);
        if (built.isPresent()) {
            return new SourceDigest(built.get().sourceSha256(), built.get().unzippedSize());
        }
        if (source.kind() == CodeSource.Kind.ARCHIVE) {
            // A prebuilt archive is its own package: read once, for the digest and for the upload.
            DeploymentPackage archive = pack(source);
            return new SourceDigest(archive.sourceSha256(), archive.unzippedSize());
        }
        return digests.get(source, this::hashOrCached);
    }

    /** The digest from the cache when no file changed since it was made, else computed (and cached). */
    private SourceDigest hashOrCached(CodeSource source) {
        try {
            Listing listing = listing(source);
            if (listing.cached().isPresent()) {
                return listing.cached().get();
            }
            SourceDigest digest = hash(source, listing);
            keep(source, listing, digest);
            return digest;
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** Records the digest a zip pass computed, here and in the cache kept between runs. */
    private void record(CodeSource source, Listing listing, byte[] sha256) {
        digests.get(source, s -> {
            SourceDigest digest = new SourceDigest(Base64.getEncoder().encodeToString(sha256), listing.unzipped());
            keep(s, listing, digest);
            return digest;
        });
    }

    /** Keeps the digest in the cache kept between runs, if there is one. */
    private void keep(CodeSource source, Listing listing, SourceDigest digest) {
        if (digestCache.enabled()) {
            try {
                digestCache.put(cacheKey(source), listing.signature(), digest, listing.newestMillis());
            } catch (IOException e) {
                throw unreadable(source, e);
            }
        }
    }

    private static String cacheKey(CodeSource source) throws IOException {
        return source.path().toRealPath() + "\0" + String.join("\0", source.excludes());
    }

    /** The files of a source in name order, and their total size. */
    private static final class Listing {
        private static final int SIGNATURE_BATCH = 256 * 1024;

        private final List<SourceFile> files;
        private final long unzipped;
        private String signature;
        /** The source digest the cache kept between runs holds for these files as they are. */
        private Optional<SourceDigest> cached = Optional.empty();

        Listing(List<SourceFile> files, long unzipped) {
            this.files = files;
            this.unzipped = unzipped;
        }

        List<SourceFile> files() {
            return files;
        }

        long unzipped() {
            return unzipped;
        }

        Optional<SourceDigest> cached() {
            return cached;
        }

        /**
         * What the file system says of the files (names, sizes, modification times, devices and inodes, modes): the
         * digest cache's key to the contents, as git's index does. Computed once.
         */
        synchronized String signature() {
            if (signature == null) {
                // Hashed a large batch at a time: at start-up the hash runs interpreted at first, and thousands of
                // small updates cost more than the bytes.
                MessageDigest digest = Sha256.jvm();
                ByteBuffer batch = ByteBuffer.allocate(SIGNATURE_BATCH);
                for (SourceFile file : files) {
                    byte[] name = file.name().getBytes(StandardCharsets.UTF_8);
                    int length = Integer.BYTES + 2 * Long.BYTES + 2 * Integer.BYTES + name.length;
                    if (batch.remaining() < length) {
                        digest.update(batch.array(), 0, batch.position());
                        batch.clear();
                    }
                    ByteBuffer entry = batch.remaining() < length ? ByteBuffer.allocate(length) : batch;
                    entry.putInt(name.length).putLong(file.size()).putLong(file.modifiedNanos());
                    entry.putInt(file.fileKey()).putInt(file.mode()).put(name);
                    if (entry != batch) {
                        digest.update(entry.array());
                    }
                }
                digest.update(batch.array(), 0, batch.position());
                signature = Base64.getEncoder().encodeToString(digest.digest());
            }
            return signature;
        }

        long newestMillis() {
            long newest = 0;
            for (SourceFile file : files) {
                newest = Math.max(newest, file.modifiedNanos() / 1_000_000);
            }
            return newest;
        }
    }

    /**
     * The source's files, walked once per packager (the digest and the package of one run read the same listing);
     * the walk (or, for one file, its stat) refuses them above Lambda's unzipped limit before any is read.
     */
    private Listing listing(CodeSource source) throws IOException {
        try {
            return listings.get(source, s -> {
                try {
                    List<SourceFile> files = List.copyOf(files(s).values());
                    long unzipped = 0;
                    for (SourceFile file : files) {
                        unzipped += file.size();
                    }
                    Listing listing = new Listing(files, unzipped);
                    if (digestCache.enabled()) {
                        listing.cached = digestCache.get(cacheKey(s), listing.signature());
                    }
                    return listing;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private DeploymentPackage build(CodeSource source) {
        try {
            return switch (source.kind()) {
                case ARCHIVE -> prebuilt(source.path());
                case FILE, FOLDER -> zip(source, listing(source), source.path());
            };
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** The digest of the files' names, modes and contents, in name order. */
    private static SourceDigest hash(CodeSource source, Listing listing) {
        try {
            byte[] digest = Sha256.system().digest(listing.unzipped(), sink -> {
                byte[] buffer = new byte[BUFFER];
                for (SourceFile file : listing.files()) {
                    try (InputStream in = Files.newInputStream(file.path())) {
                        byte[] header = file.header();
                        sink.write(header, 0, header.length);
                        long read = 0;
                        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                            sink.write(buffer, 0, n);
                            read += n;
                        }
                        file.requireUnchanged(read == file.size());
                    }
                }
            });
            return new SourceDigest(Base64.getEncoder().encodeToString(digest), listing.unzipped());
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** Entry name to file, sorted by name: the folder's files that are not excluded, or the one file. */
    private static Map<String, SourceFile> files(CodeSource source) throws IOException {
        if (source.kind() == CodeSource.Kind.FILE) {
            requireRegularFile(
                    source.path(), MAX_UNZIPPED_BYTES, "unzipped", source.path().toString());
            String name = source.path().getFileName().toString();
            return new TreeMap<>(Map.of(name, SourceFile.of(name, source.path())));
        }
        return collect(source, source.path().toString());
    }

    /**
     * Why {@code source} could not be packaged, found without reading a file's contents: what a walk of the folder
     * refuses (links that leave it or loop, FIFOs and devices, names that are not UTF-8, unreadable folders, more than
     * Lambda's unzipped limit or {@value #MAX_FILES} files), or a file or archive over Lambda's limit. Messages name
     * the code as {@code shown} and its files relative to it. {@code validate} reports them, offline; an archive's
     * contents and the zipped size are known only once it is read or zipped, by {@code plan}.
     */
    public static Optional<String> problem(CodeSource source, String shown) {
        try {
            switch (source.kind()) {
                case FOLDER -> collect(source, shown);
                case FILE -> requireRegularFile(source.path(), MAX_UNZIPPED_BYTES, "unzipped", shown);
                case ARCHIVE -> requireRegularFile(source.path(), MAX_STAGED_BYTES, "zipped", shown);
            }
            return Optional.empty();
        } catch (LambdaformException e) {
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            return Optional.of("cannot read " + unreadablePart(source.path(), e) + " of code " + shown + ": "
                    + PathWords.reason(e));
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The file or folder an I/O error is about, relative to the code; the code itself when it names none. */
    private static String unreadablePart(Path code, IOException e) {
        if (e instanceof FileSystemException failed && failed.getFile() != null) {
            Path file = Path.of(failed.getFile()).toAbsolutePath().normalize();
            // The walk lists real paths only.
            Path base = realPath(code);
            if (file.startsWith(base) && !file.equals(base)) {
                return PathWords.shortened(Exclusions.entryName(base.relativize(file)));
            }
        }
        return "the folder";
    }

    private static LambdaformException unreadable(CodeSource source, IOException e) {
        if (e instanceof SourceFile.Changed) {
            return new LambdaformException(LambdaformException.Category.USER, "code file " + e.getMessage(), e);
        }
        return new LambdaformException(
                LambdaformException.Category.USER, "cannot read code at " + source.path() + ": " + describe(e), e);
    }

    private DeploymentPackage prebuilt(Path archive) throws IOException {
        requireRegularFile(archive, stagedLimit, "zipped", archive.toString());
        byte[] bytes = Files.readAllBytes(archive);
        String sha256 = codeSha256(bytes);
        long unzipped = inflated.get(sha256, key -> inflate(bytes)).of(archive);
        return checked(bytes, sha256, sha256, unzipped, NO_DEFLATER, archive, stagedLimit);
    }

    /** What inflating a prebuilt zip found: its size, or why it is refused (a message naming the archive). */
    private record Inflated(long unzipped, Optional<Function<Path, String>> refusal) {
        static Inflated refused(Function<Path, String> refusal) {
            return new Inflated(0, Optional.of(refusal));
        }

        /** The size of {@code archive}, which holds these bytes, or its refusal. */
        long of(Path archive) {
            if (refusal.isPresent()) {
                throw LambdaformException.user(refusal.get().apply(archive));
            }
            return unzipped;
        }
    }

    /**
     * What a prebuilt zip holds, counted while inflating every entry: a header can declare 100 bytes for an entry
     * that inflates to gigabytes. Stops, refused, as soon as the count passes Lambda's unzipped limit. Entries
     * compressed otherwise than Lambda reads (stored or deflated) are refused before anything is inflated.
     */
    private Inflated inflate(byte[] bytes) {
        inflations.increment();
        long unzipped = 0;
        byte[] buffer = new byte[BUFFER];
        try (ZipFile zip = ZipFile.builder().setByteArray(bytes).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
            for (ZipArchiveEntry entry : entries) {
                int method = entry.getMethod();
                if (method != ZipMethod.STORED.getCode() && method != ZipMethod.DEFLATED.getCode()) {
                    String name = Quoted.shortened(entry.getName());
                    String compression = methodName(method);
                    return Inflated.refused(archive -> String.format(
                            "the deployment package for %s holds %s compressed with %s; Lambda reads only entries"
                                    + " stored (method 0) or deflated (method 8): zip it again with deflate, the"
                                    + " default of zip tools",
                            archive, name, compression));
                }
            }
            for (ZipArchiveEntry entry : entries) {
                if (entry.isDirectory()) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        unzipped += n;
                        if (unzipped > MAX_UNZIPPED_BYTES) {
                            return Inflated.refused(archive -> String.format(
                                    "the deployment package for %s holds more than %d MB unzipped (counted while"
                                            + " unzipping it, whatever its headers declare); Lambda accepts at most"
                                            + " %d MB unzipped. %s",
                                    archive, MAX_UNZIPPED_BYTES / 1048576, MAX_UNZIPPED_BYTES / 1048576, SMALLER_FILE));
                        }
                    }
                }
            }
        } catch (IOException e) {
            String reason = describe(e);
            return Inflated.refused(archive -> archive + " is not a valid zip archive: " + reason);
        }
        return new Inflated(unzipped, Optional.empty());
    }

    /** A zip compression method as zip tools name it, with its number. */
    private static String methodName(int method) {
        ZipMethod known = ZipMethod.getMethodByCode(method);
        String name = known == null || known == ZipMethod.UNKNOWN
                ? "an unknown method"
                : switch (known) {
                    case BZIP2 -> "bzip2";
                    case ENHANCED_DEFLATED -> "deflate64";
                    case LZMA, XZ, PPMD, JPEG -> known.name();
                    default -> known.name().toLowerCase(Locale.ROOT).replace('_', ' ');
                };
        return name + " (method " + method + ")";
    }

    /** How many prebuilt zips were inflated, for tests. */
    long inflations() {
        return inflations.sum();
    }

    /** Relative entry name (with '/') to file, for every file of the folder that is not excluded. */
    private static Map<String, SourceFile> collect(CodeSource source, String shown) throws IOException {
        Path root = source.path().toRealPath();
        List<String> patterns = new ArrayList<>(DEFAULT_EXCLUDES);
        patterns.addAll(source.excludes());
        Exclusions excludes = Exclusions.of(patterns);
        Found found = new Found(shown);
        walk(root, excludes, found);
        return found.files;
    }

    /**
     * A folder to walk: {@code real}, whose files are packaged under {@code name} (relative to the root; symbolic
     * links make it differ from the real path), under the folders {@code within} (real paths, innermost first), which
     * a link in it must not lead back to.
     */
    private record Folder(Path name, Path real, Within within) {}

    /** The real paths of the folders that hold a folder, innermost first. */
    private record Within(Path real, Within outer) {
        boolean contains(Path folder) {
            for (Within at = this; at != null; at = at.outer()) {
                if (at.real().equals(folder)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Adds the files of the root and of its folders, one folder at a time (no recursion: a tree thousands of folders
     * deep takes no stack, and one folder is open at a time). A file that is not a symbolic link costs one lstat; a
     * link is resolved inside the root ({@link ConfinedPath}), and a link to a folder must not lead back to a folder
     * that holds it.
     */
    private static void walk(Path root, Exclusions excludes, Found found) throws IOException {
        Deque<Folder> folders = new ArrayDeque<>();
        folders.push(new Folder(Path.of(""), root, new Within(root, null)));
        while (!folders.isEmpty()) {
            Folder folder = folders.pop();
            // Only real paths are listed, looked at and read: a link is resolved before anything it leads to is.
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.real())) {
                for (Path entry : entries) {
                    walkEntry(root, folder, entry, excludes, found).ifPresent(folders::push);
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Adds {@code entry} (in the real folder) when it is a file to package; a folder to walk next, when it is one.
     */
    private static Optional<Folder> walkEntry(Path root, Folder folder, Path entry, Exclusions excludes, Found found)
            throws IOException {
        Path relative = folder.name().resolve(entry.getFileName());
        if (excludes.excludes(relative)) {
            return Optional.empty();
        }
        Path real = entry;
        BasicFileAttributes attributes = SourceFile.attributes(entry, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            real = resolveLink(root, entry, Exclusions.entryName(relative), found);
            attributes = SourceFile.attributes(real, LinkOption.NOFOLLOW_LINKS);
        }
        if (attributes.isDirectory()) {
            if (folder.within().contains(real)) {
                throw LambdaformException.user(
                        "code folder " + found.shown + " contains " + Exclusions.entryName(relative)
                                + ", a symbolic link loop (it leads back to a folder that holds it): remove it or"
                                + " exclude it (code.exclude)");
            }
            found.enter(real, relative);
            return Optional.of(new Folder(relative, real, new Within(real, folder.within())));
        }
        String name = Exclusions.entryName(relative);
        if (name.indexOf('\uFFFD') >= 0) {
            throw LambdaformException.user("code folder " + found.shown + " contains a file whose name is not valid"
                    + " UTF-8 (shown as " + name + "); Lambda packages name files in UTF-8: rename it or"
                    + " exclude it (code.exclude)");
        }
        if (!attributes.isRegularFile()) {
            throw LambdaformException.user("code folder " + found.shown + " contains " + name + ", which is not a"
                    + " regular file (a FIFO, device or socket); Lambdaform packages only regular files:"
                    + " remove it or exclude it (code.exclude)");
        }
        found.add(SourceFile.of(name, real, attributes));
        return Optional.empty();
    }

    /**
     * The files a walk found, refused as soon as they pass Lambda's unzipped limit or {@link #MAX_FILES}: links to
     * folders can make a small tree look enormous, and a plan must end anyway.
     */
    private static final class Found {
        final Map<String, SourceFile> files = new TreeMap<>();
        /** How messages name the code. */
        final String shown;
        /** What resolving the folder's links may cost, in all. */
        final ConfinedPath.Budget links = new ConfinedPath.Budget(MAX_LINK_NAMES);

        /** How many times each folder was walked: links to folders can make the walk exponential in them. */
        private final Map<Path, Integer> walked = new HashMap<>();

        private long bytes;

        Found(String shown) {
            this.shown = shown;
        }

        /** Counts a walk into the folder {@code real}, reached as {@code reached}. */
        void enter(Path real, Path reached) {
            if (walked.merge(real, 1, Integer::sum) > MAX_WALKS_PER_FOLDER) {
                throw LambdaformException.user(String.format(
                        "code folder %s reaches the folder %s more than %d times through symbolic links to folders;"
                                + " the files of a folder a link leads to are packaged under each link's name, so"
                                + " they would be repeated that many times: exclude links (code.exclude)",
                        shown, Exclusions.entryName(reached), MAX_WALKS_PER_FOLDER));
            }
        }

        void add(SourceFile file) {
            files.put(file.name(), file);
            bytes += file.size();
            if (bytes > MAX_UNZIPPED_BYTES) {
                throw LambdaformException.user(String.format(
                        "the deployment package for %s is more than %d MB unzipped; Lambda accepts at most %d MB"
                                + " unzipped. %s",
                        shown, MAX_UNZIPPED_BYTES / 1048576, MAX_UNZIPPED_BYTES / 1048576, SMALLER));
            }
            if (files.size() > MAX_FILES) {
                throw LambdaformException.user(String.format(
                        "the code at %s holds more than %,d files, more than any package needs (links to folders"
                                + " count each time they are followed). %s",
                        shown, MAX_FILES, SMALLER));
            }
        }
    }

    /** The real path a symbolic link leads to, which must exist inside the root. */
    private static Path resolveLink(Path root, Path link, String name, Found found) {
        String shown = found.shown;
        ConfinedPath.Resolution resolved;
        try {
            resolved = ConfinedPath.resolve(root, root.relativize(link), found.links);
        } catch (ConfinedPath.Exhausted e) {
            throw LambdaformException.user(String.format(
                    "code folder %s holds symbolic links that take more than %,d names to resolve in all (the last"
                            + " one tried: %s): simplify them or exclude them (code.exclude)",
                    shown, MAX_LINK_NAMES, name));
        } catch (IOException e) {
            throw LambdaformException.user("code folder " + shown + " contains " + name
                    + ", a symbolic link that cannot be followed (" + PathWords.reason(e) + "): remove it or exclude it"
                    + " (code.exclude)");
        }
        return switch (resolved.outcome()) {
            case INSIDE -> resolved.real().orElseThrow();
            case OUTSIDE ->
                throw LambdaformException.user("code folder " + shown + " contains " + name
                        + ", a symbolic link that leads outside the folder; Lambdaform refuses to package it."
                        + " Copy the file into the folder or exclude the link.");
            case MISSING ->
                throw LambdaformException.user("code folder " + shown + " contains " + name
                        + ", a broken symbolic link: remove it or exclude it (code.exclude)");
            case LOOP ->
                throw LambdaformException.user("code folder " + shown + " contains " + name
                        + ", a symbolic link that cannot be followed (a loop of links): remove it or exclude it"
                        + " (code.exclude)");
        };
    }

    /** Refuses anything but a regular file of at most {@code limit} bytes, before reading a byte of it. */
    private static void requireRegularFile(Path file, long limit, String what, String shown) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw LambdaformException.user("code " + shown + " is not a regular file (a FIFO, device or socket);"
                    + " Lambdaform packages only regular files and folders");
        }
        if (attributes.size() > limit) {
            throw tooLarge(shown, what, attributes.size(), limit, SMALLER_FILE);
        }
    }

    /**
     * Zips the files ({@link ZipPass}), computing the source digest in the same pass when no one has yet. Fast
     * deflate first; when that is over Lambda's zipped limit, the smallest deflate, so that the speed costs no package
     * its upload; when that is over it too, the fast deflate again up to the staged limit (a package staged in S3).
     */
    private DeploymentPackage zip(CodeSource source, Listing listing, Path origin) throws IOException {
        Optional<ZipPass.Result> zip = Optional.empty();
        List<long[]> attempts = new ArrayList<>(
                List.of(new long[] {FAST_LEVEL, zippedLimit}, new long[] {SMALLEST_LEVEL, zippedLimit}));
        if (stagedLimit > zippedLimit) {
            attempts.add(new long[] {FAST_LEVEL, stagedLimit});
        }
        for (long[] attempt : attempts) {
            boolean hash =
                    digests.computed(source).isEmpty() && listing.cached().isEmpty();
            zip = ZipPass.run(
                    listing.files(),
                    listing.unzipped(),
                    libdeflate(listing),
                    (int) attempt[0],
                    attempt[1],
                    hash,
                    readers(),
                    compressors(),
                    buffers);
            if (hash) {
                zip.flatMap(ZipPass.Result::sourceSha256).ifPresent(digest -> record(source, listing, digest));
            }
            if (zip.isPresent()) {
                break;
            }
        }
        if (zip.isEmpty()) {
            throw LambdaformException.user(String.format(
                    "the deployment package for %s is more than %d MB zipped; Lambda accepts at most %d MB zipped. %s",
                    origin, stagedLimit / 1048576, stagedLimit / 1048576, SMALLER));
        }
        // Computed before, or by the JVM when OpenSSL failed half-way.
        SourceDigest contents = digests.get(source, this::hashOrCached);
        return checked(
                zip.get().zip(),
                zip.get().codeSha256(),
                contents.sourceSha256(),
                contents.unzippedSize(),
                zip.get().deflater(),
                origin,
                stagedLimit);
    }

    /** libdeflate for a package large enough to pay for loading it, where the system has it. */
    private Optional<Libdeflate> libdeflate(Listing listing) {
        return listing.unzipped() >= libdeflateFromBytes ? Libdeflate.system() : Optional.empty();
    }

    /** Daemon threads, one per processor, that walk code ahead of planning; made on the first walk. */
    private ExecutorService walkers() {
        return pools.get("walk", name -> Executors.newFixedThreadPool(PROCESSORS, daemons(name)));
    }

    /** Daemon threads, one per processor, made on the first package that needs them. */
    private ExecutorService compressors() {
        return pools.get("zip", name -> Executors.newFixedThreadPool(PROCESSORS, daemons(name)));
    }

    /**
     * Daemon threads that read the files of the packages being compressed (computing their source digests), one per
     * package.
     */
    private ExecutorService readers() {
        return pools.get("reader", name -> Executors.newCachedThreadPool(daemons(name)));
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "lambdaform-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The source digest of what a zip holds, computed from its entries exactly as {@link #digest} computes it from
     * files: each file (folders are skipped) in name order, its mode normalized by the owner-execute bit, its length,
     * then its bytes. So a package zipped by another tool, with other bytes, has the digest of the folder it was made
     * from. Refuses a zip that is not one, or that holds more than Lambda's unzipped limit.
     */
    public static SourceDigest digestZip(byte[] zip) {
        long[] unzipped = {0};
        byte[] digest;
        try {
            digest = Sha256.system()
                    .digest(
                            zip.length,
                            sink -> unzipped[0] = entries(zip, (name, mode, size, in) -> {
                                byte[] header = SourceFile.header(name, mode, size);
                                sink.write(header, 0, header.length);
                                return copy(in, size, name, sink);
                            }));
        } catch (IOException e) {
            throw LambdaformException.user("the package is not a valid zip archive: " + describe(e));
        }
        return new SourceDigest(Base64.getEncoder().encodeToString(digest), unzipped[0]);
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
                int mode = (entry.getUnixMode() & 0100) != 0 ? SourceFile.EXECUTABLE_MODE : SourceFile.REGULAR_MODE;
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
    private static long copy(InputStream in, long size, String name, Sha256.Sink sink) throws IOException {
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
                    file,
                    PosixFilePermissions.fromString(mode == SourceFile.EXECUTABLE_MODE ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            if (mode == SourceFile.EXECUTABLE_MODE && !file.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + file + " executable");
            }
        }
    }

    private static DeploymentPackage checked(
            byte[] zip,
            String codeSha256,
            String sourceSha256,
            long unzipped,
            String deflater,
            Path origin,
            long zippedLimit) {
        if (zip.length > zippedLimit) {
            throw tooLarge(origin.toString(), "zipped", zip.length, zippedLimit, advice(origin));
        }
        if (unzipped > MAX_UNZIPPED_BYTES) {
            throw tooLarge(origin.toString(), "unzipped", unzipped, MAX_UNZIPPED_BYTES, advice(origin));
        }
        return new DeploymentPackage(zip, codeSha256, sourceSha256, unzipped, deflater);
    }

    /** What to do about code that is too large: excludes apply to folders only. */
    private static String advice(Path code) {
        return Files.isDirectory(code) ? SMALLER : SMALLER_FILE;
    }

    private static LambdaformException tooLarge(String source, String what, long size, long limit, String advice) {
        return LambdaformException.user(String.format(
                "the deployment package for %s is %.1f MB %s; Lambda accepts at most %d MB %s. " + advice,
                source,
                size / 1048576.0,
                what,
                limit / 1048576,
                what));
    }

    /** Base64 of the SHA-256 of the zip bytes: Lambda's CodeSha256. */
    public static String codeSha256(byte[] zip) {
        return Base64.getEncoder().encodeToString(Sha256.system().digest(zip));
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }
}
