package io.lambdaform.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},
            "Action":"sts:AssumeRole"}]}""";

    @Test
    void equivalent_stringVersusOneElementList_isTheSame() {
        String lists = """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com"]},
                "Action":["sts:AssumeRole"]}}""";

        assertThat(PolicyDocuments.equivalent(TRUST, lists)).isTrue();
    }

    @Test
    void equivalent_urlEncodedAsIamReturnsIt_isTheSame() {
        String encoded = URLEncoder.encode(TRUST, StandardCharsets.UTF_8);

        assertThat(PolicyDocuments.equivalent(encoded, TRUST)).isTrue();
    }

    @Test
    void equivalent_statementAndActionOrderAndWhitespace_doNotMatter() {
        String a = """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"},
                  {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}""";
        String b = """
                {"Statement":[{"Resource":["*"],"Action":"s3:DeleteObject","Effect":"Deny"},
                {"Resource":"arn:aws:s3:::b/*","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"]}],
                "Version":"2012-10-17"}""";

        assertThat(PolicyDocuments.equivalent(a, b)).isTrue();
    }

    @Test
    void equivalent_conditionValuesInAnotherOrder_isTheSame() {
        String a = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",
                "Condition":{"StringEquals":{"aws:SourceAccount":["1","2"]}}}]}""";
        String b = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",
                "Condition":{"StringEquals":{"aws:SourceAccount":["2","1"]}}}]}""";

        assertThat(PolicyDocuments.equivalent(a, b)).isTrue();
    }

    @Test
    void equivalent_differentPrincipalOrEffect_differs() {
        assertThat(PolicyDocuments.equivalent(TRUST, TRUST.replace("lambda.amazonaws.com", "ec2.amazonaws.com")))
                .isFalse();
        assertThat(PolicyDocuments.equivalent(TRUST, TRUST.replace("Allow", "Deny")))
                .isFalse();
    }

    @Test
    void equivalent_extraAction_differs() {
        assertThat(PolicyDocuments.equivalent(
                        TRUST, TRUST.replace("\"sts:AssumeRole\"", "[\"sts:AssumeRole\",\"sts:TagSession\"]")))
                .isFalse();
    }
}
