package io.lambdaform.packaging;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The system's libdeflate, when it has one: raw deflate of a whole buffer, on source code about 2.5 times as fast as
 * zlib at its fastest level, and a little smaller. Found at fixed system paths only ({@link SystemLibrary}) and checked
 * once per process (a known text deflated and inflated back by the JDK); where it is missing or fails the check,
 * zlib deflates. Loading it (and JNA) costs some 60 ms: packages under {@link #WORTH_LOADING_BYTES} never do.
 */
final class Libdeflate {
    private static final List<Path> SYSTEM_LIBRARIES = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/libdeflate.so.0"),
            Path.of("/usr/lib/aarch64-linux-gnu/libdeflate.so.0"),
            Path.of("/usr/lib64/libdeflate.so.0"),
            Path.of("/usr/lib/libdeflate.so.0"),
            Path.of("/usr/local/lib/libdeflate.so.0"),
            Path.of("/opt/homebrew/lib/libdeflate.0.dylib"),
            Path.of("/usr/local/lib/libdeflate.0.dylib"));

    /** The unzipped size from which a package is deflated with libdeflate. */
    static final long WORTH_LOADING_BYTES = 8L * 1024 * 1024;

    private static final Cleaner CLEANER = Cleaner.create();

    /** libdeflate's functions, bound to the library found (JNA's direct mapping: one native call each). */
    private static final class Functions {
        static native Pointer libdeflate_alloc_compressor(int level);

        static native long libdeflate_deflate_compress(
                Pointer compressor, Pointer in, long inBytes, Pointer out, long outBytesAvailable);

        static native long libdeflate_deflate_compress_bound(Pointer compressor, long inBytes);

        static native void libdeflate_free_compressor(Pointer compressor);
    }

    private static final Optional<Libdeflate> SYSTEM = load();

    private Libdeflate() {}

    /** The system's libdeflate, once it passed its check; empty where there is none. */
    static Optional<Libdeflate> system() {
        return SYSTEM;
    }

    private static Optional<Libdeflate> load() {
        try {
            if (!SystemLibrary.bind(Functions.class, SYSTEM_LIBRARIES)) {
                return Optional.empty();
            }
            Libdeflate library = new Libdeflate();
            return library.answersCorrectly() ? Optional.of(library) : Optional.empty();
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Deflates a known text and inflates it back with the JDK. */
    private boolean answersCorrectly() {
        byte[] text = "def handler(event, context):\n    return {'hello': event['name']}\n"
                .repeat(200)
                .getBytes(StandardCharsets.UTF_8);
        Compressor compressor = compressor(1, text.length);
        byte[] deflated = compressor.deflate(text, text.length);
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            byte[] back = new byte[text.length + 1];
            int n = inflater.inflate(back);
            return deflated.length < text.length / 4
                    && n == text.length
                    && Arrays.equals(back, 0, n, text, 0, text.length);
        } catch (DataFormatException e) {
            return false;
        } finally {
            inflater.end();
        }
    }

    /** A compressor at {@code level} (1 to 12) for inputs of at most {@code maxInput} bytes, for one thread. */
    Compressor compressor(int level, int maxInput) {
        return new Compressor(level, maxInput);
    }

    /** One thread's compressor and the native memory it reads from and writes into. */
    static final class Compressor {
        private final Pointer handle;
        private final Memory in;
        private final Memory out;
        private final int maxInput;

        private Compressor(int level, int maxInput) {
            Pointer handle = Functions.libdeflate_alloc_compressor(level);
            if (handle == null) {
                throw new OutOfMemoryError("libdeflate could not allocate a compressor");
            }
            this.handle = handle;
            this.maxInput = maxInput;
            this.in = new Memory(Math.max(1, maxInput));
            this.out = new Memory(Functions.libdeflate_deflate_compress_bound(handle, maxInput));
            long peer = Pointer.nativeValue(handle);
            CLEANER.register(this, () -> Functions.libdeflate_free_compressor(new Pointer(peer)));
        }

        /** The first {@code length} bytes of {@code input}, raw-deflated. */
        byte[] deflate(byte[] input, int length) {
            if (length > maxInput) {
                throw new IllegalArgumentException(length + " bytes is more than this compressor takes");
            }
            if (length > 0) {
                in.write(0, input, 0, length);
            }
            long n = Functions.libdeflate_deflate_compress(handle, in, length, out, out.size());
            if (n <= 0) {
                throw new IllegalStateException("libdeflate found no room for " + length + " bytes deflated");
            }
            return out.getByteArray(0, (int) n);
        }
    }
}
