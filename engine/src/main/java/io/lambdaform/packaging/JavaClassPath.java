package io.lambdaform.packaging;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The classes of a package where Lambda's Java runtime loads them from: the package's root, then each
 * {@code lib/*.jar}, whose class files are read one entry at a time ({@link ZipLookup}, {@link JavaClassFile}).
 * Bounded: at most {@value #MAX_JARS} jars, each read only when its central directory is small enough, and the bytes
 * read of jars in all within a budget; past a bound, a class not found yet is {@link Status#UNKNOWN}, not absent.
 */
final class JavaClassPath {
    /** Jars of {@code lib/} looked into, at most. */
    static final int MAX_JARS = 256;
    /** A jar inside an archive is read into memory when it holds at most this many bytes. */
    static final int MAX_NESTED_JAR_BYTES = 64 * 1024 * 1024;
    /** What the lookups of one handler may read of jars in all: directories, and jars inside an archive. */
    static final long MAX_JAR_BYTES_READ = 512L * 1024 * 1024;

    private static final String LIB = "lib";

    private final PackageFiles files;
    private final List<String> jars;
    private final boolean moreJars;
    /** Jars that could not be read, by name, with why. */
    private final Map<String, String> unreadable = new TreeMap<>();

    private long read;
    /** Whether a jar was too large to look into: a class not found may be in it. */
    private boolean skipped;

    /** What looking for a class found. */
    enum Status {
        FOUND,
        /** Not at the root nor in any jar. */
        ABSENT,
        /** Not found where it was looked for, but not looked for everywhere: a bound was reached. */
        UNKNOWN,
        /** Found, but its class file cannot be read. */
        UNREADABLE
    }

    /**
     * @param where the class file's name, or the jar that holds it
     * @param reason why it cannot be read, or what kept it from being looked for everywhere
     */
    record Lookup(Status status, Optional<JavaClassFile> file, String where, String reason) {
        static Lookup found(JavaClassFile file, String where) {
            return new Lookup(Status.FOUND, Optional.of(file), where, "");
        }

        static Lookup of(Status status, String where, String reason) {
            return new Lookup(status, Optional.empty(), where, reason);
        }
    }

    JavaClassPath(PackageFiles files) throws IOException {
        this.files = files;
        List<String> listed = files.list(LIB, ".jar", MAX_JARS);
        this.moreJars = listed.size() > MAX_JARS;
        this.jars = listed.subList(0, Math.min(listed.size(), MAX_JARS));
    }

    /** How many jars {@code lib/} holds (that are looked into). */
    int jarCount() {
        return jars.size();
    }

    /** The jars that could not be read, with why: a class may be missing because of one. */
    Map<String, String> unreadableJars() {
        return Map.copyOf(unreadable);
    }

    /** Looks for the class {@code internalName} ({@code com/example/Hello}) at the root, then in each jar. */
    Lookup find(String internalName) {
        String entry = internalName + ".class";
        try {
            Optional<PackageFiles.PackageFile> atRoot = files.find(entry);
            if (atRoot.isPresent()) {
                return parse(atRoot.get()::read, entry);
            }
        } catch (IOException e) {
            return Lookup.of(Status.UNKNOWN, entry, PackagingErrors.describe(e));
        }
        for (String jar : jars) {
            if (read > MAX_JAR_BYTES_READ) {
                return Lookup.of(Status.UNKNOWN, jar, "the jars are more than can be looked into");
            }
            if (unreadable.containsKey(jar)) {
                continue;
            }
            try {
                Optional<Lookup> found = findIn(jar, entry);
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (BeyondBounds e) {
                skipped = true;
            } catch (IOException e) {
                unreadable.put(jar, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
        }
        if (moreJars || skipped) {
            return Lookup.of(Status.UNKNOWN, LIB, "lib/ holds more jars than are looked into");
        }
        return Lookup.of(Status.ABSENT, entry, "");
    }

    private Optional<Lookup> findIn(String jar, String entry) throws IOException {
        Optional<PackageFiles.PackageFile> file = files.find(jar);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (SeekableByteChannel channel = file.get().channel(MAX_NESTED_JAR_BYTES)) {
            if (!(channel instanceof FileChannel)) {
                read += channel.size(); // a jar inside an archive, inflated
            }
            ZipLookup zip = ZipLookup.open(channel);
            read += zip.directorySize();
            Optional<ZipLookup.Entry> found = zip.find(entry);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(parse(limit -> zip.read(found.get(), limit), jar));
        }
    }

    /** Reads a class file's bytes, at most {@link JavaClassFile#MAX_BYTES}. */
    @FunctionalInterface
    private interface Bytes {
        byte[] read(int limit) throws IOException;
    }

    private static Lookup parse(Bytes bytes, String where) {
        try {
            return Lookup.found(JavaClassFile.parse(bytes.read(JavaClassFile.MAX_BYTES)), where);
        } catch (BeyondBounds e) {
            return Lookup.of(Status.UNKNOWN, where, e.getMessage());
        } catch (IOException e) {
            return Lookup.of(Status.UNREADABLE, where, e.getMessage() == null ? "cannot be read" : e.getMessage());
        }
    }
}
