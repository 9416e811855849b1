package io.lambdaform.cloud.local;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Tag set arithmetic, as TagResource and UntagResource do it. */
final class Tags {
    private Tags() {}

    static TreeMap<String, String> merge(Map<String, String> current, Map<String, String> added) {
        TreeMap<String, String> tags = new TreeMap<>(current);
        tags.putAll(added);
        return tags;
    }

    static TreeMap<String, String> without(Map<String, String> current, Collection<String> keys) {
        TreeMap<String, String> tags = new TreeMap<>(current);
        keys.forEach(tags::remove);
        return tags;
    }
}
