package io.lambdaform.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lambdaform.FuzzyMatcher;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SpecsTest {
    /** A document's spec and the problems reported on it, by pointer. */
    private static final class Document implements ReadContext {
        private final JsonNode spec;
        private final List<String> problems = new ArrayList<>();

        Document(String json) throws Exception {
            this.spec = new ObjectMapper().readTree(json);
        }

        @Override
        public String name() {
            return "d";
        }

        @Override
        public JsonNode spec() {
            return spec;
        }

        @Override
        public Sensitive sensitive() {
            return Sensitive.NONE;
        }

        @Override
        public void problemAt(String pointer, String message) {
            problems.add(pointer + ": " + message);
        }

        @Override
        public void problemAtKey(String pointer, String message) {
            problemAt(pointer, message);
        }

        @Override
        public boolean hasProblemAt(String pointer) {
            return pointer.equals("/spec/reported");
        }

        @Override
        public int problemCount() {
            return problems.size();
        }

        @Override
        public Set<String> declared(String manifestName) {
            return Set.of();
        }

        @Override
        public Optional<JsonNode> declaredSpec(String manifestName, String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> file(String written, String pointer, boolean folderAllowed) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> output(String written, String pointer) {
            return Optional.empty();
        }

        @Override
        public Path manifestFolder() {
            return Path.of(".");
        }

        @Override
        public boolean exists(Path path) {
            return false;
        }

        @Override
        public boolean isFolder(Path path) {
            return false;
        }

        @Override
        public void inspectCode(CodeSource code, String written, String pointer) {}

        @Override
        public void inspectHandler(CodeSource code, HandlerNeed need, String written, String pointer) {}

        @Override
        public void validationWarning(String pointer, String message) {}

        @Override
        public <T> T shared(String key, Supplier<T> compute) {
            return compute.get();
        }

        @Override
        public boolean holdsFile(Path folder, String relative) {
            return false;
        }

        @Override
        public String suggestion(String written, Set<String> candidates) {
            return FuzzyMatcher.suggestion(written, candidates);
        }

        @Override
        public boolean isGlob(String pattern) {
            return true;
        }
    }

    @Test
    void anIntegerOfAnySize_isReadAsAnInteger_andAWrongTypeIsReportedAtItsPointer() throws Exception {
        Document document = new Document("{\"big\": 10, \"text\": \"ten\", \"huge\": 1e3, \"reported\": \"x\"}");
        ((ObjectNode) document.spec).put("bigint", new BigInteger("256"));

        assertThat(Specs.integer(document, "/spec/big")).contains(10L);
        assertThat(Specs.integer(document, "/spec/bigint", 128, 10240)).contains(256);
        assertThat(Specs.integer(document, "/spec/absent")).isEmpty();
        assertThat(Specs.integer(document, "/spec/text")).isEmpty();
        assertThat(Specs.integer(document, "/spec/huge")).isEmpty();
        assertThat(Specs.integer(document, "/spec/reported")).isEmpty();
        assertThat(Specs.integer(document, "/spec/big", 128, 10240)).isEmpty();
        assertThat(document.problems)
                .containsExactly(
                        "/spec/text: 'spec.text' must be a whole number, found a string",
                        "/spec/huge: 'spec.huge' must be a whole number, found the number 1000.0",
                        "/spec/big: 'spec.big' is 10, expected 128 to 10240");
    }

    @Test
    void booleansDurationsAndChoices_areReadOrReported() throws Exception {
        Document document = new Document("{\"on\": true, \"yes\": \"yes\", \"a\": 30, \"b\": \"5m\", \"c\": \"PT2H\","
                + " \"d\": \"soon\", \"e\": \"auto\", \"f\": \"Auto\"}");

        assertThat(Specs.bool(document, "/spec/on")).contains(true);
        assertThat(Specs.bool(document, "/spec/yes")).isEmpty();
        assertThat(Specs.duration(document, "/spec/a")).contains(Duration.ofSeconds(30));
        assertThat(Specs.duration(document, "/spec/b")).contains(Duration.ofMinutes(5));
        assertThat(Specs.duration(document, "/spec/c")).contains(Duration.ofHours(2));
        assertThat(Specs.duration(document, "/spec/d")).isEmpty();
        assertThat(Specs.oneOf(document, "/spec/e", List.of("auto", "manual"))).contains("auto");
        assertThat(Specs.oneOf(document, "/spec/f", List.of("auto", "manual"))).isEmpty();
        assertThat(document.problems)
                .containsExactly(
                        "/spec/yes: 'spec.yes' must be true or false, found a string",
                        "/spec/d: 'spec.d' must be a duration (seconds, or 500ms, 30s, 5m, 2h, 1d, or PT30S), found a"
                                + " string",
                        "/spec/f: 'spec.f' must be one of auto, manual, found a string; did you mean 'auto'?");
    }
}
