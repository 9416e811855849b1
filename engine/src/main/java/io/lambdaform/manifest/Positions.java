package io.lambdaform.manifest;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each value of a document, and each key of its mappings, starts in the file: a tree shaped like the document,
 * looked up by JSON pointer. One small node per value and no pointer string kept per value: a document of 100,000
 * values under long keys would otherwise hold gigabytes of pointers.
 */
final class Positions {
    private final Position value;
    private Position key;
    private Map<String, Positions> members;
    private List<Positions> items;

    Positions(Position value) {
        this.value = requireNonNull(value, "value is null");
    }

    /** A member of this mapping, whose key starts at {@code key} and value at {@code value}. */
    Positions member(String name, Position keyPosition, Position valuePosition) {
        Positions child = new Positions(valuePosition);
        child.key = keyPosition;
        if (members == null) {
            members = new HashMap<>();
        }
        members.put(name, child);
        return child;
    }

    /** The next item of this list, starting at {@code valuePosition}. */
    Positions item(Position valuePosition) {
        Positions child = new Positions(valuePosition);
        if (items == null) {
            items = new ArrayList<>();
        }
        items.add(child);
        return child;
    }

    /** Where the value at {@code pointer} starts, or the nearest enclosing value that exists. */
    Position valueAt(String pointer) {
        return nearest(pointer).value;
    }

    /** Where the value at {@code pointer} starts, or empty when there is none. */
    Optional<Position> valueExactlyAt(String pointer) {
        return Optional.ofNullable(exact(pointer)).map(p -> p.value);
    }

    /** Where the key of the member at {@code pointer} is, or empty when it is not a member that exists. */
    Optional<Position> keyAt(String pointer) {
        Positions at = exact(pointer);
        return at == null ? Optional.empty() : Optional.ofNullable(at.key);
    }

    private Positions nearest(String pointer) {
        Positions at = this;
        for (String segment : segments(pointer)) {
            Positions next = at.child(segment);
            if (next == null) {
                return at;
            }
            at = next;
        }
        return at;
    }

    private Positions exact(String pointer) {
        Positions at = this;
        for (String segment : segments(pointer)) {
            at = at.child(segment);
            if (at == null) {
                return null;
            }
        }
        return at;
    }

    private Positions child(String segment) {
        if (members != null) {
            Positions member = members.get(segment);
            if (member != null) {
                return member;
            }
        }
        if (items != null
                && !segment.isEmpty()
                && segment.length() <= 9
                && segment.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(segment);
            return index < items.size() ? items.get(index) : null;
        }
        return null;
    }

    /** The unescaped segments of a JSON pointer ("/a~1b/0" → "a/b", "0"). */
    private static List<String> segments(String pointer) {
        List<String> segments = new ArrayList<>();
        if (pointer.isEmpty()) {
            return segments;
        }
        int start = 1;
        while (start <= pointer.length()) {
            int end = pointer.indexOf('/', start);
            if (end < 0) {
                end = pointer.length();
            }
            segments.add(pointer.substring(start, end).replace("~1", "/").replace("~0", "~"));
            start = end + 1;
        }
        return segments;
    }
}
