package io.lambdaform.resource;

import static java.util.Objects.requireNonNull;

/**
 * A link a resource declares, for graphs ({@code lambdaform graph}): a function's role, its layers and its
 * destinations, an alias's function, a trigger's source. Each end is a resource of a kind by name, a resource named by
 * ARN, or something that is no resource of any kind (a schedule, a function URL); graphs draw what the stacks do not
 * declare outside them.
 *
 * @param label what the link is, as the graph writes it beside the arrow ({@code assumes}, {@code onFailure})
 * @param drawnOutside whether the link is drawn when {@code to} or {@code from} is no resource of the stacks (false:
 *     only when the stack declares it, as a function's default log group)
 */
public record Link(End from, End to, String label, boolean drawnOutside) {
    public Link {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(label, "label is null");
    }

    /** A link drawn whether or not its ends are resources of the stacks. */
    public Link(End from, End to, String label) {
        this(from, to, label, true);
    }

    /** One end of a link. */
    public sealed interface End permits Declared, ByArn, Outside {}

    /** A resource of a kind by its name: of the stack when it declares one, else drawn outside the stacks. */
    public record Declared(ResourceKey key) implements End {
        public Declared {
            requireNonNull(key, "key is null");
        }
    }

    /**
     * A resource by ARN: the resource of the stacks a kind recognises in it ({@link ResourceKind#nameIn}), else drawn
     * outside the stacks by its ARN.
     */
    public record ByArn(String arn) implements End {
        public ByArn {
            requireNonNull(arn, "arn is null");
        }
    }

    /** What no kind declares (a schedule, a function URL, a principal), drawn in the stack of the link, by its text. */
    public record Outside(String text) implements End {
        public Outside {
            requireNonNull(text, "text is null");
        }
    }

    /** How a graph draws a kind's resources: each shape one kind's, so that a reader tells them apart. */
    public enum Shape {
        /** No node: the resource is drawn as its links (a trigger, as the arrow from its source). */
        NONE,
        BOX,
        ROUNDED,
        STADIUM,
        HEXAGON,
        CYLINDER,
        SUBROUTINE,
        PARALLELOGRAM,
        ASYMMETRIC,
        LEANING_LEFT,
        /** What is no resource of any kind: a schedule, a function URL (graphs draw it so themselves). */
        TRAPEZOID
    }
}
