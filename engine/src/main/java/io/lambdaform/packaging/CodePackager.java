package io.lambdaform.packaging;

import static io.lambdaform.packaging.PackagingErrors.SMALLER;
import static io.lambdaform.packaging.PackagingErrors.advice;
import static io.lambdaform.packaging.PackagingErrors.requireRegularFile;
import static io.lambdaform.packaging.PackagingErrors.tooLarge;
import static io.lambdaform.packaging.PackagingErrors.unreadable;

import io.lambdaform.LambdaformException;
import io.lambdaform.Memo;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.SourceDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.Deflater;

/**
 * Builds deployment packages reproducibly: the same content gives a byte-identical zip whatever the mtimes, the
 * checkout folder, the umask, the file-system order or the time zone. Entries are sorted, timestamps fixed, modes
 * normalized to 0644 (0755 for executables, so a custom runtime's {@code bootstrap} stays runnable) and compression
 * fixed. Packages are cached for the life of the packager, so plan and apply in one run zip each source once. The
 * facade the engine injects: the walk is {@link SourceWalk}'s, the digests {@link SourceDigests}', the zip pass
 * {@link ZipPass}'s and the reading of zips {@link ZipReader}'s.
 */
public final class CodePackager {
    /** Lambda's limit for a zip uploaded directly in the request. */
    public static final long MAX_DIRECT_UPLOAD_BYTES = PackagingErrors.MAX_DIRECT_UPLOAD_BYTES;
    /**
     * The largest zip a packager makes when a smaller one does not fit {@link #MAX_DIRECT_UPLOAD_BYTES}: staged in S3
     * (the stack's code bucket), Lambda takes up to its unzipped limit. Whether a package may be staged is the plan's
     * call.
     */
    public static final long MAX_STAGED_BYTES = DeploymentPackage.MAX_UNZIPPED_BYTES;
    /** Lambda's limit for the unzipped deployment package. */
    public static final long MAX_UNZIPPED_BYTES = PackagingErrors.MAX_UNZIPPED_BYTES;

    public static final List<String> DEFAULT_EXCLUDES = SourceWalk.DEFAULT_EXCLUDES;

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
    /** What inflating each prebuilt zip found, by its CodeSha256: copies of one archive are inflated once. */
    private final Memo<String, ZipReader.Inflated> inflated = new Memo<>();
    /** Prebuilt zips inflated, for tests. */
    private final LongAdder inflations = new LongAdder();

    private final long zippedLimit;
    /** The largest zip made when none fits {@link #zippedLimit}, at the fast level; {@code zippedLimit}: none. */
    private final long stagedLimit;

    private final SourceDigests digests;
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
        this.digests = new SourceDigests(digestCache);
        this.libdeflateFromBytes = libdeflateFromBytes;
    }

    /**
     * Starts on what planning {@code source} surely needs, whatever the target holds: walking its files and looking
     * their digest up in the cache kept between runs. Planning calls it while the target is being read.
     */
    public void prepare(CodeSource source) {
        if (source.kind() != CodeSource.Kind.ARCHIVE) {
            try {
                SourceDigests.Listing listing = digests.listing(source);
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
        return digests.digest(source);
    }

    private DeploymentPackage build(CodeSource source) {
        try {
            return switch (source.kind()) {
                case ARCHIVE -> prebuilt(source.path());
                case FILE, FOLDER -> zip(source, digests.listing(source), source.path());
            };
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private DeploymentPackage prebuilt(Path archive) throws IOException {
        requireRegularFile(archive, stagedLimit, "zipped", archive.toString());
        byte[] bytes = Files.readAllBytes(archive);
        String sha256 = codeSha256(bytes);
        long unzipped = inflated.get(sha256, key -> {
                    inflations.increment();
                    return ZipReader.inflate(bytes);
                })
                .of(archive);
        return checked(bytes, sha256, sha256, unzipped, NO_DEFLATER, archive, stagedLimit);
    }

    /** How many prebuilt zips were inflated, for tests. */
    long inflations() {
        return inflations.sum();
    }

    /**
     * Zips the files ({@link ZipPass}), computing the source digest in the same pass when no one has yet. Fast
     * deflate first; when that is over Lambda's zipped limit, the smallest deflate, so that the speed costs no package
     * its upload; when that is over it too, the fast deflate again up to the staged limit (a package staged in S3).
     */
    private DeploymentPackage zip(CodeSource source, SourceDigests.Listing listing, Path origin) throws IOException {
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
                zip.flatMap(ZipPass.Result::sourceSha256).ifPresent(digest -> digests.record(source, listing, digest));
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
        SourceDigest contents = digests.digest(source);
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
    private Optional<Libdeflate> libdeflate(SourceDigests.Listing listing) {
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
     * files ({@link ZipReader#digestZip}): a package zipped by another tool has the digest of its folder.
     */
    public static SourceDigest digestZip(byte[] zip) {
        return ZipReader.digestZip(zip);
    }

    /** Extracts a zip into {@code folder}, refusing any entry that would leave it ({@link ZipReader#unzip}). */
    public static void unzip(byte[] zip, Path folder) {
        ZipReader.unzip(zip, folder);
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

    /** Base64 of the SHA-256 of the zip bytes: Lambda's CodeSha256. */
    public static String codeSha256(byte[] zip) {
        return Base64.getEncoder().encodeToString(Sha256.system().digest(zip));
    }
}
