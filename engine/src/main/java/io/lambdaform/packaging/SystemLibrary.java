package io.lambdaform.packaging;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Binds a class's static native methods to a C library of the system, found only at fixed paths: never through
 * {@code LD_LIBRARY_PATH}, {@code jna.library.path} or the working folder, any of which a CI job may point into the
 * repository being planned. Only 64-bit processes bind (the methods take {@code size_t} as {@code long}).
 */
final class SystemLibrary {
    private SystemLibrary() {}

    /** Binds {@code functions} to the first of {@code candidates} that binds; false when none does. */
    static boolean bind(Class<?> functions, List<Path> candidates) {
        try {
            if (Native.SIZE_T_SIZE != Long.BYTES) {
                return false;
            }
        } catch (LinkageError | RuntimeException e) {
            return false; // No JNA for this platform.
        }
        for (Path candidate : candidates) {
            if (candidate.isAbsolute() && Files.isRegularFile(candidate)) {
                try {
                    Native.register(functions, NativeLibrary.getInstance(candidate.toString()));
                    return true;
                } catch (LinkageError | RuntimeException e) {
                    // A library without the functions, or one that does not load: the next one may.
                }
            }
        }
        return false;
    }
}
