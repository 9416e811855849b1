package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.lambdaform.Memo;
import io.lambdaform.resource.Stack;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * The resources that carry a stack's owner tag, of every type whose inventory the Tagging API serves (functions,
 * buckets, queues, topics, log groups), read once per run in one paged Resource Groups Tagging API {@code GetResources} call: on
 * AWS, a plan reads the stack's inventory of the five kinds for the price of the functions' alone. Not against
 * {@code --endpoint-url}: emulators do not all implement it for every type (each adapter lists there instead).
 */
@Singleton
final class StackTaggedResources {
    /** The types read, as the Tagging API names them. */
    static final List<String> TYPES = List.of("lambda:function", "s3:bucket", "sqs", "sns:topic", "logs:log-group");

    private final ResourceGroupsTaggingApiClient tagging;
    private final Memo<String, Map<String, SortedMap<String, SortedMap<String, String>>>> byStack =
            Memo.keepingFailures();

    @Inject
    StackTaggedResources(ResourceGroupsTaggingApiClient tagging) {
        this.tagging = requireNonNull(tagging, "tagging is null");
    }

    /**
     * The stack's resources of {@code type} (one of {@link #TYPES}), by name (the ARN's last part), with their tags.
     */
    SortedMap<String, SortedMap<String, String>> of(String stackName, String type) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("not a type read here: " + type);
        }
        return byStack.get(stackName, this::read).getOrDefault(type, new TreeMap<>());
    }

    private Map<String, SortedMap<String, SortedMap<String, String>>> read(String stackName) {
        Map<String, SortedMap<String, SortedMap<String, String>>> found = new TreeMap<>();
        AwsErrors.run(
                "Tagging GetResources",
                () -> tagging.getResourcesPaginator(r -> r.resourceTypeFilters(TYPES)
                                .tagFilters(TagFilter.builder()
                                        .key(Stack.OWNER_TAG)
                                        .values(stackName)
                                        .build()))
                        .resourceTagMappingList()
                        .forEach(m -> {
                            SortedMap<String, String> tags = new TreeMap<>();
                            m.tags().forEach(t -> tags.put(t.key(), t.value()));
                            String arn = m.resourceARN();
                            found.computeIfAbsent(typeOf(arn), t -> new TreeMap<>())
                                    .put(nameOf(arn), tags);
                        }));
        return found;
    }

    /** The type of an ARN: arn:aws:lambda:…:function:x is lambda:function, arn:aws:s3:::x s3:bucket… */
    static String typeOf(String arn) {
        String[] parts = arn.split(":", 6);
        String service = parts.length > 2 ? parts[2] : "";
        return switch (service) {
            case "lambda" -> "lambda:function";
            case "s3" -> "s3:bucket";
            case "sns" -> "sns:topic";
            case "logs" -> "logs:log-group";
            default -> service;
        };
    }

    /**
     * The name in an ARN: its last part, or, for a log group (whose name holds slashes), what follows
     * {@code log-group:}, without the {@code :*} some APIs end it with.
     */
    static String nameOf(String arn) {
        String trimmed = arn.endsWith(":*") ? arn.substring(0, arn.length() - 2) : arn;
        int group = trimmed.indexOf(":log-group:");
        if (group >= 0) {
            return trimmed.substring(group + ":log-group:".length());
        }
        return trimmed.substring(trimmed.lastIndexOf(':') + 1);
    }
}
