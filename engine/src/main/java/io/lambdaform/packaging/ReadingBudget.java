package io.lambdaform.packaging;

/**
 * The work one reading of an untrusted file may do: characters looked at, by hand or by a regular expression, in
 * all. A module crafted to make a scan or a pattern go quadratic stops the reading ({@link Exhausted}) instead of the
 * command.
 */
final class ReadingBudget {
    /** Some tenths of a second: many times what reading a megabyte of real code takes. */
    static final long CHARACTERS = 100_000_000;

    private long left;

    ReadingBudget(long characters) {
        this.left = characters;
    }

    /** Spends {@code characters}; {@link Exhausted} when none are left. */
    void spend(long characters) {
        left -= characters;
        if (left < 0) {
            throw new Exhausted();
        }
    }

    /** {@code text} as a regular expression reads it, each character it looks at spent. */
    CharSequence text(String text) {
        return new Counted(text);
    }

    /** The budget is spent. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("the reading took more work than it may", null, false, false);
        }
    }

    private final class Counted implements CharSequence {
        private final String text;

        Counted(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            spend(1);
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            spend(end - start);
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
