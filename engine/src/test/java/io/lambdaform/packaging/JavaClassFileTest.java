package io.lambdaform.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.JavaSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-file reader: names, superclass, interfaces, methods and version, and nothing but IOException on bytes that are not a class. */
class JavaClassFileTest {
    @TempDir
    Path dir;

    private byte[] compiled(String internalName, Map<String, String> sources) throws IOException {
        Path classes = JavaSources.compile(dir, dir.resolve("classes"), sources);
        return Files.readAllBytes(classes.resolve(internalName + ".class"));
    }

    @Test
    void parse_readsTheNameSuperclassInterfacesAndDeclaredMethods_butNotWhatTheCompilerMade() throws IOException {
        byte[] bytes = compiled(
                "com/example/Hello",
                Map.of(
                        "com/example/Base.java",
                        "package com.example; public abstract class Base { public void inherited() {} }",
                        "com/example/Hello.java",
                        "package com.example;\n"
                                + "import java.util.function.Function;\n"
                                + "public class Hello extends Base implements Function<String, String>, Runnable {\n"
                                + "  static final long BIG = 1L << 40; static final double PI = 3.14;\n"
                                + "  public String apply(String s) { Runnable r = () -> System.out.println(s); r.run();"
                                + " return \"héllo \\u00e9 \" + s + BIG + PI; }\n"
                                + "  public void run() {}\n"
                                + "  public static void main(String[] args) {}\n"
                                + "}\n"));

        JavaClassFile file = JavaClassFile.parse(bytes);

        assertThat(file.name()).isEqualTo("com/example/Hello");
        assertThat(file.superName()).hasValue("com/example/Base");
        assertThat(file.interfaces()).containsExactly("java/util/function/Function", "java/lang/Runnable");
        assertThat(file.majorVersion()).isEqualTo(55);
        // apply(Object) is a bridge and the lambda's body synthetic: neither is a method someone wrote.
        assertThat(file.methods()).containsExactlyInAnyOrder("<init>", "apply", "run", "main");
        assertThat(file.methodNames()).containsExactly("apply", "main", "run");
    }

    @Test
    void parse_ofObjectsOwnSubclassAndOfAnInterface_givesTheirSuperclass() throws IOException {
        byte[] plain = compiled("Plain", Map.of("Plain.java", "public class Plain { void handle() {} }"));
        assertThat(JavaClassFile.parse(plain).superName()).hasValue("java/lang/Object");
        byte[] type = compiled(
                "Typed", Map.of("Typed.java", "public interface Typed { default int handle() { return 1; } }"));
        assertThat(JavaClassFile.parse(type).methods()).containsExactly("handle");
    }

    @Test
    void parse_refusesWhatIsNotAClassFile_withAnIOException_whateverTheBytes() throws IOException {
        byte[] bytes = compiled(
                "com/example/Hello",
                Map.of(
                        "com/example/Hello.java",
                        "package com.example; public class Hello { public String handleRequest(Object o) { return \"x\"; } }"));

        assertThatThrownBy(() -> JavaClassFile.parse("not a class".getBytes()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a class file");
        assertThatThrownBy(() -> JavaClassFile.parse(new byte[0])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JavaClassFile.parse(new byte[JavaClassFile.MAX_BYTES + 1]))
                .isInstanceOf(BeyondBounds.class);
        // Every prefix of a class file, and the file with bytes flipped: an IOException or a reading, nothing else.
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> JavaClassFile.parse(cut)).isInstanceOf(IOException.class);
        }
        Random random = new Random(21);
        for (int i = 0; i < 5_000; i++) {
            byte[] damaged = bytes.clone();
            for (int flips = 0; flips < 1 + random.nextInt(4); flips++) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            try {
                JavaClassFile.parse(damaged);
            } catch (IOException expected) {
                // not a class file: what validation reports as unreadable
            }
        }
    }
}
