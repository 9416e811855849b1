package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDestinationsTest {
    private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:orders-failed";

    @TempDir
    Path state;

    @Test
    void send_appendsOneLinePerRecord_inAFileNamedAfterTheArn_readableByItsOwnerOnly() throws IOException {
        LocalDestinations destinations = new LocalDestinations(state, LocalDestinations.DEFAULT_MAX_BYTES);

        String first = destinations.send(QUEUE, "{\"n\":1}");
        String second = destinations.send(QUEUE, "{\"n\":2}");

        assertThat(first)
                .isEqualTo(second)
                .isEqualTo("destinations/arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Aorders-failed.jsonl");
        assertThat(Files.readAllLines(state.resolve(first))).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(first))))
                .isEqualTo("rw-------");
    }

    @Test
    void fileNames_neverLeaveTheFolder_andALongArnIsCutWithADigest() {
        String bus = "arn:aws:events:us-east-1:000000000000:event-bus/../../x";
        String longer = "arn:aws:sns:us-east-1:000000000000:" + ":".repeat(300);

        assertThat(LocalDestinations.file(bus))
                .isEqualTo(
                        "destinations/arn%3Aaws%3Aevents%3Aus-east-1%3A000000000000%3Aevent-bus%2F..%2F..%2Fx.jsonl");
        assertThat(LocalDestinations.file(longer))
                .hasSize("destinations/".length() + 200 + ".jsonl".length())
                .isNotEqualTo(LocalDestinations.file(longer + ":"));
        assertThat(LocalDestinations.file(longer).substring("destinations/".length()))
                .doesNotContain("/");
    }

    @Test
    void aFileThatWouldPassTheBound_isRotated_andATornLineIsLeftOnItsOwn() throws IOException {
        LocalDestinations destinations = new LocalDestinations(state, 40);
        String file = destinations.send(QUEUE, "{\"n\":1}");
        Files.writeString(state.resolve(file), "{\"torn", StandardOpenOption.APPEND);

        destinations.send(QUEUE, "{\"n\":2}");
        destinations.send(QUEUE, "{\"n\":3,\"padding\":\"xxxxxxxxxx\"}");

        assertThat(Files.readAllLines(state.resolve(file + ".1")))
                .isEqualTo(List.of("{\"n\":1}", "{\"torn", "{\"n\":2}"));
        assertThat(Files.readAllLines(state.resolve(file))).containsExactly("{\"n\":3,\"padding\":\"xxxxxxxxxx\"}");
    }
}
