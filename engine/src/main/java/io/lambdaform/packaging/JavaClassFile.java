package io.lambdaform.packaging;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What validation needs of a class file, read from its bytes (JVMS chapter 4) without loading it: its name, its
 * superclass and interfaces (internal names, {@code com/example/Hello}), the names of its methods and its version.
 * Bytes that are not a class file are an {@link IOException}, never another exception.
 *
 * @param methods the names of the methods the class declares, but those the compiler made (synthetic and bridge)
 */
record JavaClassFile(
        String name, Optional<String> superName, List<String> interfaces, Set<String> methods, int majorVersion) {
    /** Larger class files are not read: generated code rarely passes a few hundred kilobytes. */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final int MAGIC = 0xCAFEBABE;
    private static final int SYNTHETIC = 0x1000;
    private static final int BRIDGE = 0x0040;

    JavaClassFile {
        interfaces = List.copyOf(interfaces);
        // In the order of the file: messages list them so, whatever the run.
        methods = Collections.unmodifiableSet(new LinkedHashSet<>(methods));
    }

    /** Reads a class file; what is not one is an {@link IOException}. */
    static JavaClassFile parse(byte[] bytes) throws IOException {
        if (bytes.length > MAX_BYTES) {
            throw new BeyondBounds("the class file is larger than " + MAX_BYTES / (1024 * 1024) + " MB");
        }
        try {
            return read(ByteBuffer.wrap(bytes));
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IOException("not a class file (cut short)");
        }
    }

    private static JavaClassFile read(ByteBuffer in) throws IOException {
        if (in.getInt() != MAGIC) {
            throw new IOException("not a class file (no 0xCAFEBABE at its start)");
        }
        in.getShort(); // minor version
        int major = in.getShort() & 0xFFFF;
        int count = in.getShort() & 0xFFFF;
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.get() & 0xFF;
            switch (tag) {
                case 1 -> utf8[i] = modifiedUtf8(in);
                case 7 -> classNames[i] = in.getShort() & 0xFFFF;
                case 8, 16, 19, 20 -> in.getShort();
                case 15 -> {
                    in.get();
                    in.getShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.getInt();
                case 5, 6 -> {
                    in.getLong();
                    i++; // a long or a double takes two entries
                }
                default -> throw new IOException("not a class file (constant pool tag " + tag + ")");
            }
        }
        in.getShort(); // access flags
        String name = className(in.getShort() & 0xFFFF, utf8, classNames)
                .orElseThrow(() -> new IOException("not a class file (no name)"));
        Optional<String> superName = className(in.getShort() & 0xFFFF, utf8, classNames);
        int interfaceCount = in.getShort() & 0xFFFF;
        List<String> interfaces = new ArrayList<>();
        for (int i = 0; i < interfaceCount; i++) {
            className(in.getShort() & 0xFFFF, utf8, classNames).ifPresent(interfaces::add);
        }
        int fields = in.getShort() & 0xFFFF;
        for (int i = 0; i < fields; i++) {
            in.getShort(); // access flags
            in.getShort(); // name
            in.getShort(); // descriptor
            skipAttributes(in);
        }
        int methodCount = in.getShort() & 0xFFFF;
        Set<String> methods = new LinkedHashSet<>();
        for (int i = 0; i < methodCount; i++) {
            int access = in.getShort() & 0xFFFF;
            String method = utf8(in.getShort() & 0xFFFF, utf8);
            in.getShort(); // descriptor
            skipAttributes(in);
            if ((access & (SYNTHETIC | BRIDGE)) == 0) {
                methods.add(method);
            }
        }
        skipAttributes(in);
        if (in.hasRemaining()) {
            throw new IOException("not a class file (bytes after its end)");
        }
        return new JavaClassFile(name, superName, interfaces, methods, major);
    }

    /** The declared methods by name, sorted, without constructors and initializers. */
    List<String> methodNames() {
        return methods.stream().filter(m -> !m.startsWith("<")).sorted().toList();
    }

    private static void skipAttributes(ByteBuffer in) {
        int count = in.getShort() & 0xFFFF;
        for (int i = 0; i < count; i++) {
            in.getShort(); // name
            long length = in.getInt() & 0xFFFFFFFFL;
            if (length > in.remaining()) {
                throw new BufferUnderflowException();
            }
            in.position(in.position() + (int) length);
        }
    }

    private static Optional<String> className(int index, String[] utf8, int[] classNames) throws IOException {
        if (index == 0) {
            return Optional.empty();
        }
        if (index >= classNames.length || classNames[index] == 0) {
            throw new IOException("not a class file (constant " + index + " is not a class)");
        }
        return Optional.of(utf8(classNames[index], utf8));
    }

    private static String utf8(int index, String[] utf8) throws IOException {
        if (index >= utf8.length || utf8[index] == null) {
            throw new IOException("not a class file (constant " + index + " is not a name)");
        }
        return utf8[index];
    }

    /** A constant pool string, in the JVM's modified UTF-8. */
    private static String modifiedUtf8(ByteBuffer in) throws IOException {
        int length = in.getShort() & 0xFFFF;
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length + 2];
        bytes[0] = (byte) (length >>> 8);
        bytes[1] = (byte) length;
        in.get(bytes, 2, length);
        try {
            return new DataInputStream(new ByteArrayInputStream(bytes)).readUTF();
        } catch (IOException e) {
            throw new IOException("not a class file (a name is not modified UTF-8)");
        }
    }
}
