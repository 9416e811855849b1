package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the Tagging API's ARNs are sorted into the kinds' inventories, and named. */
class StackTaggedResourcesTest {
    @Test
    void arnsOfEveryTypeRead_haveTheTypeAskedFor_andTheirName() {
        assertThat(StackTaggedResources.typeOf("arn:aws:lambda:eu-west-1:123456789012:function:hello"))
                .isEqualTo("lambda:function");
        assertThat(StackTaggedResources.typeOf("arn:aws:s3:::uploads")).isEqualTo("s3:bucket");
        assertThat(StackTaggedResources.typeOf("arn:aws:sqs:eu-west-1:123456789012:jobs"))
                .isEqualTo("sqs");
        assertThat(StackTaggedResources.typeOf("arn:aws:sns:eu-west-1:123456789012:events"))
                .isEqualTo("sns:topic");
        assertThat(StackTaggedResources.typeOf("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hello"))
                .isEqualTo("logs:log-group");
        assertThat(StackTaggedResources.TYPES)
                .containsExactly("lambda:function", "s3:bucket", "sqs", "sns:topic", "logs:log-group");

        assertThat(StackTaggedResources.nameOf("arn:aws:lambda:eu-west-1:123456789012:function:hello"))
                .isEqualTo("hello");
        assertThat(StackTaggedResources.nameOf("arn:aws:s3:::uploads")).isEqualTo("uploads");
        assertThat(StackTaggedResources.nameOf("arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/hello"))
                .isEqualTo("/aws/lambda/hello");
        assertThat(StackTaggedResources.nameOf("arn:aws:logs:eu-west-1:123456789012:log-group:/custom/x:*"))
                .isEqualTo("/custom/x");
    }
}
