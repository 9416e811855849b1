package io.lambdaform.resource;

import java.util.SortedMap;

/** What the engine reads alike of every kind's live record: its tags (the owner tag among them). */
public interface LiveResource {
    SortedMap<String, String> tags();
}
