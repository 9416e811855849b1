package io.lambdaform.cli;

/** ANSI colors, applied only when enabled. */
record Ansi(boolean enabled) {
    String green(String text) {
        return wrap("32", text);
    }

    String yellow(String text) {
        return wrap("33", text);
    }

    String red(String text) {
        return wrap("31", text);
    }

    String cyan(String text) {
        return wrap("36", text);
    }

    String bold(String text) {
        return wrap("1", text);
    }

    String forSymbol(String symbol, String text) {
        return switch (symbol) {
            case "+" -> green(text);
            case "-" -> red(text);
            case "~" -> yellow(text);
            default -> text;
        };
    }

    private String wrap(String code, String text) {
        return enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
