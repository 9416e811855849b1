package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import io.lambdaform.diff.FieldChange;
import io.lambdaform.model.Collections2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Tag changes, the same for every kind: each kind's port tags and untags ({@link Port#tag}). */
public final class Tagging {
    /** The tag operations, which every kind has. */
    public static final List<Operation.Type> TYPES =
            List.of(Operation.Type.of(TagResource.class), Operation.Type.of(UntagResource.class));

    private Tagging() {}

    /**
     * Adds the operations that take the live tags to the desired ones. Tags of AWS ({@code aws:}) and the kind's
     * {@link ResourceKind#systemTags} are never removed.
     */
    public static void plan(ResourceKey key, Map<String, String> live, Map<String, String> desired, PlanBuilder plan) {
        SortedMap<String, String> set = new TreeMap<>();
        List<FieldChange> setChanges = new ArrayList<>();
        desired.forEach((k, v) -> {
            String current = live.get(k);
            if (!v.equals(current)) {
                set.put(k, v);
                setChanges.add(new FieldChange("tags." + k, Optional.ofNullable(current), Optional.of(v)));
            }
        });
        TreeSet<String> remove = new TreeSet<>();
        List<FieldChange> removeChanges = new ArrayList<>();
        live.forEach((k, v) -> {
            if (!desired.containsKey(k)
                    && !k.startsWith("aws:")
                    && !key.kind().systemTags().contains(k)) {
                remove.add(k);
                removeChanges.add(FieldChange.remove("tags." + k, v));
            }
        });
        if (!set.isEmpty()) {
            plan.add(key, new TagResource(key, set, setChanges));
        }
        if (!remove.isEmpty()) {
            plan.add(key, new UntagResource(key, remove, removeChanges));
        }
    }

    /**
     * Adds the operation that lets go of a resource of {@code stackName} without deleting it ({@code spec.release}):
     * its owner tag is removed, so that the stack no longer manages or prunes it and another stack may adopt it.
     */
    public static void release(ResourceKey key, String stackName, PlanBuilder plan) {
        plan.add(key, new ReleaseResource(key, stackName));
    }

    /** Removes a stack's owner tag from a resource of any kind, which is kept: {@code spec.release}. */
    @Operation.Named("UntagResource")
    public record ReleaseResource(ResourceKey key, String stack) implements Operation {
        public ReleaseResource {
            requireNonNull(key, "key is null");
            requireNonNull(stack, "stack is null");
        }

        @Override
        public String summary() {
            return "release from stack '" + stack + "': untag " + Stack.OWNER_TAG + " (kept, not deleted)";
        }

        @Override
        public List<FieldChange> changes() {
            return List.of(FieldChange.remove("tags." + Stack.OWNER_TAG, stack));
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(key.kind().port()).untag(key.name(), List.of(Stack.OWNER_TAG));
        }
    }

    /** Adds or changes tags on a resource of any kind. */
    @Operation.Named("TagResource")
    public record TagResource(ResourceKey key, SortedMap<String, String> tags, List<FieldChange> changes)
            implements Operation {
        public TagResource {
            requireNonNull(key, "key is null");
            tags = Collections2.sortedCopy(tags);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "tag " + String.join(", ", tags.keySet());
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(key.kind().port()).tag(key.name(), tags);
        }
    }

    /** Removes tags from a resource of any kind. */
    @Operation.Named("UntagResource")
    public record UntagResource(ResourceKey key, SortedSet<String> tagKeys, List<FieldChange> changes)
            implements Operation {
        public UntagResource {
            requireNonNull(key, "key is null");
            tagKeys = Collections2.sortedCopy(tagKeys);
            changes = List.copyOf(changes);
        }

        @Override
        public String summary() {
            return "untag " + String.join(", ", tagKeys);
        }

        @Override
        public String hiddenSummary() {
            return "untag " + tagKeys.size() + " tag(s) (not shown: the resource held sensitive values)";
        }

        @Override
        public void apply(ApplyContext target) {
            target.port(key.kind().port()).untag(key.name(), tagKeys);
        }
    }
}
