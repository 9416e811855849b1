package io.lambdaform.packaging;

import io.lambdaform.ConfinedPath;
import io.lambdaform.model.CodeSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * The files of a package looked up one name at a time, as Lambda finds them once the package is unzipped, without
 * walking or reading the rest: a code folder (each name resolved inside it by {@link ConfinedPath}, never through a
 * link that leaves it, and excluded names left out, as the walk leaves them out), a single file, or an archive
 * (through its central directory, {@link ZipLookup}).
 */
abstract sealed class PackageFiles implements Closeable {
    /** Entries of a folder looked at, at most, when listing it. */
    static final int MAX_LISTED = 100_000;

    /** The package {@code source} becomes. */
    static PackageFiles of(CodeSource source) throws IOException {
        return switch (source.kind()) {
            case FOLDER -> new Folder(source);
            case FILE -> new OneFile(source.path());
            case ARCHIVE -> new Archive(source.path());
        };
    }

    /** The regular file the package holds at {@code name} (relative, with '/'), if it holds one. */
    abstract Optional<PackageFile> find(String name) throws IOException;

    /**
     * The names (relative to the package, with '/') of the files directly in {@code folder} whose name ends with
     * {@code suffix}, sorted: at most {@code max} + 1, so that the caller knows when there are more.
     */
    abstract List<String> list(String folder, String suffix, int max) throws IOException;

    @Override
    public void close() throws IOException {}

    /** A file of a package: its size, whether it is executable where that is known, and its bytes, bounded. */
    interface PackageFile {
        long size();

        /** Whether the owner may execute it; empty when the package does not say (a zip made elsewhere). */
        Optional<Boolean> executable();

        /** Its bytes, when it holds at most {@code limit}; {@link BeyondBounds} otherwise. */
        byte[] read(int limit) throws IOException;

        /** Its bytes as a channel, for a zip inside the package; at most {@code limit} are held in memory. */
        SeekableByteChannel channel(int limit) throws IOException;
    }

    /** A code folder: names resolved inside it, one at a time. */
    private static final class Folder extends PackageFiles {
        private final Path root;
        private final Exclusions excludes;
        private final ConfinedPath.Budget links = new ConfinedPath.Budget(SourceWalk.MAX_LINK_NAMES);

        Folder(CodeSource source) throws IOException {
            this.root = source.path().toRealPath();
            List<String> patterns = new ArrayList<>(SourceWalk.DEFAULT_EXCLUDES);
            patterns.addAll(source.excludes());
            this.excludes = Exclusions.of(patterns);
        }

        @Override
        Optional<PackageFile> find(String name) throws IOException {
            return resolve(name).flatMap(real -> {
                try {
                    BasicFileAttributes attributes = SourceFile.attributes(real, LinkOption.NOFOLLOW_LINKS);
                    return attributes.isRegularFile()
                            ? Optional.of(new RealFile(real, attributes))
                            : Optional.<PackageFile>empty();
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
        }

        @Override
        List<String> list(String folder, String suffix, int max) throws IOException {
            Optional<Path> real = resolve(folder);
            List<String> names = new ArrayList<>();
            if (real.isEmpty()
                    || !SourceFile.attributes(real.get(), LinkOption.NOFOLLOW_LINKS)
                            .isDirectory()) {
                return names;
            }
            int looked = 0;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(real.get())) {
                for (Path entry : entries) {
                    String name = folder + "/" + entry.getFileName();
                    if (name.endsWith(suffix) && !excluded(name)) {
                        names.add(name);
                    }
                    if (++looked > MAX_LISTED) {
                        break;
                    }
                }
            } catch (DirectoryIteratorException e) {
                throw e.getCause();
            }
            return names.stream().sorted().limit(max + 1L).toList();
        }

        /** The real path of {@code name} inside the folder, when it is there and not excluded. */
        private Optional<Path> resolve(String name) throws IOException {
            if (excluded(name)) {
                return Optional.empty();
            }
            ConfinedPath.Resolution resolved = ConfinedPath.resolve(root, Path.of(name), links);
            return resolved.outcome() == ConfinedPath.Outcome.INSIDE ? resolved.real() : Optional.empty();
        }

        /** Whether the walk leaves {@code name} out: it, or a folder on its way, is excluded. */
        private boolean excluded(String name) {
            Path relative = Path.of(name);
            for (int i = 1; i <= relative.getNameCount(); i++) {
                if (excludes.excludes(relative.subpath(0, i))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Code that is one file: the package holds it alone, under its name. */
    private static final class OneFile extends PackageFiles {
        private final Path file;

        OneFile(Path file) {
            this.file = file;
        }

        @Override
        Optional<PackageFile> find(String name) throws IOException {
            if (!name.equals(file.getFileName().toString())) {
                return Optional.empty();
            }
            BasicFileAttributes attributes = SourceFile.attributes(file);
            return attributes.isRegularFile() ? Optional.of(new RealFile(file, attributes)) : Optional.empty();
        }

        @Override
        List<String> list(String folder, String suffix, int max) {
            return List.of();
        }
    }

    /** A file on disk. */
    private record RealFile(Path path, BasicFileAttributes attributes) implements PackageFile {
        @Override
        public long size() {
            return attributes.size();
        }

        @Override
        public Optional<Boolean> executable() {
            return attributes instanceof PosixFileAttributes posix
                    ? Optional.of(posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE))
                    : Optional.empty();
        }

        @Override
        public byte[] read(int limit) throws IOException {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                if (channel.size() > limit) {
                    throw new BeyondBounds("it holds more than " + limit + " bytes");
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // reads until the buffer holds the file
                }
                return buffer.hasRemaining() ? Arrays.copyOf(buffer.array(), buffer.position()) : buffer.array();
            }
        }

        @Override
        public SeekableByteChannel channel(int limit) throws IOException {
            return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** A prebuilt zip or jar: entries found through its central directory. */
    private static final class Archive extends PackageFiles {
        private final FileChannel channel;
        private final ZipLookup zip;

        Archive(Path archive) throws IOException {
            this.channel = FileChannel.open(archive, StandardOpenOption.READ);
            try {
                this.zip = ZipLookup.open(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        Optional<PackageFile> find(String name) throws IOException {
            return zip.find(name).filter(e -> !e.isDirectory()).<PackageFile>map(e -> new ArchiveEntry(zip, e));
        }

        @Override
        List<String> list(String folder, String suffix, int max) throws IOException {
            String prefix = folder + "/";
            return zip
                    .entries(
                            n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0 && n.endsWith(suffix),
                            MAX_LISTED)
                    .stream()
                    .map(ZipLookup.Entry::name)
                    .sorted()
                    .limit(max + 1L)
                    .toList();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** An entry of a prebuilt zip or jar. */
    private record ArchiveEntry(ZipLookup zip, ZipLookup.Entry entry) implements PackageFile {
        @Override
        public long size() {
            return entry.size();
        }

        @Override
        public Optional<Boolean> executable() {
            return entry.unixMode().map(mode -> (mode & 0100) != 0);
        }

        @Override
        public byte[] read(int limit) throws IOException {
            return zip.read(entry, limit);
        }

        @Override
        public SeekableByteChannel channel(int limit) throws IOException {
            return new SeekableInMemoryByteChannel(zip.read(entry, limit));
        }
    }
}
