package io.lambdaform.kinds.trigger;

import static java.util.Objects.requireNonNull;

import io.lambdaform.model.Collections2;
import io.lambdaform.resource.Resource;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What invokes a function besides an explicit invoke, as the manifests declare it: one source per document.
 *
 * <pre>{@code
 * kind: Trigger
 * name: on-upload
 * spec:
 *   function: thumbnail
 *   alias: live                 # optional: invoke the alias instead of $LATEST
 *   s3: {bucket: uploads, events: ["s3:ObjectCreated:*"], prefix: incoming/}
 * }</pre>
 *
 * @param qualifier the alias the source invokes; empty for $LATEST
 * @param source what the source is, as written: a bucket's name, a queue's or topic's name or ARN, a stream's ARN, an
 *     API's id; empty for a schedule, a URL or a bare permission
 * @param sourceDeclared whether the source is a Bucket, Queue or Topic of this manifest set
 * @param settings the link's settings as the target reports them once made ({@link Type}), without the source and
 *     the function, which the plan resolves against the target
 * @param grant the permission of a {@link Type#PERMISSION} trigger; empty for the others, whose permission follows
 *     from their source
 */
public record Trigger(
        String name,
        String function,
        Optional<String> qualifier,
        Type type,
        String source,
        boolean sourceDeclared,
        SortedMap<String, String> settings,
        Optional<Grant> grant)
        implements Resource {
    public Trigger {
        requireNonNull(name, "name is null");
        requireNonNull(function, "function is null");
        requireNonNull(qualifier, "qualifier is null");
        requireNonNull(type, "type is null");
        requireNonNull(source, "source is null");
        settings = Collections2.sortedCopy(settings);
        requireNonNull(grant, "grant is null");
    }

    /** The prefix of the statement ids the stack adds to its functions' policies. */
    public static final String SID_PREFIX = "lambdaform-";

    /** The statement id of a trigger's permission. */
    public static String sid(String trigger) {
        return SID_PREFIX + trigger;
    }

    /** The kinds of source, each with what Lambda needs of it. */
    public enum Type {
        /** An S3 bucket's notification: a permission for s3.amazonaws.com and an entry in the bucket's configuration. */
        S3("s3", true, "bucket"),
        /** Lambda polls an SQS queue: an event source mapping, no permission (the role reads the queue). */
        SQS("sqs", false, "queue"),
        /** Lambda polls a Kinesis stream. */
        KINESIS("kinesis", false, "stream"),
        /** Lambda polls a DynamoDB stream. */
        DYNAMODB("dynamodb", false, "stream"),
        /** An SNS topic's subscription: a permission for sns.amazonaws.com and the subscription. */
        SNS("sns", true, "topic"),
        /** An EventBridge rule (a schedule or an event pattern) and its target: a permission for events.amazonaws.com. */
        RULE("rule", true, "rule"),
        /** A function URL: the permission of a public URL (auth type NONE), and the URL's configuration. */
        URL("url", true, "url"),
        /** An API Gateway route: a permission for apigateway.amazonaws.com (the API is not the stack's). */
        APIGATEWAY("apigateway", true, "api"),
        /** A permission alone: another account or service, with a source ARN and account. */
        PERMISSION("permission", true, "permission");

        private final String label;
        private final boolean permitted;
        private final String sourceNoun;

        Type(String label, boolean permitted, String sourceNoun) {
            this.label = label;
            this.permitted = permitted;
            this.sourceNoun = sourceNoun;
        }

        /** As plans and events write it: "s3", "sqs"... */
        public String label() {
            return label;
        }

        /** Whether Lambda invokes the function on the source's behalf, which needs a statement in its policy. */
        public boolean permitted() {
            return permitted;
        }

        /** What the source is called in messages: bucket, queue, topic... */
        public String sourceNoun() {
            return sourceNoun;
        }

        /** Whether Lambda polls the source through an event source mapping. */
        public boolean polled() {
            return this == SQS || this == KINESIS || this == DYNAMODB;
        }

        public static Type of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The statement of a bare permission.
     *
     * @param principal a service ({@code s3.amazonaws.com}), an account id, or {@code *}
     */
    public record Grant(String principal, Optional<String> sourceArn, Optional<String> sourceAccount) {
        public Grant {
            requireNonNull(principal, "principal is null");
            requireNonNull(sourceArn, "sourceArn is null");
            requireNonNull(sourceAccount, "sourceAccount is null");
        }
    }

    /** Triggers carry no tags of their own: their pieces are tagged with the stack, where AWS can tag them. */
    @Override
    public SortedMap<String, String> tags() {
        return new TreeMap<>();
    }
}
