package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reading a JavaScript module's exports, at best, and knowing when it cannot. */
class NodeExportsTest {
    private static NodeExports scan(String... lines) {
        return NodeExports.scan(String.join("\n", lines) + "\n");
    }

    @Test
    void commonJsExports_areRead() {
        NodeExports module = scan(
                "'use strict';",
                "const helper = require('./helper');",
                "exports.first = async (event) => ({ ok: true });",
                "module.exports.second = function (event, context) {};",
                "exports['third'] = helper;",
                "Object.defineProperty(exports, \"fourth\", { enumerable: true, get: () => helper });",
                "if (exports.first == null) {}");

        assertThat(module.names()).containsExactlyInAnyOrder("first", "second", "third", "fourth");
        assertThat(module.unsure()).isEmpty();
    }

    @Test
    void anObjectLiteralAssignedToModuleExports_exportsItsKeys() {
        NodeExports module = scan(
                "module.exports = {",
                "  handler,",
                "  other: require('./other'),",
                "  'quoted': 1,",
                "  async method(event) { return { nested: 1 }; },",
                "  get getter() { return 2; },",
                "  last",
                "};");

        assertThat(module.names()).containsExactlyInAnyOrder("handler", "other", "quoted", "method", "getter", "last");
        assertThat(module.unsure()).isEmpty();
    }

    @Test
    void esModuleExports_areRead() {
        NodeExports module = scan(
                "import { S3 } from '@aws-sdk/client-s3';",
                "export async function handler(event) { return 1; }",
                "export function* generated() {}",
                "export const first = 1, second = (a, b) => { return a; };",
                "export let { destructured, inner: renamed } = make();",
                "export class Service {}",
                "const local = 1;",
                "export { local as aliased, local };",
                "export { other } from './other.mjs';",
                "export * as namespace from './ns.mjs';",
                "export default handler;");

        assertThat(module.names())
                .contains(
                        "handler",
                        "generated",
                        "first",
                        "second",
                        "destructured",
                        "renamed",
                        "Service",
                        "aliased",
                        "local",
                        "other",
                        "namespace",
                        "default")
                .doesNotContain("S3");
        assertThat(module.unsure()).isEmpty();
    }

    @Test
    void exportsInStringsCommentsTemplatesAndRegularExpressions_areNotExports() {
        NodeExports module = scan(
                "// exports.commented = 1;",
                "/* export function blocked() {} */",
                "const text = 'exports.quoted = 1';",
                "const template = `export const templated = ${ '}' + 1 }`;",
                "const pattern = /exports\\.matched = [\"']/g;",
                "const ratio = 4 / 2 / 1;",
                "exports.real = ratio;");

        assertThat(module.names()).containsExactly("real");
        assertThat(module.unsure()).isEmpty();
    }

    @Test
    void whatAReadingCannotKnow_isUnsure() {
        assertThat(scan("module.exports = require('./app');").unsure())
                .hasValueSatisfying(w -> assertThat(w).contains("something other than an object literal"));
        assertThat(scan("export * from './all.mjs';").unsure())
                .hasValueSatisfying(w -> assertThat(w).contains("export * from"));
        assertThat(scan("module.exports = { ...base, extra };").unsure()).isPresent();
        assertThat(scan("for (const k of keys) exports[k] = make(k);").unsure()).isPresent();
        assertThat(scan("Object.assign(module.exports, handlers);").unsure()).isPresent();
        assertThat(scan("exports.handler = `never closed").unsure()).isPresent();
        assertThat(scan("exports.other = 1;").unsure()).isEmpty();
    }

    @Test
    void hostileModules_endTheReadingSoon_withoutAnError() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            NodeExports.scan("x = [/".repeat(200_000));
            NodeExports.scan("export {".repeat(120_000));
            NodeExports.scan("export const a = {".repeat(50_000));
            NodeExports.scan("module.exports = {".repeat(50_000));
            NodeExports.scan("exports." + "a".repeat(900_000));
            assertThat(NodeExports.scan("`${".repeat(300_000)).unsure()).isPresent();
        });
    }
}
