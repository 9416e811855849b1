package io.lambdaform.model;

/** The kinds of cloud resources Lambdaform owns, in the order they are created. */
public enum ResourceType {
    ROLE("role"),
    FUNCTION("function");

    private final String label;

    ResourceType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
