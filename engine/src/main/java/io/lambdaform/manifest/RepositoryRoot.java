package io.lambdaform.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The default root that files named by manifests must stay inside: the git work tree that holds the manifests, or,
 * outside git, the folder the manifests were read from.
 */
public final class RepositoryRoot {
    private RepositoryRoot() {}

    public static Path of(List<Path> paths) {
        Path common = null;
        for (Path path : paths) {
            Path absolute = path.toAbsolutePath().normalize();
            Path folder = Files.isDirectory(absolute) || absolute.getParent() == null ? absolute : absolute.getParent();
            common = common == null ? folder : commonAncestor(common, folder);
        }
        return common == null ? Path.of("").toAbsolutePath() : ofFolder(common);
    }

    /**
     * The root of manifests that will be in {@code folder}, which may not exist yet: the git work tree holding it, or
     * the folder itself (what {@link #of} will say once it holds them).
     */
    public static Path ofFolder(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        for (Path at = absolute; at != null; at = at.getParent()) {
            if (Files.exists(at.resolve(".git"))) {
                return at;
            }
        }
        return absolute;
    }

    private static Path commonAncestor(Path a, Path b) {
        Path at = a;
        while (at != null && !b.startsWith(at)) {
            at = at.getParent();
        }
        return at == null ? a.getRoot() : at;
    }
}
