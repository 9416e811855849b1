package io.lambdaform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GitHub Actions' {@code ${{ name }}} expressions in a workflow's text, replaced as a runner would by known values. */
public final class GitHubExpressions {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");

    private GitHubExpressions() {}

    /** {@code text} with each expression replaced by its value; an expression the test does not know fails it. */
    public static String evaluate(String text, Map<String, String> values) {
        Matcher expression = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (expression.find()) {
            String name = expression.group(1);
            assertThat(values).as("the test knows ${{ " + name + " }}").containsKey(name);
            expression.appendReplacement(out, Matcher.quoteReplacement(values.get(name)));
        }
        expression.appendTail(out);
        return out.toString();
    }
}
