package io.lambdaform;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * How messages speak of files, in output that may be posted publicly: why one could not be read, without the
 * exception's message (which may name a path outside the repository), and a path too long to read, shortened.
 */
public final class PathWords {
    private PathWords() {}

    /** The reason an I/O error gives: "permission denied", the system's words (which name no path), or its kind. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException failed && failed.getReason() != null) {
            return failed.getReason();
        }
        return e.getClass().getSimpleName();
    }

    /** {@code path} as is up to 200 characters, else its beginning and its end: a path too long to open, say. */
    public static String shortened(String path) {
        return Quoted.shortened(path, 200);
    }
}
