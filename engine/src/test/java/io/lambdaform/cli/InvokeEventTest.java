package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code invoke --event} on the local cloud: the handler runs for real with the event given. */
class InvokeEventTest {
    @TempDir
    Path dir;

    private CliRunner cli;
    private Path manifests;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        manifests = TestFiles.helloSet(dir.resolve("app"));
        write(
                manifests,
                "src/app.py",
                "def handler(event, context):\n    print('saying hello')\n    print('got', event)\n"
                        + "    if event.get('fail'):\n        raise ValueError('asked to fail')\n"
                        + "    return {'hello': event['name']}\n");
        assertThat(cli.run("apply", manifests.toString(), "--auto-approve").exitCode())
                .isZero();
    }

    @Test
    void anEventInlineFromAFileAndFromStdin_reachesTheHandler_theResponseOnStdout_theLogOnStderr() throws Exception {
        Path event = Files.writeString(dir.resolve("event.json"), "{\"name\": \"File\"}");

        CliRunner.Result inline = cli.run("invoke", manifests.toString(), "app", "--event", "{\"name\":\"Inline\"}");
        CliRunner.Result file = cli.run("invoke", manifests.toString(), "app", "--event", event.toString());
        CliRunner.Result stdin =
                cli.runWithInput("{\"name\": \"Stdin\"}", "invoke", manifests.toString(), "app", "--event", "-");

        assertThat(inline.exitCode()).as(inline.toString()).isZero();
        assertThat(inline.out().strip()).isEqualTo("{\"hello\": \"Inline\"}");
        assertThat(inline.err()).contains("got {'name': 'Inline'}", "START RequestId", "REPORT RequestId");
        assertThat(file.out().strip()).isEqualTo("{\"hello\": \"File\"}");
        assertThat(stdin.out().strip()).isEqualTo("{\"hello\": \"Stdin\"}");
    }

    @Test
    void jsonFormat_carriesTheResponseTheErrorTheVersionAndTheLog_andAFunctionErrorExits1() throws Exception {
        CliRunner.Result failed = cli.run(
                "invoke", manifests.toString(), "app", "--event", "{\"name\":\"x\",\"fail\":true}", "--format", "json");

        assertThat(failed.exitCode()).isEqualTo(ExitCodes.ERROR);
        JsonNode document = new ObjectMapper().readTree(failed.out());
        assertThat(document.get("functionError").asText()).isEqualTo("Unhandled");
        assertThat(document.get("response").get("errorMessage").asText()).isEqualTo("asked to fail");
        assertThat(document.get("executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(document.get("log").asText()).contains("got {'name': 'x', 'fail': True}");

        CliRunner.Result text = cli.run("invoke", manifests.toString(), "app", "--event", "{\"fail\":1,\"name\":1}");
        assertThat(text.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(text.err()).contains("function error (Unhandled): ValueError: asked to fail");
    }

    @Test
    void payloadRuns_inJson_listEveryRun() throws Exception {
        CliRunner.Result runs = cli.run("invoke", manifests.toString(), "--format", "json");

        assertThat(runs.exitCode()).as(runs.toString()).isZero();
        JsonNode document = new ObjectMapper().readTree(runs.out());
        assertThat(document.get("passed").asInt()).isEqualTo(1);
        assertThat(document.get("runs").get(0).get("payload").asText()).isEqualTo("ping");
        assertThat(document.get("runs").get(0).get("response").get("hello").asText())
                .isEqualTo("Ada");
    }

    @Test
    void aStackOfOneFunction_needsNoName_andAFolderNamedAfterItsFunction_isGivenTwice() {
        CliRunner.Result unnamed = cli.run("invoke", manifests.toString(), "--event", "{\"name\": \"One\"}");
        assertThat(unnamed.exitCode()).as(unnamed.toString()).isZero();
        assertThat(unnamed.out()).contains("{\"hello\": \"One\"}");

        // manifests is the folder app/, and its function is app: `invoke app app`.
        CliRunner.Result twice =
                cli.run("invoke", manifests.toString(), manifests.toString(), "--event", "{\"name\": \"Twice\"}");
        assertThat(twice.exitCode()).as(twice.toString()).isZero();
        assertThat(twice.out()).contains("{\"hello\": \"Twice\"}");
    }

    @Test
    void mistakes_eachGetOneClearError() {
        assertThat(cli.run("invoke", manifests.toString(), "app", "--event", "{not json")
                        .err())
                .contains("the event from --event is not JSON");
        assertThat(cli.run("invoke", manifests.toString(), "app", "--event", "missing.json")
                        .err())
                .contains("--event missing.json: no such file");
        assertThat(cli.run("invoke", manifests.toString(), "ap", "--event", "{}")
                        .err())
                .contains("'ap' is not a Function of stack app", "did you mean 'app'");
        assertThat(cli.run("invoke", manifests.toString(), "app", "app", "--event", "{}")
                        .err())
                .contains("--event invokes one function: name exactly one")
                .contains("found app, app");
        assertThat(cli.run("invoke", manifests.toString(), "app", "--event", "{}", "--qualifier", "3")
                        .err())
                .contains("function app has no version or alias '3'");
        assertThat(cli.run("invoke", manifests.toString(), "app", "--async").err())
                .contains("--async queues one event: give it with --event");
    }

    @Test
    void aDeeplyNestedEvent_isOneClearError_inlineFromAFileAndFromStdin() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Path file = Files.writeString(dir.resolve("deep.json"), deep);

        CliRunner.Result inline = cli.run("invoke", manifests.toString(), "app", "--event", deep);
        CliRunner.Result fromFile = cli.run("invoke", manifests.toString(), "app", "--event", file.toString());
        CliRunner.Result stdin = cli.runWithInput(deep, "invoke", manifests.toString(), "app", "--event", "-");

        assertThat(inline.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(inline.err())
                .startsWith("error: the event from --event nests arrays and objects more than 1000 levels deep;"
                        + " an event may nest at most 1000")
                .doesNotContain("internal error", "Exception");
        assertThat(fromFile.err()).contains("the event from " + file + " nests arrays and objects more than 1000");
        assertThat(stdin.err()).contains("the event from standard input nests arrays and objects more than 1000");
        assertThat(cli.run("invoke", manifests.toString(), "app", "--event", "[".repeat(1000) + "]".repeat(1000))
                        .err())
                .doesNotContain("the event from");
    }

    @Test
    void aNumberTooLongToRead_isOneClearError() {
        CliRunner.Result result = cli.run("invoke", manifests.toString(), "app", "--event", "1".repeat(5000));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .contains("the event from --event holds a value too large to read: Number value length (5000)"
                        + " exceeds the maximum allowed (1000)")
                .doesNotContain("internal error", "StreamReadConstraints");
    }

    @Test
    void aBinaryEventFile_isRefusedAsNotUtf8Text() throws Exception {
        Path binary = Files.write(dir.resolve("event.bin"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, (byte) 0xff});
        Path latin1 = Files.write(
                dir.resolve("latin1.json"), new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xe9, '"', '}'});

        CliRunner.Result result = cli.run("invoke", manifests.toString(), "app", "--event", binary.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(result.err())
                .startsWith("error: the event file " + binary + " is not UTF-8 text (byte 0xff at offset 8 is not"
                        + " UTF-8): it looks like a binary file, or text in another encoding. An event is a JSON"
                        + " document, in UTF-8.")
                .doesNotContain("Input length");
        assertThat(cli.run("invoke", manifests.toString(), "app", "--event", latin1.toString())
                        .err())
                .contains("the event file " + latin1 + " is not UTF-8 text (byte 0xe9 at offset 6");
    }
}
