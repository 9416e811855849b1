package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import io.lambdaform.LambdaformException;
import io.lambdaform.PathWords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the local cloud sends the invocation records of asynchronous invocations, in place of the queue, topic, bus
 * or function a destination names: under the state folder, {@code destinations/<ARN>.jsonl} (the ARN percent-encoded,
 * every character but letters, digits, {@code .}, {@code _} and {@code -}; one too long for a file name is cut and
 * ends with a digest of the whole), one record per line, appended under a file lock. Bounded as the logs are: a file
 * that would pass the bound is first renamed to {@code <ARN>.jsonl.1}, replacing the older one.
 */
final class LocalDestinations {
    /** The size past which a destination's file is rotated. */
    static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;

    static final String FOLDER = "destinations";
    /** The longest encoded ARN kept whole in a file name (file names are at most 255 bytes). */
    private static final int LONGEST_NAME = 200;

    private final Path folder;

    private final long maxBytes;

    LocalDestinations(Path stateRoot, long maxBytes) {
        this.folder = requireNonNull(stateRoot, "stateRoot is null").resolve(FOLDER);
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** The file of a destination, relative to the state folder: {@code destinations/<encoded ARN>.jsonl}. */
    static String file(String arn) {
        return FOLDER + "/" + fileName(arn);
    }

    Path current(String arn) {
        return folder.resolve(fileName(arn));
    }

    Path rotated(String arn) {
        return folder.resolve(fileName(arn) + ".1");
    }

    private static String fileName(String arn) {
        StringBuilder name = new StringBuilder();
        for (byte b : arn.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._-".indexOf(c) >= 0) {
                name.append(c);
            } else {
                name.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (name.length() > LONGEST_NAME) {
            name.setLength(LONGEST_NAME - 17);
            name.append('-').append(HexFormat.of().formatHex(sha256(arn), 0, 8));
        }
        return name.append(".jsonl").toString();
    }

    /**
     * Appends one record (a line of JSON) to the destination's file and returns that file, relative to the state
     * folder.
     */
    String send(String arn, String record) {
        byte[] bytes = (record + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            LineFiles.append(folder, current(arn), rotated(arn), maxBytes, bytes);
        } catch (IOException e) {
            throw LambdaformException.user("the local cloud could not write the invocation record for " + arn + " to "
                    + file(arn) + " under its state folder: " + PathWords.reason(e));
        }
        return file(arn);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
