package io.lambdaform;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles small Java sources in a test, and zips classes into jars: the handlers validation reads. */
public final class JavaSources {
    private JavaSources() {}

    /**
     * Compiles {@code sources} (path of the .java file, as {@code com/example/Hello.java}, to its text) into
     * {@code classes}, with {@code classpath} (folders or jars) to compile against.
     */
    public static Path compile(Path work, Path classes, Map<String, String> sources, Path... classpath) {
        try {
            Path src = Files.createTempDirectory(work, "src");
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "11", "-nowarn"));
            if (classpath.length > 0) {
                args.add("-cp");
                args.add(String.join(
                        System.getProperty("path.separator"),
                        Stream.of(classpath).map(Path::toString).toList()));
            }
            for (Map.Entry<String, String> source : sources.entrySet()) {
                args.add(
                        TestFiles.write(src, source.getKey(), source.getValue()).toString());
            }
            Files.createDirectories(classes);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int status = javac.run(null, OutputStream.nullOutputStream(), System.err, args.toArray(String[]::new));
            if (status != 0) {
                throw new AssertionError("javac failed: " + sources.keySet());
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Zips every file under {@code folder} into {@code zip}, by name relative to it. */
    public static Path zip(Path folder, Path zip) {
        Map<String, byte[]> entries = new TreeMap<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                entries.put(folder.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip(entries, zip);
    }

    /** Writes a zip of these entries, deflated. */
    public static Path zip(Map<String, byte[]> entries, Path zip) {
        try {
            Files.createDirectories(zip.toAbsolutePath().getParent());
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    out.putNextEntry(new ZipEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
