package io.lambdaform.packaging;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.JavaSources;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.CodeInspector.Finding;
import io.lambdaform.resource.HandlerNeed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a handler needs, looked for in folders, files and archives, offline. */
class HandlerInspectorTest {
    private static final String HELLO = "package com.example;\n"
            + "public class Hello {\n"
            + "  public String handleRequest(java.util.Map<String, Object> event, Object context) { return \"hi\"; }\n"
            + "  public String greet(String name) { return name; }\n"
            + "}\n";

    @TempDir
    Path dir;

    private static CodeSource folder(Path path, String... excludes) {
        return new CodeSource(path, CodeSource.Kind.FOLDER, List.of(excludes));
    }

    private static CodeSource archive(Path path) {
        return new CodeSource(path, CodeSource.Kind.ARCHIVE, List.of());
    }

    private static HandlerNeed.JavaMethod java(String handler) {
        int separator = handler.indexOf("::");
        return new HandlerNeed.JavaMethod(
                handler,
                separator < 0 ? handler : handler.substring(0, separator),
                separator < 0 ? "handleRequest" : handler.substring(separator + 2),
                61,
                "java17",
                false);
    }

    private static Optional<Finding> inspect(CodeSource code, HandlerNeed need) {
        return HandlerInspector.inspect(code, need, "'" + code.path().getFileName() + "'");
    }

    private static Optional<String> problem(CodeSource code, HandlerNeed need) {
        Optional<Finding> finding = inspect(code, need);
        finding.ifPresent(f -> assertThat(f.warning()).as(f.message()).isFalse());
        return finding.map(Finding::message);
    }

    // Custom runtimes

    @Test
    void bootstrap_mustBeAnExecutableFileAtTheFoldersRoot() throws IOException {
        HandlerNeed.Executable need = new HandlerNeed.Executable("provided.al2023", "bootstrap");
        Path code = dir.resolve("code");
        Path bootstrap = write(code, "bootstrap", "#!/bin/sh\n");

        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(problem(folder(code), need)).isEmpty();

        Files.setPosixFilePermissions(bootstrap, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(problem(folder(code), need))
                .hasValue("runtime provided.al2023 runs the package's 'bootstrap', but bootstrap is not executable:"
                        + " chmod +x bootstrap");

        Files.delete(bootstrap);
        write(code, "bin/bootstrap", "#!/bin/sh\n");
        assertThat(problem(folder(code), need))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith(
                                "runtime provided.al2023 runs the package's 'bootstrap', but code 'code' holds no file"
                                        + " named bootstrap at its root"));
    }

    @Test
    void bootstrap_thatIsALinkInsideTheFolder_countsAsWhatItLeadsTo_andAnExcludedOneAsMissing() throws IOException {
        HandlerNeed.Executable need = new HandlerNeed.Executable("provided.al2", "bootstrap");
        Path code = dir.resolve("code");
        Path real = write(code, "bin/start.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(code.resolve("bootstrap"), Path.of("bin/start.sh"));

        assertThat(problem(folder(code), need)).isEmpty();
        assertThat(problem(folder(code, "bootstrap"), need))
                .hasValueSatisfying(m -> assertThat(m)
                        .contains("holds no file named bootstrap at its root (or code.exclude leaves it out)"));
    }

    @Test
    void bootstrap_inAZip_isJudgedByItsEntrysUnixMode_whenTheZipRecordsOne() throws IOException {
        HandlerNeed.Executable need = new HandlerNeed.Executable("provided.al2023", "bootstrap");

        assertThat(problem(archive(zipWithMode("exec.zip", "bootstrap", 0100755)), need))
                .isEmpty();
        assertThat(problem(archive(zipWithMode("plain.zip", "bootstrap", 0100644)), need))
                .hasValue("runtime provided.al2023 runs the package's 'bootstrap', but bootstrap is not executable in"
                        + " 'plain.zip' (its entry's mode has no execute bit): chmod +x bootstrap and zip it again");
        assertThat(problem(archive(zipWithMode("other.zip", "main", 0100755)), need))
                .isPresent();
        // A zip that records no mode: whether it runs is not known here.
        Path modeless = JavaSources.zip(
                Map.of("bootstrap", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)), dir.resolve("modeless.zip"));
        assertThat(problem(archive(modeless), need)).isEmpty();
    }

    private Path zipWithMode(String zipName, String entryName, int mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
            ZipArchiveEntry entry = new ZipArchiveEntry(entryName);
            entry.setUnixMode(mode);
            out.putArchiveEntry(entry);
            out.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        return Files.write(dir.resolve(zipName), bytes.toByteArray());
    }

    // Java

    @Test
    void javaClass_isFoundAmongTheFoldersClasses_withItsMethodOrHandleRequest() {
        Path code = JavaSources.compile(dir, dir.resolve("classes"), Map.of("com/example/Hello.java", HELLO));

        assertThat(problem(folder(code), java("com.example.Hello"))).isEmpty();
        assertThat(problem(folder(code), java("com.example.Hello::greet"))).isEmpty();
        assertThat(problem(folder(code), java("com.example.Hello::greeet")))
                .hasValue("handler 'com.example.Hello::greeet' names method greeet, but class com.example.Hello has"
                        + " no method 'greeet' (it declares: greet, handleRequest); did you mean 'greet'?");
        assertThat(problem(folder(code), java("com.example.Missing")))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("class com.example.Missing is not in the package: looked in the folder's classes"
                                + " (com/example/Missing.class in 'classes') and in lib/*.jar (none)"));
    }

    @Test
    void javaClass_inAJarOfLib_isFound_andOneInNoJar_namesTheJarsLookedIn() {
        Path classes = JavaSources.compile(dir, dir.resolve("build"), Map.of("com/example/Hello.java", HELLO));
        Path code = dir.resolve("code");
        JavaSources.zip(classes, code.resolve("lib/app.jar"));
        JavaSources.zip(Map.of("other/Thing.class", new byte[] {1}), code.resolve("lib/other.jar"));
        write(code, "lib/broken.jar", "not a jar");

        assertThat(problem(folder(code), java("com.example.Hello::greet"))).isEmpty();
        assertThat(problem(folder(code), java("com.example.Gone")))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("class com.example.Gone is not in the package: looked in the folder's classes"
                                + " (com/example/Gone.class in 'code') and in lib/*.jar (3 jars); lib/broken.jar could"
                                + " not be read (not a zip archive"));
    }

    @Test
    void javaClass_inAJarOrAZip_isFoundAtItsRootOrInItsLibJars() throws IOException {
        Path classes = JavaSources.compile(dir, dir.resolve("build"), Map.of("com/example/Hello.java", HELLO));
        Path jar = JavaSources.zip(classes, dir.resolve("app.jar"));
        Map<String, byte[]> zip = new TreeMap<>();
        zip.put("lib/app.jar", Files.readAllBytes(jar));
        zip.put("lib/readme.txt", new byte[] {1});
        Path packaged = JavaSources.zip(zip, dir.resolve("function.zip"));

        assertThat(problem(archive(jar), java("com.example.Hello"))).isEmpty();
        assertThat(problem(archive(packaged), java("com.example.Hello::greet"))).isEmpty();
        assertThat(problem(archive(packaged), java("com.example.Hello::wave")))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith(
                                "handler 'com.example.Hello::wave' names method wave, but class com.example.Hello has no"
                                        + " method 'wave'"));
        assertThat(problem(archive(jar), java("com.example.Other")))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("class com.example.Other is not in the package: looked in the classes of"
                                + " 'app.jar' (com/example/Other.class at its root) and in its lib/*.jar (none)"));
    }

    @Test
    void aMethodOfASuperclassInThePackage_counts_andOneOutsideThePackage_cannotBeKnown() {
        Path library = JavaSources.compile(
                dir,
                dir.resolve("library"),
                Map.of(
                        "org/lib/FrameworkHandler.java",
                        "package org.lib; public abstract class FrameworkHandler {"
                                + " public Object handleRequest(Object in, Object context) { return in; } }"));
        Path code = JavaSources.compile(
                dir,
                dir.resolve("classes"),
                Map.of(
                        "com/example/Base.java",
                        "package com.example; public abstract class Base {"
                                + " public String handleRequest(Object in, Object context) { return \"\"; } }",
                        "com/example/Child.java",
                        "package com.example; public class Child extends Base { public void other() {} }",
                        "com/example/Framework.java",
                        "package com.example; public class Framework extends org.lib.FrameworkHandler {}",
                        "com/example/Defaulted.java",
                        "package com.example; public class Defaulted implements Handles {}",
                        "com/example/Handles.java",
                        "package com.example; public interface Handles { default void handleRequest() {} }"),
                library);

        assertThat(problem(folder(code), java("com.example.Child"))).isEmpty();
        assertThat(problem(folder(code), java("com.example.Defaulted"))).isEmpty();
        assertThat(problem(folder(code), java("com.example.Child::nothing"))).isPresent();
        // FrameworkHandler is not in the package (a layer, or the runtime's): its methods are unknown.
        assertThat(problem(folder(code), java("com.example.Framework::anything")))
                .isEmpty();
        assertThat(problem(folder(code), java("com.example.Child::toString"))).isEmpty();
    }

    @Test
    void aClassCompiledForANewerJava_thanTheRuntime_isAProblem() throws IOException {
        Path code = JavaSources.compile(dir, dir.resolve("classes"), Map.of("com/example/Hello.java", HELLO));
        Path file = code.resolve("com/example/Hello.class");
        byte[] bytes = Files.readAllBytes(file);
        bytes[7] = 65; // major version: Java 21
        Files.write(file, bytes);

        assertThat(problem(folder(code), java("com.example.Hello")))
                .hasValue("class com.example.Hello is compiled for Java 21 (class file version 65), but runtime java17"
                        + " runs Java 17: compile for Java 17 (javac --release 17, or the build's release setting), or"
                        + " choose a runtime of Java 21 or later");
    }

    @Test
    void aDamagedHandlerClass_cannotBeRead_andLayersMayHoldAMissingOne() throws IOException {
        Path code = dir.resolve("code");
        write(code, "com/example/Hello.class", "garbage");

        assertThat(problem(folder(code), java("com.example.Hello")))
                .hasValueSatisfying(m -> assertThat(m)
                        .startsWith("class com.example.Hello is in the package (com/example/Hello.class) but cannot be"
                                + " read: not a class file"));
        HandlerNeed.JavaMethod layered =
                new HandlerNeed.JavaMethod("com.example.Gone", "com.example.Gone", "handleRequest", 61, "java17", true);
        assertThat(problem(folder(code), layered)).isEmpty();
    }

    // Python and Node

    @Test
    void pythonFunction_mustBeDefinedAtTheModulesTopLevel_inAFolderOrAZip() throws IOException {
        Path code = dir.resolve("code");
        write(
                code,
                "app.py",
                "def main(event, context):\n    pass\n\nclass Service:\n"
                        + "    def handler(self, event, context):\n        pass\n\ndef helper():\n    pass\n");
        HandlerNeed.PythonFunction need =
                new HandlerNeed.PythonFunction("app.handler", List.of("app.py", "app/__init__.py"), "handler");

        assertThat(problem(folder(code), need))
                .hasValue("handler 'app.handler' names function handler, but app.py defines no top-level 'handler'"
                        + " (it defines: main, helper)");
        assertThat(problem(folder(code), new HandlerNeed.PythonFunction("app.main", need.modules(), "main")))
                .isEmpty();

        Path zip = JavaSources.zip(
                Map.of("app/__init__.py", "async def handler(e, c):\n    pass\n".getBytes(StandardCharsets.UTF_8)),
                dir.resolve("code.zip"));
        assertThat(problem(archive(zip), need)).isEmpty();
        Path empty = JavaSources.zip(Map.of("other.py", new byte[0]), dir.resolve("empty.zip"));
        assertThat(problem(archive(empty), need))
                .hasValue("handler 'app.handler' needs app.py in the code, but 'empty.zip' has no such file");
    }

    @Test
    void pythonModules_overTheReadingLimit_orUnknowable_areNotJudged() {
        Path code = dir.resolve("code");
        write(code, "big.py", "x = 1\n".repeat(PythonDefinitions.MAX_BYTES / 6 + 1));
        write(code, "star.py", "from somewhere import *\n");

        assertThat(inspect(folder(code), new HandlerNeed.PythonFunction("big.handler", List.of("big.py"), "handler")))
                .isEmpty();
        assertThat(inspect(folder(code), new HandlerNeed.PythonFunction("star.handler", List.of("star.py"), "handler")))
                .isEmpty();
    }

    @Test
    void nodeExport_missing_isAProblem_andUnknowable_aWarning() {
        Path code = dir.resolve("code");
        write(code, "index.js", "exports.main = async () => 1;\nexports.other = 2;\n");
        write(code, "app.mjs", "export * from './handlers.mjs';\n");
        HandlerNeed.NodeExport missing =
                new HandlerNeed.NodeExport("index.handler", List.of("index.js", "index.mjs", "index.cjs"), "handler");
        HandlerNeed.NodeExport unsure =
                new HandlerNeed.NodeExport("app.handler", List.of("app.js", "app.mjs", "app.cjs"), "handler");

        assertThat(problem(folder(code), missing))
                .hasValue("handler 'index.handler' names export handler, but index.js exports no 'handler' (it"
                        + " exports: main, other)");
        assertThat(inspect(folder(code), unsure)).hasValueSatisfying(f -> {
            assertThat(f.warning()).isTrue();
            assertThat(f.message())
                    .isEqualTo("handler 'app.handler' names export handler, which app.mjs may not export: it"
                            + " re-exports every name of another module (export * from), so what it exports is known"
                            + " only when it runs");
        });
        assertThat(problem(folder(code), new HandlerNeed.NodeExport("index.main", missing.files(), "main")))
                .isEmpty();
    }

    @Test
    void whatLeavesTheFolder_isNeverRead() throws IOException {
        Path outside = write(dir, "outside/app.py", "def handler(event, context):\n    pass\n");
        Path code = dir.resolve("code");
        Files.createDirectories(code);
        Files.createSymbolicLink(code.resolve("app.py"), outside);
        HandlerNeed.PythonFunction need = new HandlerNeed.PythonFunction("app.handler", List.of("app.py"), "handler");

        // The walk refuses the link (validate reports it at code); here it is as if the file were not there.
        assertThat(problem(folder(code), need)).isPresent();
    }
}
