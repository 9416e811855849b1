package io.lambdaform.kinds.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
