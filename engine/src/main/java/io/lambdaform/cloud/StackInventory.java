package io.lambdaform.cloud;

import io.lambdaform.model.Collections2;
import java.util.SortedSet;

/** The names of the roles and functions on a target that carry one stack's owner tag. */
public record StackInventory(SortedSet<String> roleNames, SortedSet<String> functionNames) {
    public StackInventory {
        roleNames = Collections2.sortedCopy(roleNames);
        functionNames = Collections2.sortedCopy(functionNames);
    }
}
