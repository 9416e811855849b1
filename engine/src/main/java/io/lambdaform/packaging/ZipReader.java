package io.lambdaform.packaging;

import static io.lambdaform.packaging.PackagingErrors.MAX_UNZIPPED_BYTES;
import static io.lambdaform.packaging.PackagingErrors.SMALLER_FILE;
import static io.lambdaform.packaging.PackagingErrors.describe;

import io.lambdaform.LambdaformException;
import io.lambdaform.Quoted;
import io.lambdaform.resource.SourceDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * Reads zips someone else may have made, never trusting their headers: the source digest of their entries
 * ({@link #digestZip}), their extraction into a folder that no entry leaves ({@link #unzip}), and the size a prebuilt
 * package inflates to ({@link #inflate}), each within Lambda's unzipped limit.
 */
final class ZipReader {
    private static final int BUFFER = 64 * 1024;

    private ZipReader() {}

    /**
     * The source digest of what a zip holds, computed from its entries exactly as {@link #digest} computes it from
     * files: each file (folders are skipped) in name order, its mode normalized by the owner-execute bit, its length,
     * then its bytes. So a package zipped by another tool, with other bytes, has the digest of the folder it was made
     * from. Refuses a zip that is not one, or that holds more than Lambda's unzipped limit.
     */
    static SourceDigest digestZip(byte[] zip) {
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
    static void unzip(byte[] zip, Path folder) {
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

    /** What inflating a prebuilt zip found: its size, or why it is refused (a message naming the archive). */
    record Inflated(long unzipped, Optional<Function<Path, String>> refusal) {
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
    static Inflated inflate(byte[] bytes) {
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
}
