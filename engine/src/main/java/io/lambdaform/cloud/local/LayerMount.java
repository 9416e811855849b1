package io.lambdaform.cloud.local;

import io.lambdaform.LambdaformException;
import io.lambdaform.resource.DeploymentPackage;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A function's layers as Lambda mounts them at {@code /opt}: the layers' packages extracted in the function's order
 * into one folder (a later layer's file replaces an earlier one's, as Lambda does), once per combination of packages,
 * under the state folder ({@code runtime/layers/<digest of the combination>}, read-only, like the extracted packages
 * of functions); and the environment variables by which Lambda's runtimes find what layers hold there: {@code
 * PYTHONPATH} ({@code opt/python/lib/pythonX.Y/site-packages}, {@code opt/python}), {@code NODE_PATH} ({@code
 * opt/nodejs/nodeNN/node_modules}, {@code opt/nodejs/node_modules}), {@code LD_LIBRARY_PATH} ({@code opt/lib}) and
 * {@code PATH} ({@code opt/bin}). A custom runtime's {@code bootstrap} may come from a layer: {@link #bootstrap}.
 */
final class LayerMount {
    private static final Pattern PYTHON = Pattern.compile("^python(\\d+\\.\\d+)$");
    private static final Pattern NODE = Pattern.compile("^nodejs(\\d+)\\.x$");

    private final Optional<Path> opt;

    private LayerMount(Optional<Path> opt) {
        this.opt = opt;
    }

    /** The layers of {@code layerZips} (content-addressed packages, in the function's order), extracted. */
    static LayerMount of(Path stateDir, List<Path> layerZips) {
        if (layerZips.isEmpty()) {
            return new LayerMount(Optional.empty());
        }
        StringBuilder combination = new StringBuilder();
        layerZips.forEach(zip -> combination.append(zip.getFileName()).append('\n'));
        Path target = stateDir.resolve("runtime").resolve("layers").resolve(digest(combination.toString()));
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            extract(layerZips, target);
        }
        return new LayerMount(Optional.of(target));
    }

    /** The folder that stands for {@code /opt}; empty when the function has no layers. */
    Optional<Path> opt() {
        return opt;
    }

    /** Where a custom runtime's {@code bootstrap} is when a layer brings it ({@code /opt/bootstrap} on Lambda). */
    Optional<Path> bootstrap() {
        return opt.map(o -> o.resolve("bootstrap")).filter(Files::isRegularFile);
    }

    /** The variables a runtime of {@code runtime} finds the layers by; none without layers. */
    Map<String, String> variables(String runtime) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (opt.isEmpty()) {
            return variables;
        }
        Path o = opt.get();
        Matcher python = PYTHON.matcher(runtime);
        if (python.matches()) {
            variables.put(
                    "PYTHONPATH",
                    paths(o.resolve("python/lib/python" + python.group(1) + "/site-packages"), o.resolve("python")));
        }
        Matcher node = NODE.matcher(runtime);
        if (node.matches()) {
            variables.put(
                    "NODE_PATH",
                    paths(
                            o.resolve("nodejs/node" + node.group(1) + "/node_modules"),
                            o.resolve("nodejs/node_modules")));
        }
        variables.put("LD_LIBRARY_PATH", o.resolve("lib").toString());
        variables.put("PATH", o.resolve("bin").toString());
        return variables;
    }

    /**
     * Adds the variables to an invocation's environment: a search path already there ({@code PATH}) gets the layers'
     * folder after its own, as on Lambda.
     */
    void addTo(Map<String, String> environment, String runtime) {
        variables(runtime).forEach((name, value) -> environment.merge(name, value, LayerMount::paths));
    }

    private static String paths(Object... entries) {
        StringBuilder joined = new StringBuilder();
        for (Object entry : entries) {
            joined.append(joined.length() == 0 ? "" : File.pathSeparator).append(entry);
        }
        return joined.toString();
    }

    /** Extracts each package in turn into a fresh folder, then moves it into place whole. */
    private static void extract(List<Path> layerZips, Path target) {
        Path temp = null;
        try {
            temp = Files.createDirectories(target.getParent())
                    .resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
            Files.createDirectory(temp);
            long extracted = 0;
            for (Path zip : layerZips) {
                if (!Files.isRegularFile(zip)) {
                    throw LambdaformException.user("the package of a layer is missing from " + zip.getParent()
                            + "; apply the stack again to publish it");
                }
                extracted = extractInto(zip, temp, extracted);
            }
            EnvironmentFolder.makeFilesReadOnly(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another invocation extracted the same combination meanwhile.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
        } catch (IOException e) {
            throw LambdaformException.user("cannot extract the layers into " + target + ": " + e.getMessage());
        } finally {
            if (temp != null && Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
                EnvironmentFolder.deleteRecursively(temp);
            }
        }
    }

    /** Extracts one package over what earlier ones left; returns how many bytes the layers hold so far. */
    private static long extractInto(Path zip, Path folder, long before) throws IOException {
        long count = before;
        try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry entry : Collections.list(file.getEntries())) {
                Path out = folder.resolve(entry.getName()).normalize();
                if (!out.startsWith(folder)
                        || out.equals(folder)
                        || entry.getName().startsWith("/")) {
                    throw LambdaformException.user("the layer package " + zip.getFileName() + " has an entry '"
                            + entry.getName() + "' that points outside /opt (zip-slip); refusing to extract it");
                }
                if (entry.isDirectory()) {
                    if (Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(out);
                    }
                    Files.createDirectories(out);
                    continue;
                }
                if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                    EnvironmentFolder.deleteRecursively(out);
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry);
                        OutputStream copy = Files.newOutputStream(out)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        count += n;
                        if (count > DeploymentPackage.MAX_UNZIPPED_BYTES) {
                            throw LambdaformException.user("the layers hold more than "
                                    + DeploymentPackage.MAX_UNZIPPED_BYTES / 1048576 + " MB unzipped, Lambda's limit;"
                                    + " refusing to extract them");
                        }
                        copy.write(buffer, 0, n);
                    }
                }
                if ((entry.getUnixMode() & 0100) != 0) {
                    out.toFile().setExecutable(true);
                }
            }
        }
        return count;
    }

    private static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
