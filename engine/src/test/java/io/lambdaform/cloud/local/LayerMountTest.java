package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers extracted into one opt folder in the function's order, and the variables runtimes find them by. */
class LayerMountTest {
    @TempDir
    Path dir;

    private Path zip(String name, Map<String, String> files) throws IOException {
        Path zip = dir.resolve(name + ".zip");
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream entries = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                entries.putNextEntry(new ZipEntry(file.getKey()));
                entries.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                entries.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void laterLayers_replaceTheFilesOfEarlierOnes_andEachCombinationIsExtractedOnce() throws IOException {
        Path first = zip("aaa", Map.of("python/shared.py", "FIRST = 1\n", "python/only_first.py", "X = 1\n"));
        Path second = zip("bbb", Map.of("python/shared.py", "SECOND = 2\n", "bin/tool", "#!/bin/sh\n"));

        LayerMount mount = LayerMount.of(dir.resolve("state"), List.of(first, second));

        Path opt = mount.opt().orElseThrow();
        assertThat(opt).startsWith(dir.resolve("state/runtime/layers"));
        assertThat(Files.readString(opt.resolve("python/shared.py"))).isEqualTo("SECOND = 2\n");
        assertThat(opt.resolve("python/only_first.py")).exists();
        assertThat(opt.resolve("bin/tool")).exists();
        assertThat(LayerMount.of(dir.resolve("state"), List.of(first, second)).opt())
                .contains(opt);
        Path reversed = LayerMount.of(dir.resolve("state"), List.of(second, first))
                .opt()
                .orElseThrow();
        assertThat(reversed).isNotEqualTo(opt);
        assertThat(Files.readString(reversed.resolve("python/shared.py"))).isEqualTo("FIRST = 1\n");
        assertThat(mount.bootstrap()).isEmpty();
    }

    @Test
    void theVariables_areThoseLambdasRuntimesDeriveFromOpt() throws IOException {
        Path layer = zip("ccc", Map.of("bootstrap", "#!/bin/sh\n"));
        LayerMount mount = LayerMount.of(dir.resolve("state"), List.of(layer));
        Path opt = mount.opt().orElseThrow();

        assertThat(mount.variables("python3.12"))
                .containsEntry(
                        "PYTHONPATH", opt.resolve("python/lib/python3.12/site-packages") + ":" + opt.resolve("python"))
                .containsEntry("LD_LIBRARY_PATH", opt.resolve("lib").toString())
                .containsEntry("PATH", opt.resolve("bin").toString())
                .doesNotContainKey("NODE_PATH");
        assertThat(mount.variables("nodejs20.x"))
                .containsEntry(
                        "NODE_PATH",
                        opt.resolve("nodejs/node20/node_modules") + ":" + opt.resolve("nodejs/node_modules"))
                .doesNotContainKey("PYTHONPATH");
        assertThat(mount.bootstrap()).contains(opt.resolve("bootstrap"));

        Map<String, String> env = new LinkedHashMap<>(Map.of("PATH", "/usr/bin:/bin"));
        mount.addTo(env, "python3.12");
        assertThat(env.get("PATH")).isEqualTo("/usr/bin:/bin:" + opt.resolve("bin"));
    }

    @Test
    void noLayers_mountNothing_andAddNoVariable() {
        LayerMount mount = LayerMount.of(dir.resolve("state"), List.of());
        Map<String, String> env = new LinkedHashMap<>(Map.of("PATH", "/bin"));

        mount.addTo(env, "python3.12");

        assertThat(mount.opt()).isEmpty();
        assertThat(env).containsExactly(Map.entry("PATH", "/bin"));
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void anEntryOutsideOpt_isRefused_andNothingIsLeftBehind() throws IOException {
        Path evil = zip("ddd", Map.of("../escape.py", "X = 1\n"));

        assertThatThrownBy(() -> LayerMount.of(dir.resolve("state"), List.of(evil)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("zip-slip");
        assertThat(dir.resolve("state/runtime/escape.py")).doesNotExist();
        try (var left = Files.list(dir.resolve("state/runtime/layers"))) {
            assertThat(left).isEmpty();
        }
    }
}
