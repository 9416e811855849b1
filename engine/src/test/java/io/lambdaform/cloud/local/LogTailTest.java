package io.lambdaform.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTailTest {
    @Test
    void text_underCapacity_isEverythingWithoutANote() {
        LogTail tail = new LogTail(16);
        append(tail, "hello\n");

        assertThat(tail.text()).isEqualTo("hello\n");
        assertThat(tail.dropped()).isZero();
    }

    @Test
    void text_overCapacity_keepsTheLastBytesAndSaysHowManyWereDropped() {
        LogTail tail = new LogTail(8);
        append(tail, "0123456789");
        append(tail, "abc");
        append(tail, "defghijklmnopqrstuvwxyz");

        assertThat(tail.total()).isEqualTo(36);
        assertThat(tail.text())
                .isEqualTo(
                        "[lambdaform] 28 bytes of handler output were dropped; the log keeps the last 8 bytes\nstuvwxyz");
    }

    @Test
    void text_whenTheCutSplitsACharacter_skipsItsRemainingBytes() {
        LogTail tail = new LogTail(5);
        append(tail, "xx\u00e9abcd");

        assertThat(tail.text()).endsWith("\nabcd").contains("4 bytes of handler output were dropped");
    }

    private static void append(LogTail tail, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tail.append(bytes, 0, bytes.length);
    }
}
