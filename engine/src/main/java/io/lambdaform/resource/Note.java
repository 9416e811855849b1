package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * What a reviewer should see besides the operations: a resource that a plan makes publicly reachable or open to a
 * confused deputy ({@link Category#SECURITY}), or a likely failure the plan cannot prove ({@link Category#WARNING}).
 * Plans list them; the JSON plan carries them so that a pipeline can require an approval.
 */
public record Note(ResourceKey key, Category category, String message) {
    public Note {
        requireNonNull(key, "key is null");
        requireNonNull(category, "category is null");
        requireNonNull(message, "message is null");
    }

    public enum Category {
        SECURITY,
        WARNING;

        /** As plans write it: "security", "warning". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
