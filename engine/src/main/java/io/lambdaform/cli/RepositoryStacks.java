package io.lambdaform.cli;

import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.manifest.StackFolders;
import io.lambdaform.model.CodeSource;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The stacks of a repository as {@code stacks} and {@code --all} see them: each found under a folder and read (quietly:
 * the commands say which are invalid), in the order their references ask, and with {@code --changed-since} those a
 * change reaches: a changed file under a stack's folder or among what its manifests name (code, event files, build
 * inputs), and every stack that uses a reached stack's role.
 */
final class RepositoryStacks {
    /** One stack found: its folder, and what its manifests say when they are valid. */
    record Found(Path folder, Optional<Stack> stack, int problems, SortedSet<Path> inputs) {
        StackOrder.Node node() {
            Set<String> uses = new TreeSet<>();
            stack.ifPresent(s -> s.resources().forEach(r -> uses.addAll(r.referencedStacks())));
            return new StackOrder.Node(folder, stack.map(Stack::name), uses);
        }
    }

    private RepositoryStacks() {}

    /** The stacks under {@code root}, in the order their references ask (a stack after those whose roles it uses). */
    static List<Found> find(Path root, ManifestSupport manifests, InputOptions inputs) {
        List<Found> found = new ArrayList<>();
        for (Path folder : StackFolders.find(root)) {
            found.add(read(folder, manifests, inputs));
        }
        List<Found> ordered = new ArrayList<>();
        for (List<StackOrder.Node> wave :
                StackOrder.waves(found.stream().map(Found::node).toList())) {
            for (StackOrder.Node node : wave) {
                found.stream().filter(f -> f.folder().equals(node.folder())).forEach(ordered::add);
            }
        }
        return ordered;
    }

    private static Found read(Path folder, ManifestSupport manifests, InputOptions inputs) {
        ManifestSet set = manifests.readQuietly(List.of(folder), inputs);
        SortedSet<Path> owned = new TreeSet<>(set.files());
        owned.add(folder);
        set.stack().ifPresent(stack -> {
            for (Resource resource : stack.resources()) {
                for (CodeSource code : resource.codeSources()) {
                    owned.add(code.path().toAbsolutePath().normalize());
                    code.build().ifPresent(build -> {
                        owned.add(build.folder().toAbsolutePath().normalize());
                        build.inputs().forEach(i -> owned.add(i.toAbsolutePath().normalize()));
                    });
                }
            }
        });
        return new Found(folder, set.stack(), set.diagnostics().size(), owned);
    }

    /** The stacks of {@code found} a change since {@code ref} reaches, in the same order. */
    static List<Found> changedSince(List<Found> found, String ref, Path base, Map<String, String> environment) {
        SortedSet<Path> changed = GitChanges.since(ref, base, environment);
        Set<Path> touched = new TreeSet<>();
        found.stream().filter(f -> touched(f.inputs(), changed)).forEach(f -> touched.add(f.folder()));
        SortedSet<Path> reached =
                StackOrder.reached(found.stream().map(Found::node).toList(), touched);
        return found.stream().filter(f -> reached.contains(f.folder())).toList();
    }

    /**
     * Whether a changed file is one the stack reads, or under a folder it reads: each changed path and its folders are
     * looked up, so the work grows with the change times the depth of its paths.
     */
    static boolean touched(SortedSet<Path> inputs, SortedSet<Path> changed) {
        for (Path file : changed) {
            for (Path at = file; at != null; at = at.getParent()) {
                if (inputs.contains(at)) {
                    return true;
                }
            }
        }
        return false;
    }
}
