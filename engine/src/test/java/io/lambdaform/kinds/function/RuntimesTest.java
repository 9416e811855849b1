package io.lambdaform.kinds.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.resource.HandlerNeed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RuntimesTest {
    @Test
    void theRuntimesImportAccepts_areExactlyThoseTheFunctionSchemaAllows() throws IOException {
        Set<String> schema = new TreeSet<>();
        new ObjectMapper()
                .readTree(Files.readString(Path.of("../schemas/function.schema.json")))
                .at("/properties/spec/properties/runtime/enum")
                .forEach(r -> schema.add(r.asText()));

        assertThat(schema).isNotEmpty();
        assertThat(new TreeSet<>(Runtimes.SUPPORTED)).isEqualTo(schema);
        assertThat(FunctionKind.supportsRuntime("python3.12")).isTrue();
        assertThat(FunctionKind.supportsRuntime("python2.7")).isFalse();
    }

    @Test
    void need_saysWhatEachRuntimeLooksForInTheCode() {
        assertThat(Runtimes.need("java17", "com.example.Hello", false))
                .hasValue(new HandlerNeed.JavaMethod(
                        "com.example.Hello", "com.example.Hello", "handleRequest", 61, "java17", false));
        assertThat(Runtimes.need("java8.al2", "com.example.Hello::greet", true))
                .hasValue(new HandlerNeed.JavaMethod(
                        "com.example.Hello::greet", "com.example.Hello", "greet", 52, "java8.al2", true));
        assertThat(Runtimes.need("provided.al2023", "anything", false))
                .hasValue(new HandlerNeed.Executable("provided.al2023", "bootstrap"));
        assertThat(Runtimes.need("provided.al2023", "anything", true)).isEmpty();
        assertThat(Runtimes.need("python3.12", "pkg.app.handler", false))
                .hasValue(new HandlerNeed.PythonFunction(
                        "pkg.app.handler", List.of("pkg/app.py", "pkg/app/__init__.py"), "handler"));
        assertThat(Runtimes.need("nodejs20.x", "src/index.handler", false))
                .hasValue(new HandlerNeed.NodeExport(
                        "src/index.handler", List.of("src/index.js", "src/index.mjs", "src/index.cjs"), "handler"));
        assertThat(Runtimes.need("java17", "not a handler", false)).isEmpty();
        assertThat(Runtimes.need("ruby3.3", "function.handler", false)).isEmpty();
        assertThat(Runtimes.need("dotnet8", "A::B.C::D", false)).isEmpty();
    }
}
