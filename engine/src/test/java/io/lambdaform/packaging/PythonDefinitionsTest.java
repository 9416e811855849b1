package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reading a Python module's top-level names, without importing it. */
class PythonDefinitionsTest {
    private static PythonDefinitions scan(String... lines) {
        return PythonDefinitions.scan(String.join("\n", lines) + "\n");
    }

    @Test
    void defsAsyncDefsClassesAndDecoratedFunctions_areTopLevelNames() {
        PythonDefinitions module = scan(
                "import json",
                "@app.route('/x')",
                "@retry(times=3,",
                "       delay=1)",
                "def handler(event, context):",
                "    return 1",
                "async def later(",
                "        event,",
                "        context):",
                "    pass",
                "class Handler(Base):",
                "    def method(self):",
                "        def inner():",
                "            pass");

        assertThat(module.names())
                .contains("json", "handler", "later", "Handler")
                .doesNotContain("method", "inner");
        assertThat(module.functions()).containsExactly("handler", "later");
        assertThat(module.unknowable()).isEmpty();
    }

    @Test
    void aMethodOfAClass_isNotTopLevel_evenAfterAStringOrACommentAtColumnZero() {
        PythonDefinitions module = scan(
                "class Service:",
                "    def helper(self):",
                "        text = '''",
                "def handler(event, context):",
                "'''",
                "# def commented(event, context):",
                "    def handler(self, event, context):",
                "        return \"def quoted(): pass\"",
                "",
                "def main():",
                "    pass");

        assertThat(module.defines("handler")).isFalse();
        assertThat(module.names()).containsExactly("Service", "main");
    }

    @Test
    void aNameInsideATripleQuotedString_isNoDefinition() {
        PythonDefinitions module = scan(
                "\"\"\"Module docstring.",
                "",
                "def handler(event, context):",
                "    an example, not code",
                "\"\"\"",
                "r'''raw \\''' still the string",
                "def fake(): pass'''",
                "def main(event, context):",
                "    return f\"{event!r} \\\"def nope(): pass\\\"\"");

        assertThat(module.names()).containsExactly("main");
        assertThat(module.unknowable()).isEmpty();
    }

    @Test
    void assignmentsImportsAndBlocksAtModuleLevel_bindNames() {
        PythonDefinitions module = scan(
                "from handlers import (",
                "    first,",
                "    second as renamed,",
                ")",
                "import os.path, numpy as np",
                "annotated: Callable[[dict, object], dict] = make()",
                "only_annotated: int",
                "a = b = build()",
                "(c, [d, *e]) = 1, (2, 3, 4)",
                "f, g = pair()",
                "counter += 1",
                "x == y",
                "call(keyword=1)",
                "lam = lambda event, context: {'k': 1}",
                "try:",
                "    from fast import accelerated",
                "except ImportError:",
                "    def accelerated(event, context): return None",
                "if os.environ.get('X'): chosen = first",
                "else:",
                "    chosen = second",
                "for looped in range(3): pass",
                "with open('f') as opened, lock() as held:",
                "    inside_with = 1",
                "x = 1; y = 2",
                "def outer():",
                "    not_top = 1");

        assertThat(module.names())
                .contains(
                        "first",
                        "renamed",
                        "os",
                        "np",
                        "annotated",
                        "a",
                        "b",
                        "c",
                        "d",
                        "e",
                        "f",
                        "g",
                        "lam",
                        "accelerated",
                        "chosen",
                        "looped",
                        "opened",
                        "held",
                        "inside_with",
                        "x",
                        "y",
                        "outer")
                .doesNotContain("second", "only_annotated", "counter", "keyword", "not_top", "path", "numpy");
        assertThat(module.functions()).containsExactly("accelerated", "outer");
    }

    @Test
    void aModuleThatMakesNamesAReadingCannotSee_isUnknowable() {
        assertThat(scan("from helpers import *").unknowable())
                .hasValueSatisfying(w -> assertThat(w).contains("import *"));
        assertThat(scan("globals()['handler'] = make()").unknowable()).isPresent();
        assertThat(scan("import sys", "setattr(sys.modules[__name__], 'handler', make())")
                        .unknowable())
                .isPresent();
        assertThat(scan("def __getattr__(name):", "    return make(name)").unknowable())
                .isPresent();
        assertThat(scan("x = '''never closed", "def handler(): pass").unknowable())
                .isPresent();
        assertThat(scan("def handler(event, context):", "    return globals_count")
                        .unknowable())
                .isEmpty();
    }

    @Test
    void tabsAndContinuationLines_areReadAsPythonDoes() {
        PythonDefinitions module = scan(
                "if True:",
                "\tdef tabbed(event, context):",
                "\t\tinner = 1",
                "total = 1 + \\",
                "    2",
                "class K: pass",
                "def one_line(e, c): return 1");

        assertThat(module.names()).containsExactlyInAnyOrder("tabbed", "total", "K", "one_line");
    }

    @Test
    void hostileModules_endTheReadingSoon_withoutAnError() {
        String nested = "if a: ".repeat(100_000) + "handler = 1\n";
        StringBuilder indented = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            indented.append(" ".repeat(i % 2_000)).append("if x:\n");
        }
        String loop = "for " + " ".repeat(500_000) + "x\n";

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(PythonDefinitions.scan(nested).unknowable()).isPresent();
            assertThat(PythonDefinitions.scan(indented.toString()).names()).isEmpty();
            PythonDefinitions.scan(loop);
            assertThat(PythonDefinitions.scan("(".repeat(500_000)).unknowable()).isPresent();
            assertThat(PythonDefinitions.scan("'''" + "\\".repeat(500_000)).unknowable())
                    .isPresent();
        });
    }
}
