package io.lambdaform.kinds.layer;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.Resource;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Lambda layer as the manifests declare it: code that functions of the stack (or others, by ARN) add to theirs,
 * published as a new version whenever what it holds changes.
 *
 * <pre>{@code
 * kind: Layer
 * name: helpers
 * spec:
 *   code: layers/helpers        # a folder holding python/, nodejs/, lib/ or bin/; or a .zip
 *   compatibleRuntimes: [python3.12]
 *   description: shared helpers
 * }</pre>
 *
 * @param compatibleRuntimes the runtimes it declares it works with (sorted); none means any
 * @param compatibleArchitectures the instruction set architectures it declares (sorted); none means any
 * @param description what people read about it (the version's description also records its owner and contents)
 */
public record Layer(
        String name,
        CodeSource code,
        List<String> compatibleRuntimes,
        List<String> compatibleArchitectures,
        String description,
        Optional<String> licenseInfo)
        implements Resource {
    public Layer {
        requireNonNull(name, "name is null");
        requireNonNull(code, "code is null");
        compatibleRuntimes = compatibleRuntimes.stream().sorted().distinct().toList();
        compatibleArchitectures =
                compatibleArchitectures.stream().sorted().distinct().toList();
        requireNonNull(description, "description is null");
        requireNonNull(licenseInfo, "licenseInfo is null");
    }

    /**
     * The name a published version of a layer goes by in plans and inventories: {@code helpers:3} (a layer's name
     * holds no colon).
     */
    public static String versionName(String layer, long version) {
        return layer + ":" + version;
    }

    /** The layer of a version's name ({@code helpers:3} → {@code helpers}); a layer's own name is itself. */
    public static String layerOf(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /** The version number of a version's name ({@code helpers:3} → 3); empty for a layer's own name. */
    public static Optional<Long> versionOf(String name) {
        int colon = name.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(name.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Layer versions cannot be tagged: ownership is recorded in each version's description. */
    @Override
    public SortedMap<String, String> tags() {
        return new TreeMap<>();
    }

    @Override
    public List<CodeSource> codeSources() {
        return List.of(code);
    }
}
