package io.lambdaform.packaging;

import java.io.IOException;

/**
 * A file that validation does not look into: larger than it reads (a class file, a module, a jar's directory). What it
 * holds is unknown, which is not a problem of the file.
 */
final class BeyondBounds extends IOException {
    private static final long serialVersionUID = 1L;

    BeyondBounds(String message) {
        super(message);
    }
}
