package io.lambdaform.packaging;

import static io.lambdaform.packaging.PackagingErrors.unreadable;

import io.lambdaform.Memo;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.SourceDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The source digests of code folders and files, without compressing anything: each source walked once
 * ({@link SourceWalk}) into a {@link Listing}, its digest looked up in the {@link DigestCache} kept between runs under
 * the listing's signature, else hashed from the files (or recorded from a zip pass that hashed them) and kept there.
 */
final class SourceDigests {
    private static final int BUFFER = 64 * 1024;

    private final DigestCache digestCache;
    private final Memo<CodeSource, SourceDigest> digests = new Memo<>();
    private final Memo<CodeSource, Listing> listings = new Memo<>();

    SourceDigests(DigestCache digestCache) {
        this.digestCache = digestCache;
    }

    /** The digest of {@code source}, once per packager: from the cache when no file changed, else computed. */
    SourceDigest digest(CodeSource source) {
        return digests.get(source, this::hashOrCached);
    }

    /** The digest of {@code source} when it is known already. */
    Optional<SourceDigest> computed(CodeSource source) {
        return digests.computed(source);
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
    void record(CodeSource source, Listing listing, byte[] sha256) {
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

    /**
     * The source's files, walked once per packager (the digest and the package of one run read the same listing);
     * the walk (or, for one file, its stat) refuses them above Lambda's unzipped limit before any is read.
     */
    Listing listing(CodeSource source) throws IOException {
        try {
            return listings.get(source, s -> {
                try {
                    List<SourceFile> files = List.copyOf(SourceWalk.files(s).values());
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

    /** The files of a source in name order, and their total size. */
    static final class Listing {
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
}
