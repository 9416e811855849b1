package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What validate says of trigger manifests a user gets wrong, at the line and column of the mistake, and what plan
 * tells a reviewer about them, in text, markdown and JSON.
 */
class TriggerManifestsTest {
    private static final String BASE = """
            kind: Stack
            name: t
            ---
            kind: Role
            name: t-fn
            spec:
              managedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
            ---
            kind: Function
            name: worker
            spec: {runtime: python3.12, handler: app.handler, code: src, role: t-fn, timeout: 60}
            """;

    @TempDir
    Path dir;

    private Path set;
    private CliRunner cli;

    @BeforeEach
    void setUp() throws IOException {
        set = dir.resolve("repo/t");
        Files.createDirectories(set.resolve("src"));
        Files.createDirectories(dir.resolve("repo/.git"));
        Files.writeString(set.resolve("src/app.py"), "def handler(event, context):\n    return event\n");
        cli = new CliRunner(dir.resolve("state"));
    }

    private CliRunner.Result validate(String documents) throws IOException {
        Files.writeString(set.resolve("stack.yaml"), BASE + documents);
        return cli.run("validate", set.toString());
    }

    @Test
    void aQueueThatHidesMessagesForLessThanTheFunctionsTimeout_isRefusedAtTheTrigger() throws IOException {
        CliRunner.Result result = validate("""
                ---
                kind: Queue
                name: jobs
                spec: {visibilityTimeout: 30s}
                ---
                kind: Trigger
                name: jobs
                spec:
                  function: worker
                  sqs: {queue: jobs}
                """);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err())
                .contains("stack.yaml:21:16:")
                .contains("visibility timeout of 30 s, shorter than function 'worker''s timeout of 60 s")
                .contains("at least 60s");
    }

    @Test
    void mistakes_areReportedAtTheirPlace_withSuggestions() throws IOException {
        CliRunner.Result result = validate("""
                ---
                kind: Trigger
                name: two
                spec:
                  function: worker
                  schedule: rate(1 day)
                  url: {authType: NONE}
                ---
                kind: Trigger
                name: typo
                spec:
                  function: workr
                  schedule: rate(1 day)
                ---
                kind: Trigger
                name: no-alias
                spec:
                  function: worker
                  alias: live
                  schedule: rate(1 day)
                ---
                kind: Trigger
                name: no-queue
                spec:
                  function: worker
                  sqs: {batchSize: 5}
                ---
                kind: Payload
                name: p
                spec:
                  trigger: nope
                """);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err())
                .contains("a trigger names one source, found schedule and url")
                .contains("stack.yaml:18:8:")
                .contains("function 'workr' is not a Function of this manifest set; did you mean 'worker'?")
                .contains("alias 'live' is not an Alias of function 'worker'")
                .contains("'sqs' names its queue")
                .contains("trigger 'nope' is not a Trigger of this manifest set")
                .doesNotContain("Exception");
    }

    @Test
    void aScheduleThatIsNotOne_andANameTooLong_areRefusedByTheSchema() throws IOException {
        CliRunner.Result result = validate("""
                ---
                kind: Trigger
                name: %s
                spec:
                  function: worker
                  schedule: every day
                """.formatted("x".repeat(65)));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("schedule").contains("name");
    }

    @Test
    void aPublicUrl_isASecurityNote_inTextMarkdownAndJson() throws IOException {
        Files.writeString(set.resolve("stack.yaml"), BASE + """
                        ---
                        kind: Trigger
                        name: public
                        spec:
                          function: worker
                          url: {authType: NONE}
                        """);

        CliRunner.Result text = cli.run("plan", set.toString());
        assertThat(text.out()).contains("! security: trigger public").contains("anyone on the internet");

        CliRunner.Result markdown = cli.run("plan", set.toString(), "--format", "markdown");
        assertThat(markdown.out()).contains("> **Security:** trigger `public`");

        CliRunner.Result json = cli.run("plan", set.toString(), "--format", "json");
        JsonNode notes = new ObjectMapper().readTree(json.out()).path("notes");
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).path("category").asText()).isEqualTo("security");
        assertThat(notes.get(0).path("name").asText()).isEqualTo("public");

        assertThat(cli.run("apply", set.toString(), "--auto-approve").exitCode())
                .isZero();
        JsonNode after = new ObjectMapper()
                .readTree(cli.run("plan", set.toString(), "--format", "json").out());
        assertThat(after.has("notes"))
                .as("a plan that changes nothing has nothing to flag")
                .isFalse();
    }

    @Test
    void aSourceNamedWithASensitiveValue_isRefused_withoutShowingIt() throws IOException {
        Files.writeString(set.resolve("stack.yaml"), BASE + """
                        ---
                        kind: Trigger
                        name: secret-bucket
                        spec:
                          function: worker
                          s3: {bucket: "${env.UPLOADS_BUCKET}"}
                        """);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("UPLOADS_BUCKET", "very-secret-bucket-name");

        CliRunner.Result result = cli.run(env, "validate", set.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("'bucket' cannot hold a sensitive value");
        assertThat(result.out() + result.err()).doesNotContain("very-secret-bucket-name");
    }

    @Test
    void schedulesAndWindowsThatAwsRefuses_areRefusedByValidate() throws IOException {
        CliRunner.Result result = validate("""
                ---
                kind: Trigger
                name: five-fields
                spec: {function: worker, schedule: "cron(0 3 * * *)"}
                ---
                kind: Trigger
                name: both-days
                spec: {function: worker, schedule: "cron(0 3 1 * MON *)"}
                ---
                kind: Trigger
                name: plural
                spec: {function: worker, schedule: "rate(1 hours)"}
                ---
                kind: Queue
                name: jobs
                spec: {visibilityTimeout: 2m}
                ---
                kind: Trigger
                name: slow
                spec:
                  function: worker
                  sqs: {queue: jobs, batchingWindow: 10m}
                """);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err())
                .contains("a cron expression has six fields")
                .contains("not both")
                .contains("rate(1 hour) for one")
                .contains("Lambda waits at most 300 s");
    }

    @Test
    void aScheduleThatIsNoExpression_isASchemaProblem_notACrash() throws IOException {
        CliRunner.Result result = validate("""
                ---
                kind: Trigger
                name: daily
                spec: {function: worker, schedule: daily}
                """);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("stack.yaml:").doesNotContain("internal error");
    }

    @Test
    void aPermissionForAnotherAccount_isASecurityNote() throws IOException {
        Files.writeString(set.resolve("stack.yaml"), BASE + """
                        ---
                        kind: Trigger
                        name: partner
                        spec:
                          function: worker
                          permission: {principal: "210987654321"}
                        """);

        CliRunner.Result plan = cli.run("plan", set.toString());

        assertThat(plan.out()).contains("! security: trigger partner").contains("account 210987654321");
    }

    @Test
    void twoTriggersOfOneUrl_areRefusedByThePlan() throws IOException {
        Files.writeString(set.resolve("stack.yaml"), BASE + """
                        ---
                        kind: Trigger
                        name: a
                        spec: {function: worker, url: {authType: AWS_IAM}}
                        ---
                        kind: Trigger
                        name: b
                        spec: {function: worker, url: {authType: NONE}}
                        """);

        CliRunner.Result plan = cli.run("plan", set.toString());

        assertThat(plan.exitCode()).isNotZero();
        assertThat(plan.err()).contains("triggers a and b both make the URL of worker");
    }
}
