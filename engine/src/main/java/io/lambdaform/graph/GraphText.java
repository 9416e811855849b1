package io.lambdaform.graph;

/** Characters a graph never writes as they are: controls, and those that change or hide the text around them. */
final class GraphText {
    private GraphText() {}

    /** A control character, a format character (direction marks, zero-width), a line or paragraph separator. */
    static boolean invisible(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE
                || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE;
    }

    /** How such a character is shown instead: {@code \x0A}, {@code \u202E}. */
    static String visible(int c) {
        return c < 0x100 ? String.format("\\x%02X", c) : String.format("\\u%04X", c);
    }
}
